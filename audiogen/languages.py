"""Language tags (BCP 47): "en", "en-us", "pt-br", "zh-hant-tw".

Articles, settings, voices and lexicons name languages by tag; what is said and who says it
mostly depends on the language itself, the tag's first subtag.
"""

from __future__ import annotations

import re

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def is_language_tag(text: str) -> bool:
    return bool(LANGUAGE_TAG.match(text))


def primary(tag: str) -> str:
    """The language of a tag, lowercase: "pt" for "pt-BR" (or Piper's "pt_BR")."""
    return tag.replace("_", "-").split("-")[0].lower()


def same_language(tag: str, other: str) -> bool:
    return primary(tag) == primary(other)
