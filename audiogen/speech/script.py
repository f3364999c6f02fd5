"""Turn a section into a Script: speech-ready sentences and the pauses between them.

Structure the eye gets from layout, the ear gets from here: titles followed by
longer pauses, lists and table rows separated, skippable content (tables, code,
notes, quotes, long captions) announced at its start and end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterable

import pysbd

from ..config import Pauses
from ..languages import primary, same_language
from ..model import (
    Aside,
    Block,
    Close,
    Code,
    Heading,
    Image,
    ItemList,
    Open,
    Paragraph,
    Part,
    Pause,
    Script,
    Section,
    Sentence,
    Table,
    Tone,
)
from .lexicon import Lexicon
from .normalize import normalize
from .numbers import abbreviations_within
from .phrases import Phrases, phrases

MAX_WORDS = 40
"""Longer sentences are cut (at commas if possible) so that the voice never stalls on them."""
MAX_CHARACTERS = 300
"""Nor longer than this, so that text without spaces (Chinese, Japanese, Thai; a very long
word) is cut too."""
LONG_CAPTION_WORDS = 25
LANGUAGE_NAMES = {"py": "Python", "js": "JavaScript", "ts": "TypeScript", "sh": "shell",
                  "bash": "shell", "console": "shell", "cpp": "C plus plus", "cs": "C sharp",
                  "csharp": "C sharp", "rb": "Ruby", "yml": "YAML", "md": "Markdown"}


@dataclass(frozen=True)
class Wording:
    """How written text becomes spoken text for one article and one voice."""

    language: str = "en-us"
    lexicon: Lexicon = Lexicon()
    phonemes: bool = False
    """Whether the voice reads IPA written as [[...]] (Piper does)."""

    def sentences(self, text: str, heading: bool = False) -> list[Sentence]:
        found = []
        for written in split_sentences(text, self.language):
            spoken = self.lexicon.say(written, lambda t: normalize(t, self.language, heading),
                                      self.phonemes)
            if re.search(r"\w", spoken):
                found.append(Sentence(written, end_sentence(spoken)))
        return found


def end_sentence(text: str) -> str:
    """A full stop where there is none (headings, captions), so the voice closes the sentence."""
    return text if text.endswith((".", "!", "?", ":", "]")) else text + "."


KEPT_DOT = "\u2024"
"""An abbreviation's full stop while the text is split into sentences (ONE DOT LEADER)."""


@lru_cache(maxsize=8)
def segmenter(language: str) -> pysbd.Segmenter:
    code = primary(language) or "en"
    try:
        return pysbd.Segmenter(language=code, clean=False)
    except ValueError:
        return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences of `text`, none longer than MAX_WORDS words. The language's abbreviations are
    known before the text is split, so that their full stops do not end a sentence."""
    text = " ".join(text.split())
    if not text:
        return []
    within = abbreviations_within(language)
    if within is not None:
        text = within.sub(lambda match: match.group(0).replace(".", KEPT_DOT), text)
    sentences = [s.strip().replace(KEPT_DOT, ".") for s in segmenter(language).segment(text) if s.strip()]
    return [piece for sentence in sentences for piece in cut_long(sentence)]


def cut_long(sentence: str) -> list[str]:
    """`sentence`, or the pieces of it that each fit: at clauses if they fit, else at words."""
    if fits(sentence):
        return [sentence]
    clauses = [clause for clause in CLAUSE_END.split(sentence) if clause]
    if len(clauses) > 1 and all(fits(clause) for clause in clauses):
        return packed(clauses)
    return packed([piece for word in sentence.split() for piece in cut_word(word)])


CLAUSE_END = re.compile(r"(?<=[,;:])\s+|(?<=[，；：、])")


def fits(text: str) -> bool:
    return len(text.split()) <= MAX_WORDS and len(text) <= MAX_CHARACTERS


def cut_word(word: str) -> list[str]:
    return [word[start:start + MAX_CHARACTERS] for start in range(0, len(word), MAX_CHARACTERS)]


def packed(pieces: list[str]) -> list[str]:
    """Pieces joined back together while they still fit."""
    joined = [pieces[0]]
    for piece in pieces[1:]:
        if fits(f"{joined[-1]} {piece}"):
            joined[-1] += f" {piece}"
        else:
            joined.append(piece)
    return joined


def plural(number: int, noun: str) -> str:
    """"1 section", "6 sections"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass(frozen=True)
class ScriptWriter:
    """Writes what a section says, and marks (Open, Close) where each sentence stands in the
    written text, so that talking books can show the text as it is heard."""

    wording: Wording
    pauses: Pauses
    earcons: bool = False
    wordings: Callable[[str], Wording] | None = None
    """How passages marked with another language are worded (None: as the article)."""

    @property
    def phrases(self) -> Phrases:
        """What is said of the article's shape, in its language."""
        return phrases(self.wording.language)

    def section(self, section: Section) -> Script:
        """Everything a section's audio says: its title, then its blocks."""
        title = self.phrases.introduction if section.opening else section.title
        parts: list[Part] = [Pause(self.pauses.lead_in)]
        if self.earcons:
            parts += [Tone(), Pause(self.pauses.sentence)]
        parts += marked("title", self.heading(title, self.pauses.title))
        for block in section.blocks:
            parts += self.block(block)
        parts.append(Pause(self.pauses.section_end))
        return Script(title, merge_pauses(parts))

    def contents(self, title: str, author: str, titles: list[str], seconds: float) -> Script:
        """The spoken table of contents that opens a full episode."""
        say = self.phrases
        lines = [f"{title}.", say.by.format(author=author) if author else "",
                 f"{say.count(len(titles), say.section)}, {length_phrase(seconds, say)}."]
        lines += [f"{index}: {section_title}." for index, section_title in enumerate(titles, 1)]
        parts: list[Part] = [Pause(self.pauses.lead_in)]
        for line in filter(None, lines):
            parts += self.sentences(line, self.pauses.list_item)
        parts.append(Pause(self.pauses.section_end))
        return Script("Contents", merge_pauses(parts))

    def block(self, block: Block) -> list[Part]:
        readers = {Paragraph: self.paragraph, Heading: self.subheading, ItemList: self.item_list,
                   Table: self.table, Code: self.code, Image: self.image, Aside: self.aside}
        return readers[type(block)](block)

    def sentences(self, text: str, pause_after: float, heading: bool = False, language: str = "") -> list[Part]:
        """`text` as sentences, each followed by a pause; in `language` when it is not the article's."""
        wording = self.wordings(language) if language else self.wording
        parts: list[Part] = []
        for sentence in wording.sentences(text, heading):
            parts += [replace(sentence, language=language), Pause(self.pauses.sentence)]
        return parts + [Pause(pause_after)] if parts else []

    def passage_language(self, language: str) -> str:
        """`language` when it is another than the article's and passages can be read in it, else ""."""
        other = language and not same_language(language, self.wording.language)
        return language if self.wordings and other else ""

    def announce(self, text: str, pause_after: float) -> list[Part]:
        """Words that say where the listener is ("A list of 3 items."), shown as such."""
        return marked("announcement", self.sentences(text, pause_after))

    def heading(self, text: str, pause_after: float) -> list[Part]:
        return self.sentences(text, pause_after, heading=True)

    def paragraph(self, block: Paragraph) -> list[Part]:
        language = self.passage_language(block.language)
        return marked("paragraph", self.sentences(block.text, self.pauses.paragraph, language=language),
                      language=language)

    def subheading(self, block: Heading) -> list[Part]:
        return marked("heading", self.heading(block.text, self.pauses.heading))

    def item_list(self, block: ItemList) -> list[Part]:
        parts = []
        if len(block.items) > 1:
            parts = self.announce(self.phrases.list_of.format(count=len(block.items)), self.pauses.list_item)
        items = [part for number, item in enumerate(block.items, 1) for part in marked(
            "item", self.sentences(f"{number}. {item}" if block.ordered else item, self.pauses.list_item))]
        parts += marked("numbers" if block.ordered else "bullets", items)
        return marked("list", parts + [Pause(self.pauses.paragraph)])

    def table(self, block: Table) -> list[Part]:
        say = self.phrases
        columns = max((len(row) for row in (block.header, *block.rows)), default=0)
        announcement = say.table.format(caption=f": {block.caption}" if block.caption else "",
                                        rows=say.count(len(block.rows), say.row),
                                        columns=say.count(columns, say.column))
        grid = marked("caption", self.sentences(announcement, self.pauses.list_item))
        if block.header:
            grid += [Open("header", cells=block.header), Close()]
        for row in block.rows:
            grid += marked("row", self.sentences(row_text(block.header, row), self.pauses.list_item),
                           cells=row)
        return marked("table", marked("grid", grid) + self.announce(say.end_of_table, self.pauses.paragraph))

    def code(self, block: Code) -> list[Part]:
        say = self.phrases
        language = LANGUAGE_NAMES.get(block.language.lower(), block.language.capitalize())
        announcement = say.code.format(language=say.in_language.format(language=language) if language else "",
                                       lines=say.count(block.lines, say.line))
        return self.announce(announcement, self.pauses.paragraph) + [Open("code", shown=block.text), Close()]

    def image(self, block: Image) -> list[Part]:
        say = self.phrases
        alt = self.sentences(say.image.format(alt=block.alt), self.pauses.sentence) if block.alt else []
        parts = marked("alt", alt)
        if len(block.caption.split()) > LONG_CAPTION_WORDS:
            caption = (self.announce(say.caption_start, self.pauses.sentence)
                       + marked("paragraph", self.sentences(block.caption, self.pauses.sentence))
                       + self.announce(say.caption_end, self.pauses.paragraph))
        elif block.caption:
            said = say.caption.format(caption=block.caption)
            caption = marked("paragraph", self.sentences(said, self.pauses.sentence))
        else:
            caption = []
        parts += marked("figcaption", caption)
        return marked("figure", parts + [Pause(self.pauses.paragraph)] if parts else [])

    def aside(self, block: Aside) -> list[Part]:
        say = self.phrases
        blocks = block.blocks
        if block.kind == "notes":  # footnotes, read once at the end, each with its number
            blocks = tuple(Paragraph(say.note_number.format(number=number, text=note.text), note.language)
                           for number, note in enumerate(blocks, 1))
        inner = [part for inner_block in blocks for part in self.block(inner_block)]
        if not inner:
            return []
        start, end = say.asides.get(block.kind) or tuple(
            phrase.format(Kind=block.kind.capitalize(), kind=block.kind) for phrase in say.other_aside)
        kind = block.kind if block.kind in ("quote", "notes", "aside") else "note"
        return marked(kind, self.announce(start, self.pauses.sentence) + inner
                      + self.announce(end, self.pauses.paragraph))


def marked(kind: str, parts: list[Part], cells: tuple[str, ...] = (), language: str = "") -> list[Part]:
    """`parts` as one part of the written text of the given kind (nothing, if they say nothing)."""
    if not any(isinstance(part, Sentence) for part in parts):
        return parts
    return [Open(kind, cells=cells, language=language), *parts, Close()]


def row_text(header: tuple[str, ...], row: tuple[str, ...]) -> str:
    """A table row read with its column names: "Drug: Diazepam; Dose: 5 mg."."""
    if header:
        cells = [f"{name}: {cell}" if name else cell for name, cell in zip(header, row) if cell]
    else:
        cells = [cell for cell in row if cell]
    return "; ".join(cells) + "."


def length_phrase(seconds: float, say: Phrases) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return say.under_a_minute
    if minutes < 60:
        return say.about.format(length=say.count(minutes, say.minute))
    hours, minutes = divmod(minutes, 60)
    length = say.count(hours, say.hour) + (f" {say.and_} {say.count(minutes, say.minute)}" if minutes else "")
    return say.about.format(length=length)


def merge_pauses(parts: Iterable[Part]) -> tuple[Part, ...]:
    """Back-to-back pauses become one, as long as the longest of them (marks of the written
    text between them do not keep them apart)."""
    merged: list[Part] = []
    last_sound = None
    for part in parts:
        if isinstance(part, Pause) and last_sound is not None and isinstance(merged[last_sound], Pause):
            merged[last_sound] = Pause(max(merged[last_sound].seconds, part.seconds))
            continue
        if not isinstance(part, (Open, Close)):
            last_sound = len(merged)
        merged.append(part)
    return tuple(merged)
