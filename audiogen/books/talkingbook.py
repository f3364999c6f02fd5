"""A section's written text as a talking book shows it, and the clip of its audio each part is heard in.

The Script marks (Open, Close) where each sentence stands in the text; here they
become a tree of Elements. Every narrated unit (a sentence, or a whole table row,
read as one) gets an id and a clip of the section's MP3. Clips are contiguous,
from 0 to the end of the file, so that pauses and earcons belong to the sentence
they follow. epub.py and daisy.py write these trees in their own markup.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from ..config import Settings
from ..dates import moment
from ..model import Article, Close, Code, Open, Rendering, Script, Sentence, Word
from ..podcast.episode import AudioFile, Episode
from ..podcast.notes import synthetic_voice

BOOK_NAMESPACE = uuid.UUID("7f3f5c62-6a43-5a8e-9d59-2f7a0a2c1b4e")
"""For the identifiers of books made of several articles."""
ESCAPABLE = {"list": "list", "table": "table", "figure": "figure", "quote": "aside", "note": "aside",
             "aside": "aside", "notes": "endnotes"}
"""Structures a reader can escape or skip, with the epub:type their overlay `seq` carries.
SSV has no term for a block quotation: "aside" is the escapable type that fits it best."""


@dataclass
class Element:
    """A part of the written text (a paragraph, a list, a row...), or one sentence of it."""

    kind: str
    """A key of KINDS, or "sentence"."""
    children: list["Element"] = field(default_factory=list)
    text: str = ""
    """A sentence as written; a code block's lines."""
    cells: tuple[str, ...] = ()
    id: str = ""
    """Given to narrated units and to escapable structures."""
    clip: tuple[float, float] | None = None
    """Where a narrated unit is heard in the section's MP3, in seconds."""
    sentences: list[int] = field(default_factory=list)
    """The indexes (in the Script) of the sentences a narrated unit holds."""
    language: str = ""
    """Its language, when it is another than the book's."""
    words: tuple[tuple[str, tuple[float, float]], ...] = ()
    """For word-by-word read-along, a sentence's words (those heard at one moment together) and
    the clip of each, which together cover the sentence's clip."""

    @property
    def unit(self) -> bool:
        """Whether this element is heard as one: a sentence, or a table row (its sentences are not shown)."""
        return self.kind in ("sentence", "row")


@dataclass(frozen=True)
class Section:
    """One section of a talking book: its title, its text as a tree, its audio file."""

    title: str
    root: Element
    audio: str
    """The section's MP3, by name."""
    duration: float
    units: tuple[Element, ...]
    """The narrated units in reading order, each with its id and clip."""


@dataclass(frozen=True)
class Part:
    """One article of a book: its sections and their MP3s (by name)."""

    title: str
    slug: str
    language: str
    sections: tuple[Section, ...]
    audio: dict[str, AudioFile]
    has_code: bool = False
    """Whether code is shown but not read, which the book's summary says."""


@dataclass(frozen=True)
class Book:
    identifier: str
    """A URN that never changes across rebuilds (the episode's guid)."""
    title: str
    author: str
    language: str
    date: str
    modified: str
    """ISO 8601 in UTC, to the second, from the inputs."""
    narrator: str
    publisher: str
    """Who publishes the book and certifies its accessibility: the show's owner."""
    parts: tuple[Part, ...]
    summary: str

    @property
    def nested(self) -> bool:
        """A book of several articles: a part per article, its sections inside."""
        return len(self.parts) > 1


def article_book(article: Article, settings: Settings, narrated: Episode, identifier: str) -> Book:
    """One article as a talking book: its sections, their MP3s, and what to say of them."""
    manifest = narrated.manifest
    language = article.language
    sections = tuple(section(script, rendering, entry.file, settings.read_along == "word")
                     for script, rendering, entry
                     in zip(narrated.scripts, narrated.renderings, manifest.sections))
    part = Part(article.title, article.slug, language, sections,
                {item.audio: narrated.files[item.audio] for item in sections}, has_code(article))
    return Book(identifier=f"urn:uuid:{identifier}", title=article.title, author=article.author,
                language=language, date=moment(manifest.published).date().isoformat(),
                modified=article.modified or moment(manifest.published).strftime("%Y-%m-%dT%H:%M:%SZ"),
                narrator=manifest.voice, publisher=publisher(settings), parts=(part,),
                summary=summary(manifest.voice, part.has_code))


def folder_book(parts: tuple[Part, ...], settings: Settings, title: str, author: str, narrator: str,
                modified: str, date: str) -> Book:
    """Articles as one talking book, a part each; its identifier is made from its title and author."""
    identifier = uuid.uuid5(BOOK_NAMESPACE, f"{title}\n{author}")
    return Book(identifier=f"urn:uuid:{identifier}", title=title, author=author, language=settings.language,
                date=date, modified=modified, narrator=narrator, publisher=publisher(settings), parts=parts,
                summary=summary(narrator, any(part.has_code for part in parts)))


def has_code(article: Article) -> bool:
    return any(isinstance(block, Code) for item in article.sections for block in item.blocks)


def publisher(settings: Settings) -> str:
    """Who publishes talking books and vouches for their accessibility: the show's owner."""
    return settings.owner_name or settings.author or settings.title


def summary(narrator: str, has_code: bool) -> str:
    """What a reader should know before choosing the book, beyond its accessibility metadata."""
    return ("The full text, read aloud from start to end, with each sentence highlighted as it is heard. "
            f"{synthetic_voice(narrator)} Lists, tables, quotes and notes "
            "are announced where they start and end, and can be escaped; tables are read row by row, each "
            "cell with its column's name." + (" Code samples are shown but not read aloud." if has_code else ""))


def section(script: Script, rendering: Rendering, audio: str, by_word: bool = False) -> Section:
    """The talking-book section of a script heard in `rendering` (saved as `audio`); with
    `by_word`, each sentence's words have their clips too."""
    root = tree(script)
    units = [element for element in walk(root) if element.unit]
    name_elements(root)
    starts = [rendering.cues[unit.sentences[0]].start if unit.sentences else 0.0 for unit in units]
    ends = starts[1:] + [rendering.duration]
    for index, (unit, end) in enumerate(zip(units, ends)):
        unit.clip = (0.0 if index == 0 else round(starts[index], 3), round(end, 3))
        if by_word and unit.kind == "sentence":
            unit.words = word_clips(unit, rendering.cues[unit.sentences[0]].words)
    return Section(script.title, root, audio, round(rendering.duration, 3), tuple(units))


def word_clips(unit: Element, words: tuple[Word, ...]) -> tuple[tuple[str, tuple[float, float]], ...]:
    """The sentence's words with their clips, each from its start to the next one's, the first
    from the sentence's clip's start, the last to its end (the pause after belongs to it). Words
    heard no later than the one before (a word left unsaid) join it. None when the words timed
    are not the words shown."""
    if not words or [word.text for word in words] != unit.text.split():
        return ()
    groups: list[list] = []
    for word in words:
        if groups and word.start <= groups[-1][1]:
            groups[-1][0] += f" {word.text}"
        else:
            groups.append([word.text, word.start])
    starts = [unit.clip[0], *(start for _, start in groups[1:])]
    ends = [*starts[1:], unit.clip[1]]
    return tuple((text, (round(start, 3), round(end, 3))) for (text, _), start, end in zip(groups, starts, ends))


def tree(script: Script) -> Element:
    """The Script's marks as a tree; each sentence a leaf."""
    root = Element("section")
    stack, sentence_index = [root], 0
    for part in script.parts:
        if isinstance(part, Open):
            element = Element(part.kind, text=part.shown, cells=part.cells, language=part.language)
            stack[-1].children.append(element)
            stack.append(element)
        elif isinstance(part, Close):
            stack.pop()
        elif isinstance(part, Sentence):
            parent = stack[-1]
            if parent.kind == "row":
                parent.sentences.append(sentence_index)
            else:
                parent.children.append(Element("sentence", text=part.written, sentences=[sentence_index]))
            sentence_index += 1
    return root


def walk(element: Element):
    """`element` and everything in it, in reading order."""
    yield element
    for child in element.children:
        yield from walk(child)


def name_elements(root: Element) -> None:
    """Ids for narrated units ("s1"...) and escapable structures ("g1"...)."""
    units = groups = 0
    for element in walk(root):
        if element.unit:
            units += 1
            element.id = f"s{units}"
        elif element.kind in ESCAPABLE:
            groups += 1
            element.id = f"g{groups}"


