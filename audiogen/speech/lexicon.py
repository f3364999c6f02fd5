"""The producer's pronunciation lexicon: `lexicon.toml` or W3C PLS (as DAISY tools use).

Entries apply to whole words. A word written with capitals matches only that
spelling ("SPS"); a word written in lowercase matches any capitalisation.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from ..errors import AudiogenError
from ..languages import same_language

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PLS_NAMESPACE = "{http://www.w3.org/2005/01/pronunciation-lexicon}"
# Lexicon words are held as private-use characters while the other rules run, so that
# no rule rewrites what the producer chose. Articles carry no private-use characters
# (characters.py removes them), so these stand for nothing else.
FIRST_PLACEHOLDER = 0xF0000
PLACEHOLDERS = re.compile("[\U000F0000-\U000FFFFD]")


def is_phonemes(spoken: str) -> bool:
    """Piper reads `[[...]]` as IPA phonemes; other engines would read the brackets."""
    return spoken.startswith("[[") and spoken.endswith("]]")


@dataclass(frozen=True)
class Lexicon:
    entries: Mapping[str, str] = field(default_factory=dict)
    """Written word -> how to say it (text, or IPA phonemes as `[[...]]`)."""

    def merged(self, more: Mapping[str, str]) -> "Lexicon":
        return Lexicon({**self.entries, **more}) if more else self

    def say(self, text: str, rewrite: Callable[[str], str], phonemes: bool) -> str:
        """`rewrite(text)`, with the lexicon's words said as the lexicon says them."""
        usable = {word: spoken for word, spoken in self.entries.items()
                  if phonemes or not is_phonemes(spoken)}
        if not usable:
            return rewrite(text)
        held: dict[str, str] = {}

        def hold(match: re.Match) -> str:
            placeholder = chr(FIRST_PLACEHOLDER + len(held))
            held[placeholder] = usable.get(match.group(0)) or usable[match.group(0).lower()]
            return placeholder

        placeholders = pattern(tuple(sorted(usable, key=len, reverse=True))).sub(hold, text)
        return PLACEHOLDERS.sub(lambda m: held.get(m.group(0), ""), rewrite(placeholders))


def pattern(words: tuple[str, ...]) -> re.Pattern:
    alternatives = [re.escape(word) if word != word.lower() else f"(?i:{re.escape(word)})"
                    for word in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def load(path: Path) -> Lexicon:
    """Read a `.toml` (word = "how to say it") or `.pls` lexicon."""
    return Lexicon(read(path)[0])


def read(path: Path) -> tuple[dict[str, str], str]:
    """A lexicon file's entries, and the language a PLS lexicon declares (`xml:lang`; "" for any)."""
    try:
        if path.suffix.lower() == ".pls":
            return read_pls(path.read_bytes())
        return read_toml(path.read_text(encoding="utf-8")), ""
    except (OSError, UnicodeDecodeError, ValueError, ElementTree.ParseError) as error:
        raise AudiogenError(f"{path}: not a usable lexicon ({error})") from None


@dataclass(frozen=True)
class Lexicons:
    """The project's lexicons: one for every language, and one per language beside it
    (`lexicon.es.toml`, `lexicon.pt-br.pls`), whose entries win for that language."""

    files: tuple[tuple[str, dict[str, str]], ...] = ()
    """(language, entries), the general ones first; "" for every language."""

    def for_language(self, language: str) -> Lexicon:
        """Every lexicon for `language`'s language ("en-US" serves "en-gb" too), the more
        particular winning: one for any language, then the language's, then the region's."""
        entries: dict[str, str] = {}
        for own, found in self.files:
            if not own or same_language(own, language):
                entries.update(found)
        return Lexicon(entries)


def load_all(path: Path) -> Lexicons:
    """`path` (if it exists) and its per-language companions in the same folder."""
    files = []
    if path.is_file():
        entries, language = read(path)
        files.append((language.lower(), entries))
    stem = path.name.split(".")[0]
    for companion in sorted(path.parent.glob(f"{stem}.*.*")) if path.parent.is_dir() else []:
        language = companion.name[len(stem) + 1:].rsplit(".", 1)[0].lower()
        if companion.suffix.lower() in (".toml", ".pls") and companion != path:
            entries, declared = read(companion)
            files.append(((declared or language).lower(), entries))
    return Lexicons(tuple(sorted(files, key=lambda item: (item[0] != "", item[0].count("-")))))


def read_toml(text: str) -> dict[str, str]:
    table = tomllib.loads(text)
    bad = [word for word, spoken in table.items() if not isinstance(spoken, str)]
    if bad:
        raise ValueError(f"'{bad[0]}' must be followed by = \"how to say it\"")
    return table


def read_pls(data: bytes) -> tuple[dict[str, str], str]:
    """A PLS lexicon's entries and its `xml:lang`."""
    root = ElementTree.fromstring(data)
    if root.tag != f"{PLS_NAMESPACE}lexicon":
        raise ValueError("the root element is not a PLS <lexicon>")
    alphabet = root.get("alphabet", "ipa")
    entries = {}
    for lexeme in root.iter(f"{PLS_NAMESPACE}lexeme"):
        spoken = pls_pronunciation(lexeme, alphabet)
        for grapheme in lexeme.iter(f"{PLS_NAMESPACE}grapheme"):
            if spoken and grapheme.text and grapheme.text.strip():
                entries[grapheme.text.strip()] = spoken
    return entries, root.get("{http://www.w3.org/XML/1998/namespace}lang", "")


def pls_pronunciation(lexeme: ElementTree.Element, alphabet: str) -> str:
    """The lexeme's alias, else its IPA phonemes; other phonetic alphabets are skipped."""
    alias = lexeme.find(f"{PLS_NAMESPACE}alias")
    if alias is not None and alias.text and alias.text.strip():
        return " ".join(alias.text.split())
    for phoneme in lexeme.iter(f"{PLS_NAMESPACE}phoneme"):
        if phoneme.get("alphabet", alphabet).lower() == "ipa" and phoneme.text and phoneme.text.strip():
            return f"[[{phoneme.text.strip()}]]"
    return ""
