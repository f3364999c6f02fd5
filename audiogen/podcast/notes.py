"""An episode's show notes, the description podcast apps show: the article's own description,
its chapters as timestamps (which Spotify and Apple Podcasts turn into chapters), and the
statement that a synthetic voice reads it; as text and as HTML, both within Apple's 4,000 bytes."""

from __future__ import annotations

import html

from ..model import Manifest

MAX_DESCRIPTION_BYTES = 4000
LEAST_TIMESTAMPS = 3
"""Spotify reads description timestamps as chapters only from three on, the first at 0:00."""


def synthetic_voice(narrator: str) -> str:
    """The sentence that tells a listener who reads: in every feed and every book."""
    return f"The narrator is a synthetic voice ({narrator.removesuffix(', synthetic')}), not a person."


def clock(seconds: float) -> str:
    """A chapter's start as description timestamps write it: 0:00, 12:05, 1:02:03 (rounded down,
    so that a jump lands on the chapter's first word, never after it)."""
    whole = int(seconds)
    hours, minutes, rest = whole // 3600, whole // 60 % 60, whole % 60
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"


def timestamps(manifest: Manifest) -> list[str]:
    """One line per chapter ("0:00 Introduction"), or none for an episode of fewer than three."""
    if len(manifest.sections) < LEAST_TIMESTAMPS:
        return []
    return [f"{clock(section.start)} {section.title}" for section in manifest.sections]


def fitted(text: str, room: int) -> str:
    """`text` cut at the last space that fits in `room` bytes once escaped, so that no word (and
    no entity) is cut in half."""
    data = html.escape(text, quote=False).encode("utf-8")
    if len(data) <= room:
        return data.decode("utf-8")
    return data[:max(room - 3, 0)].decode("utf-8", errors="ignore").rsplit(" ", 1)[0] + "…"


def escaped(text: str) -> str:
    """Text as a feed's description: escaped, since podcast apps read descriptions as HTML (an
    article's "<b>" is shown as written, never as markup), and cut to Apple's 4,000 bytes."""
    return fitted(text, MAX_DESCRIPTION_BYTES)


def show_notes(manifest: Manifest) -> tuple[str, str]:
    """An article's episode's description as text (lines apart) and as HTML (`content:encoded`)."""
    return described(manifest.description or manifest.title, timestamps(manifest), manifest.voice)


def described(opening: str, chapters: list[str], narrator: str) -> tuple[str, str]:
    """`opening` (cut to fit), the chapters' timestamps and who narrates, as text and as HTML."""
    chapters = [html.escape(line, quote=False) for line in chapters]
    closing = [html.escape(synthetic_voice(narrator), quote=False)] if narrator else []

    def markup(first: str) -> str:
        return "".join(f"<p>{part}</p>" for part in (first, "<br>".join(chapters), *closing) if part)

    first = fitted(opening, MAX_DESCRIPTION_BYTES - len(markup("").encode("utf-8")) - len("<p></p>"))
    text = "\n\n".join(part for part in (first, "\n".join(chapters), *closing) if part)
    return text, markup(first)
