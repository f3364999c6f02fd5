"""Timed transcripts: WebVTT (a cue per sentence, a timestamp per word inside it, which
karaoke-capable players follow), SubRip (a cue per sentence) and the Podcasting 2.0 JSON
transcript (a segment per word, or per sentence from a voice that cannot time its words).

The text formats are a handful of lines; written here so that cue text is escaped
the way each format needs. WebVTT reads "<" and "&" as markup: they become
entities. SubRip has no escapes, but players read `<b>`, `<i>`, `<u>`, `<font>`
and `{\\an8}`-style overrides in cue text, and a line holding "-->" as timing:
those are made harmless with look-alike characters.
"""

from __future__ import annotations

import html
import json
import re
import textwrap

from ..model import Cue, Word

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
        text = timed_words(cue) if cue.words else html.escape(lines(cue.text), quote=False)
        blocks.append(f"{number}\n{timestamp(cue.start, '.')} --> {timestamp(cue.end, '.')}\n{text}")
    return "\n\n".join(blocks) + "\n"


def timed_words(cue: Cue) -> str:
    """The cue's words in lines, each after the timestamp of when it is heard. WebVTT wants each
    timestamp after the cue's start, the one before it and before the cue's end: a word heard
    no later than those (a word left unsaid) joins the word before it."""
    wrapped, width, last = [[]], 0, cue.start
    for word in cue.words:
        text = html.escape(word.text, quote=False)
        if cue.start < word.start < cue.end and word.start > last:
            text, last = f"<{timestamp(word.start, '.')}>{text}", word.start
        if width and width + 1 + len(word.text) > LINE_LENGTH:
            wrapped.append([])
            width = 0
        wrapped[-1].append(text)
        width += len(word.text) + (1 if width else 0)
    return "\n".join(" ".join(line) for line in wrapped)


def subrip_text(text: str) -> str:
    for markup, harmless in SUBRIP_MARKUP.items():
        text = markup.sub(harmless, text)
    return text


def subrip(cues: list[Cue]) -> str:
    blocks = [f"{number}\n{timestamp(cue.start, ',')} --> {timestamp(cue.end, ',')}\n{lines(subrip_text(cue.text))}"
              for number, cue in enumerate(cues, 1)]
    return "\n\n".join(blocks) + "\n"


def json_transcript(cues: list[Cue]) -> str:
    """The Podcasting 2.0 JSON transcript (version 1.0.0): a segment per word when the voice
    timed them, else per sentence."""
    segments = [segment(piece) for cue in cues for piece in (cue.words or (cue,))]
    return json.dumps({"version": "1.0.0", "segments": segments}, separators=(",", ":"), ensure_ascii=False) + "\n"


def segment(piece: Cue | Word) -> dict:
    return {"startTime": piece.start, "endTime": piece.end, "body": piece.text}
