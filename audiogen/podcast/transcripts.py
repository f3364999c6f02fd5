"""Sentence-timed transcripts: WebVTT (captions) and SubRip.

Both formats are a handful of lines; written here so that cue text is escaped
the way each format needs. WebVTT reads "<" and "&" as markup: they become
entities. SubRip has no escapes, but players read `<b>`, `<i>`, `<u>`, `<font>`
and `{\\an8}`-style overrides in cue text, and a line holding "-->" as timing:
those are made harmless with look-alike characters.
"""

from __future__ import annotations

import html
import re
import textwrap

from ..model import Cue

LINE_LENGTH = 60
SUBRIP_MARKUP = {re.compile(r"<(?=/?[A-Za-z])"): "‹", re.compile(r"\{(?=\\)"): "{ ", re.compile(r"-->"): "→"}


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


def subrip_text(text: str) -> str:
    for markup, harmless in SUBRIP_MARKUP.items():
        text = markup.sub(harmless, text)
    return text


def subrip(cues: list[Cue]) -> str:
    blocks = [f"{number}\n{timestamp(cue.start, ',')} --> {timestamp(cue.end, ',')}\n{lines(subrip_text(cue.text))}"
              for number, cue in enumerate(cues, 1)]
    return "\n\n".join(blocks) + "\n"
