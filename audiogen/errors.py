"""Errors the user can fix: plain exceptions, each a single line; `cli.py` turns them into messages.

The library never imports click, so it can be used without the command line.
"""

from pathlib import Path


class AudiogenError(Exception):
    """Something the user can fix; the CLI prints its message and exits 1."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ArticleError(AudiogenError):
    """One article cannot be read or narrated; other articles still build."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class TextError(AudiogenError):
    """A text cannot be read (too large, too complex); whoever knows its name reports it, and
    that article fails alone."""


class EngineError(AudiogenError):
    """A voice engine cannot be found, loaded or reached."""


class ClusterError(EngineError):
    """The Dask cluster cannot be reached, or cannot render: the build stops."""


class SpeechError(AudiogenError):
    """The voice could not speak a sentence: that article fails, the others go on."""


class EncodingError(AudiogenError):
    """ffmpeg could not encode (a full disk, most likely): the build stops."""
