"""Sentence-timed transcripts: WebVTT (captions) and SubRip.

Both formats are a handful of lines; written here so that cue text is escaped
the way each format needs (WebVTT reads "<" and "&" as markup).
"""

from __future__ import annotations

import html
import textwrap

from .model import Cue

LINE_LENGTH = 60


def timestamp(seconds: float, separator: str) -> str:
    milliseconds = round(seconds * 1000)
    hours, milliseconds = divmod(milliseconds, 3_600_000)
    minutes, milliseconds = divmod(milliseconds, 60_000)
    seconds, milliseconds = divmod(milliseconds, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{milliseconds:03d}"


def lines(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LINE_LENGTH)) or "…"


def webvtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, 1):
        text = html.escape(lines(cue.text), quote=False)
        blocks.append(f"{number}\n{timestamp(cue.start, '.')} --> {timestamp(cue.end, '.')}\n{text}")
    return "\n\n".join(blocks) + "\n"


def subrip(cues: list[Cue]) -> str:
    blocks = [f"{number}\n{timestamp(cue.start, ',')} --> {timestamp(cue.end, ',')}\n{lines(cue.text)}"
              for number, cue in enumerate(cues, 1)]
    return "\n\n".join(blocks) + "\n"
