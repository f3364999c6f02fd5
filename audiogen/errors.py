"""User-facing errors: each one prints as a single line, never a traceback."""

from pathlib import Path

import click


class AudiogenError(click.ClickException):
    """Something the user can fix; the CLI prints its message and exits 1."""


class ArticleError(AudiogenError):
    """One article cannot be read or narrated; other articles still build."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class EngineError(AudiogenError):
    """A voice engine cannot be found, loaded or reached."""


class SpeechError(AudiogenError):
    """The voice could not speak a sentence: that article fails, the others go on."""


class EncodingError(AudiogenError):
    """ffmpeg could not encode (a full disk, most likely): the build stops."""
