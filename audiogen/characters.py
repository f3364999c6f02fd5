"""Which characters reach the rest of the pipeline: decided once, when an article is read.

Removed: characters no XML document can carry (control characters, lone surrogates
from bad decoding, the noncharacters U+FFFE and U+FFFF), characters no voice can
say and no reader can see (private-use and unassigned code points), and the
invisible bidirectional embeddings and overrides that reorder the text around them
in feeds and pages (right-to-left text needs none of them). Text is put in NFC, so
that a letter with a combining accent is one letter everywhere. What stays but
is not spoken (zero-width and directional marks, emoji) is speech's concern.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

REMOVED_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
KEPT_CONTROLS = {"\n", "\t"}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ORDINARY = re.compile(r"[\t\n\x20-\x7e\u00a0-\u02ff]*")
"""ASCII and Latin letters: text made only of these needs no character-by-character look."""


XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What no XML or HTML parser takes: C0 controls but tab and line ends, lone surrogates, U+FFFE, U+FFFF."""


def parsable(markup: str) -> str:
    """`markup` without the characters a parser would stop at (fast, for whole pages: the
    article's text is cleaned fully once it is read)."""
    return XML_INVALID.sub("", markup)


def removed(character: str) -> bool:
    return ((unicodedata.category(character) in REMOVED_CATEGORIES and character not in KEPT_CONTROLS)
            or character in BIDI_CONTROLS)


def clean(text: str) -> str:
    """`text` without the characters that must not go further, in NFC."""
    if ORDINARY.fullmatch(text):
        return text
    text = "".join(character for character in text if not removed(character))
    return unicodedata.normalize("NFC", text)


def cleaned(value: Any) -> Any:
    """`value` with every string in it cleaned: strings, tuples, lists, dicts and dataclasses."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, (tuple, list)):
        return type(value)(cleaned(item) for item in value)
    if isinstance(value, dict):
        return {cleaned(name): cleaned(item) for name, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{field.name: cleaned(getattr(value, field.name))
                                             for field in dataclasses.fields(value) if field.init})
    return value
