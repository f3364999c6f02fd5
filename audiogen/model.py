"""The data that passes between the stages of the pipeline.

reading/ makes an Article of Sections of Blocks; speech/ turns each Section
into a Script of Parts; narration/ (and audio.py) turn a Script into a Rendering.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from .dates import moment
from .errors import ArticleError
from .typed import typed


@dataclass(frozen=True)
class Paragraph:
    text: str
    """Plain text, markup already removed."""
    language: str = ""
    """The language it is marked with (`lang`), when that is not the article's own."""


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (a heading deeper than the section's own)."""

    text: str


@dataclass(frozen=True)
class ItemList:
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    """Column names; empty when the table has no header row."""
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Code:
    """A code block: announced, never read out; shown in talking books."""

    lines: int
    language: str = ""
    text: str = ""


@dataclass(frozen=True)
class Image:
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Aside:
    """Content a listener may want to skip, announced at its start and end."""

    kind: str
    """What to call it aloud: "note", "quote", "notes", "aside"."""
    blocks: tuple["Block", ...]


Block = Union[Paragraph, Heading, ItemList, Table, Code, Image, Aside]


@dataclass(frozen=True)
class HeadingMark:
    """A heading as a reader finds it; `readers.split_sections` decides which ones start sections."""

    level: int
    text: str


Event = Union[HeadingMark, Block]


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    opening: bool = False
    """The text before the first heading, called "Introduction" in the article's language."""


@dataclass(frozen=True)
class Article:
    source: str
    """Where it was read: a file's path, or a web address."""
    slug: str
    """Names the output folder and the episode: lowercase letters, digits and hyphens."""
    title: str
    sections: tuple[Section, ...]
    author: str = ""
    date: str = ""
    """ISO 8601 date ("2024", "2024-03", "2024-03-05") or date and time; empty when unknown."""
    description: str = ""
    language: str = ""
    image: str = ""
    lexicon: dict[str, str] = field(default_factory=dict)
    """Per-article pronunciations (written word -> how to say it) from front matter."""
    modified: str = ""
    """When the article last changed (its file's modification time), ISO 8601 in UTC."""
    link: str = ""
    """The original's web address ("read the original"); empty for articles that have none."""
    untitled: bool = False
    """Whether it gave no title (front matter, heading, page title), so that it is named after its
    file or its first words, which the producer is told."""


@dataclass(frozen=True)
class Sentence:
    written: str
    """As the article writes it: what transcripts show."""
    spoken: str
    """As the voice reads it: numbers, abbreviations and lexicon words expanded."""
    language: str = ""
    """Another language than its script's, read by that language's voice; empty for the script's."""


@dataclass(frozen=True)
class Pause:
    seconds: float


@dataclass(frozen=True)
class Tone:
    """The earcon that marks a section boundary."""


@dataclass(frozen=True)
class Open:
    """Where a part of the written text begins (a paragraph, a list, a table row...): what a
    talking book shows around the sentences. It is not heard; `Close` ends it."""

    kind: str
    """One of talkingbook.KINDS."""
    cells: tuple[str, ...] = ()
    """A table row's cells, as written."""
    shown: str = ""
    """Text shown and never read: a code block's lines."""
    language: str = ""
    """The part's language, when it is not the article's own (`lang` in talking books)."""


@dataclass(frozen=True)
class Close:
    """Where the part of the written text opened last ends."""


Sound = Union[Sentence, Pause, Tone]
Part = Union[Sentence, Pause, Tone, Open, Close]


@dataclass(frozen=True)
class Script:
    """Everything one audio file says, in order, and where each sentence stands in the text."""

    title: str
    parts: tuple[Part, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(part for part in self.parts if isinstance(part, Sentence))

    @property
    def heard(self) -> tuple[Sound, ...]:
        """The parts that make a sound: what the audio is made of."""
        return tuple(part for part in self.parts if not isinstance(part, (Open, Close)))

    @property
    def text(self) -> str:
        """Exactly what the voice reads, sentence after sentence."""
        return " ".join(sentence.spoken for sentence in self.sentences)


@dataclass(frozen=True)
class Word:
    """When one written word is heard, in seconds from the start of its file."""

    start: float
    end: float
    text: str
    """The word as written (split at spaces), punctuation and all."""


@dataclass(frozen=True)
class Cue:
    """When one sentence is heard, in seconds from the start of its file, and each of its words
    (none from a voice that cannot tell)."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()

    def shifted(self, offset: float) -> "Cue":
        return Cue(round(self.start + offset, 3), round(self.end + offset, 3), self.text,
                   tuple(Word(round(word.start + offset, 3), round(word.end + offset, 3), word.text)
                         for word in self.words))


@dataclass(frozen=True)
class Rendering:
    """A Script turned into MP3 frames (kept in the cache) and its timing."""

    frames: Path
    """MP3 frames with no header: files made of them can be joined byte for byte."""
    duration: float
    cues: tuple[Cue, ...]
    narrated: float
    """Length of the narrated PCM, known before encoding: what the spoken contents count."""


@dataclass(frozen=True)
class AudioEntry:
    file: str
    duration: float
    bytes: int


@dataclass(frozen=True)
class SectionEntry:
    index: int
    title: str
    file: str
    start: float
    """Where the section's chapter starts in the full episode (the first also holds the contents)."""
    duration: float
    """Length of the section's own MP3."""
    bytes: int
    text: str
    """Exactly what the voice read."""


@dataclass(frozen=True)
class Manifest:
    """What one article became; written as `output/<slug>/manifest.json`."""

    title: str
    slug: str
    source: str
    author: str
    date: str
    language: str
    description: str
    published: str
    """The article's date, else when it was first built (kept across rebuilds)."""
    audio: AudioEntry
    sections: tuple[SectionEntry, ...]
    contents: str
    """What the spoken table of contents that opens the full episode says."""
    key: str
    """Hash of everything the audio files were made from; equal keys mean equal files."""
    guid: str = ""
    """The episode's guid in feeds, made when the article is first built and kept; empty in
    manifests of audiogen 0.1, whose guid is made from the slug."""
    voice: str = ""
    """The voice that read the article, named for listeners."""
    link: str = ""
    """The original's web address, when it has one: the episode's link in feeds and the player."""
    epub: str = ""
    """The EPUB 3 talking book's file name; empty when the build makes none."""
    daisy: str = ""
    """The DAISY 2.02 book's zip file name (its files are in `daisy/`); empty when none."""
    m4b: str = ""
    """The M4B audiobook's file name; empty when the build makes none."""
    words: str = ""
    """The JSON transcript's file name: when each word is heard in the full episode (each
    sentence, from a voice that cannot time its words), for other tools."""
    books_key: str = ""
    """Hash of what the talking books were made from; equal keys mean equal files."""

    @property
    def published_at(self) -> datetime.datetime:
        """`published` as a moment in time (UTC when the article gives no time zone)."""
        return moment(self.published)

    @property
    def contents_end(self) -> float:
        """Where the spoken contents end and the first section's own words begin in the full
        episode (0 when it has no spoken contents)."""
        if not self.contents:
            return 0.0
        return round(max(self.audio.duration - sum(section.duration for section in self.sections), 0.0), 3)

    @classmethod
    def from_dict(cls, data: object) -> "Manifest":
        """A manifest as some build wrote it, fields it did not write taking their defaults.

        Raises ValueError when `data` is not one: a field missing or of the wrong type."""
        manifest = typed(cls, data, unknown_allowed=True)
        moment(manifest.published)  # a date that feeds could not give raises ValueError here
        return manifest


@dataclass
class BuildReport:
    """What a build did, for the one who ran it."""

    built: list[Manifest] = field(default_factory=list)
    failed: list[ArticleError] = field(default_factory=list)
    seconds: float = 0.0
    synthesised: int = 0
    """Sentences spoken by the voice; the rest came from the cache."""
    encoded: int = 0
    """Audio files (sections, contents) encoded; the rest came from the cache."""
    fallbacks: list[str] = field(default_factory=list)
    """Languages read with eSpeak NG, as no voice was configured for them."""
    sections_by_worker: dict[str, int] = field(default_factory=dict)
    """On a cluster, how many sections each worker rendered."""

    @property
    def audio_seconds(self) -> float:
        return sum(manifest.audio.duration for manifest in self.built)
