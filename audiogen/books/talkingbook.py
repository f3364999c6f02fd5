"""A section's written text as a talking book shows it, and the clip of its audio each part is heard in.

The Script marks (Open, Close) where each sentence stands in the text; here they
become a tree of Elements. Every narrated unit (a sentence, or a whole table row,
read as one) gets an id and a clip of the section's MP3. Clips are contiguous,
from 0 to the end of the file, so that pauses and earcons belong to the sentence
they follow. epub.py and daisy.py write these trees in their own markup.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

from ..cache import key
from ..config import Settings
from ..dates import moment
from ..model import Article, Close, Code, Open, Rendering, Script, Sentence
from ..podcast.episode import AudioFile, Episode

KINDS = {
    # kind: (EPUB 3 element, DAISY 2.02 element, class)
    "title": ("h1", "h1", ""), "heading": ("h2", "h2", ""), "paragraph": ("p", "p", ""),
    "announcement": ("p", "p", "announcement"), "list": ("div", "div", "list"), "bullets": ("ul", "ul", ""),
    "numbers": ("ol", "ol", "numbered"), "item": ("li", "li", ""), "table": ("div", "div", "table"),
    "grid": ("table", "table", ""), "caption": ("caption", "caption", ""), "header": ("tr", "tr", ""),
    "row": ("tr", "tr", ""), "code": ("pre", "pre", ""), "figure": ("figure", "div", "figure"),
    "alt": ("p", "p", "image"), "figcaption": ("figcaption", "div", "caption"),
    "quote": ("blockquote", "blockquote", ""), "note": ("aside", "div", "note"),
    "notes": ("section", "div", "notes"), "aside": ("aside", "div", "aside"),
}
"""Every kind of Open mark, and how each format writes it."""
BOOK_NAMESPACE = uuid.UUID("7f3f5c62-6a43-5a8e-9d59-2f7a0a2c1b4e")
"""For the identifiers of books made of several articles."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every zip entry's time: an unchanged book gives the same bytes."""
XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
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
    sections = tuple(section(script, rendering, entry.file) for script, rendering, entry
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
            f"The narrator is a synthetic voice ({narrator}), not a person. Lists, tables, quotes and notes "
            "are announced where they start and end, and can be escaped; tables are read row by row, each "
            "cell with its column's name." + (" Code samples are shown but not read aloud." if has_code else ""))


def fingerprint(entries: list[tuple[str, object]]) -> str:
    """Equal for two books whose files would be equal, without reading their audio."""
    return key([(name, entry.hex() if isinstance(entry, bytes) else
                 [entry.tag.hex(), [part.name for part in entry.parts]]) for name, entry in entries])


def write_zip(entries: list[tuple[str, object]], out: BinaryIO) -> None:
    """`entries` as a zip: text compressed, audio (and EPUB's `mimetype`) stored; nothing from the clock."""
    with zipfile.ZipFile(out, "w") as archive:
        for name, entry in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.external_attr = 0o644 << 16
            if isinstance(entry, bytes):
                info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                archive.writestr(info, entry)
            else:
                info.file_size = entry.size
                with archive.open(info, "w") as destination:
                    entry.copy_to(destination)


def section(script: Script, rendering: Rendering, audio: str) -> Section:
    """The talking-book section of a script heard in `rendering` (saved as `audio`)."""
    root = tree(script)
    units = [element for element in walk(root) if element.unit]
    name_elements(root)
    starts = [rendering.cues[unit.sentences[0]].start if unit.sentences else 0.0 for unit in units]
    ends = starts[1:] + [rendering.duration]
    for index, (unit, end) in enumerate(zip(units, ends)):
        unit.clip = (0.0 if index == 0 else round(starts[index], 3), round(end, 3))
    return Section(script.title, root, audio, round(rendering.duration, 3), tuple(units))


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


def write_element(parent: etree._Element, element: Element, flavour: int, heading_offset: int = 0) -> None:
    """`element` as XHTML in the markup of `flavour` (0: EPUB 3, 1: DAISY 2.02), inside `parent`."""
    def tag(name: str) -> str:
        return f"{{{XHTML}}}{name}"

    if element.kind == "sentence":
        span = etree.SubElement(parent, tag("span"), id=element.id)
        span.text, span.tail = element.text, " "
        return
    name, css = KINDS[element.kind][flavour], KINDS[element.kind][2]
    if name[0] == "h" and name[1:].isdigit():
        name = f"h{min(int(name[1:]) + heading_offset, 6)}"
    node = etree.SubElement(parent, tag(name))
    languages = (("lang", element.language), ("{http://www.w3.org/XML/1998/namespace}lang", element.language))
    for attribute, value in (("id", element.id), ("class", css), *semantics(element.kind, flavour), *languages):
        if value:
            node.set(attribute, value)
    for cell in element.cells:
        etree.SubElement(node, tag("th" if element.kind == "header" else "td"),
                         **({"scope": "col"} if element.kind == "header" else {})).text = cell
    if element.kind == "code":
        node.text = element.text
    for child in element.children:
        write_element(node, child, flavour, heading_offset)


def semantics(kind: str, flavour: int) -> tuple[tuple[str, str], ...]:
    """EPUB's structural semantics and ARIA roles for the kinds that have them."""
    if flavour != 0:
        return ()
    return {"notes": ((f"{{{EPUB}}}type", "endnotes"), ("role", "doc-endnotes")),
            "note": (("role", "note"),)}.get(kind, ())


def clock(seconds: float) -> str:
    """A SMIL clock value with milliseconds: "0:01:02.345"."""
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
