"""Bytes to text: an article's encoding, however it was saved.

In order: a byte-order mark; UTF-8 (nearly all text today, and bytes that decode
as UTF-8 are almost never anything else); the charset a web page or its HTTP
header declares; then a legacy encoding, detected. Detectors need a few sentences
to tell Windows-1252 from its Central European cousins, so text that reads as
plausible Western European text in Windows-1252 is taken as such first; KOI8-R,
Shift-JIS, ISO-8859-2 and the others are left to chardet.
"""

from __future__ import annotations

import codecs
import re

BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                    (codecs.BOM_UTF16_BE, "utf-16"))
LATIN_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
SYMBOL_IN_A_WORD = re.compile(f"[{LATIN_LETTER}][\u00a1-\u00a9\u00ab-\u00b6\u00b8-\u00b9\u00bb-\u00bf"
                              f"\u00d7\u00f7\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u2039"
                              f"\u2022\u02dc\u2122\u203a]+[{LATIN_LETTER}]")
"""A Latin-1 symbol between two letters ("Zespó³", "pociťují" as "poci»ují"): what Central
European text looks like when it is read as Windows-1252."""


def byte_order_mark(data: bytes) -> str | None:
    return next((encoding for mark, encoding in BYTE_ORDER_MARKS if data.startswith(mark)), None)


def decoded(data: bytes, declared: str | None = None) -> str:
    """The text in `data`. `declared` is the charset the page or its server gave, if any.

    Raises UnicodeDecodeError only for bytes that start with a byte-order mark and are not
    in that encoding."""
    marked = byte_order_mark(data)
    if marked:
        return data.decode(marked)
    for encoding in ("utf-8", known(declared)):
        if encoding:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    return legacy(data)


def known(encoding: str | None) -> str | None:
    """The codec for `encoding` as pages name it ("ISO-8859-1", "x-sjis"...), if Python has one
    that decodes bytes to text (a page may name anything, "rot13" too).
    Latin-1 and ASCII are read as Windows-1252, as browsers do (the HTML standard says so)."""
    if not encoding:
        return None
    try:
        codec = codecs.lookup(encoding.strip().strip("\"'"))
    except LookupError:
        return None
    if not getattr(codec, "_is_text_encoding", True):  # rot13, base64, zlib...: not a charset
        return None
    return "cp1252" if codec.name in ("latin-1", "iso8859-1", "ascii") else codec.name


def html_charset(data: bytes) -> str | None:
    """The charset a web page declares in its first bytes (`<meta charset>` and its old form)."""
    from bs4.dammit import EncodingDetector

    return EncodingDetector.find_declared_encoding(data[:4096], is_html=True)


def legacy(data: bytes) -> str:
    try:
        western = data.decode("windows-1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and looks_western(western):
        return western
    import chardet

    guess = known(chardet.detect(data).get("encoding"))
    if guess:
        try:
            return data.decode(guess)
        except UnicodeDecodeError:
            pass
    return western if western is not None else data.decode("latin-1")


def looks_western(text: str) -> bool:
    """Whether `text` reads as Western European text: few letters outside ASCII, no symbols
    inside words (KOI8-R read as Windows-1252 is all accented letters; ISO-8859-2 has ³ or ±
    inside words)."""
    letters = [character for character in text if character.isalpha()]
    foreign = sum(not character.isascii() for character in letters)
    return foreign <= 0.3 * len(letters) and not SYMBOL_IN_A_WORD.search(text)
