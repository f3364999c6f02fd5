"""DAISY 2.02, for the talking-book players and library systems that predate EPUB 3.

One folder, no subfolders (the standard wants every file of the book side by side):
`ncc.html` (the navigation centre: a heading per section and sub-heading, each
pointing at its place in the narration), a SMIL 1.0 file and an XHTML 1.0 text per
section, and the sections' MP3s. The same folder is offered as one zip.
"""

from __future__ import annotations

from typing import Union

from lxml import etree

from .. import __version__
from ..podcast.episode import AudioFile
from .talkingbook import Book, Element, Part, Section, walk
from .xhtml import XHTML, link, page, serialised, write_element

XHTML_DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                 '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
SMIL_DOCTYPE = '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'

Entry = Union[bytes, AudioFile]


def files(book: Book) -> list[tuple[str, Entry]]:
    """Every file of the DAISY 2.02 book, by name: the NCC first."""
    found: list[tuple[str, Entry]] = []
    sections = [(part, section) for part in book.parts for section in part.sections if section.units]
    elapsed = 0.0
    for number, (part, section) in enumerate(sections, 1):
        found.append((f"section{number:03d}.html", text_document(section, part.language)))
        found.append((f"section{number:03d}.smil", smil(book, part, section, number, elapsed)))
        elapsed += section.duration
    for part in book.parts:
        found += [(audio_name(book, part.slug, name), audio) for name, audio in part.audio.items()]
    return [("ncc.html", ncc(book, sections, len(found) + 1)), *found]


def audio_name(book: Book, slug: str, name: str) -> str:
    return f"{slug}-{name}" if book.nested else name


def clock(seconds: float) -> str:
    """hh:mm:ss, as ncc:totalTime and the SMIL timing metadata give it."""
    whole = round(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def npt(seconds: float) -> str:
    return f"npt={seconds:.3f}s"


def html_page(title: str, language: str) -> tuple[etree._Element, etree._Element, etree._Element]:
    root, head, body = page(title, language)
    head.insert(0, etree.Element(f"{{{XHTML}}}meta", {"http-equiv": "Content-Type",
                                                      "content": "text/html; charset=utf-8"}))
    return root, head, body


def text_document(section: Section, language: str) -> bytes:
    root, _, body = html_page(section.title, language)
    for child in section.root.children:
        write_element(body, child, flavour=1)
    return serialised(root, XHTML_DOCTYPE)


def smil(book: Book, part: Part, section: Section, number: int, elapsed: float) -> bytes:
    """The section's SMIL 1.0: a `par` per narrated unit, its text and its clip."""
    root = etree.Element("smil")
    head = etree.SubElement(root, "head")
    for name, value in (("dc:format", "Daisy 2.02"), ("dc:title", section.title),
                        ("dc:identifier", book.identifier), ("ncc:generator", f"audiogen {__version__}"),
                        ("ncc:totalElapsedTime", clock(elapsed)), ("ncc:timeInThisSmil", clock(section.duration)),
                        ("title", section.title)):
        etree.SubElement(head, "meta", name=name, content=value)
    etree.SubElement(etree.SubElement(head, "layout"), "region", id="txtView")
    sequence = etree.SubElement(etree.SubElement(root, "body"), "seq", dur=f"{section.duration:.3f}s")
    audio = audio_name(book, part.slug, section.audio)
    for unit in section.units:
        par = etree.SubElement(sequence, "par", endsync="last", id=f"par-{unit.id}")
        etree.SubElement(par, "text", src=f"section{number:03d}.html#{unit.id}", id=f"text-{unit.id}")
        etree.SubElement(par, "audio", src=audio, id=f"audio-{unit.id}",
                         **{"clip-begin": npt(unit.clip[0]), "clip-end": npt(unit.clip[1])})
    return serialised(root, SMIL_DOCTYPE)


def headings(section: Section) -> list[tuple[int, Element, str]]:
    """The section's headings (its title at level 1, sub-headings at 2): each with its first
    narrated unit and its text."""
    found = []
    for element in walk(section.root):
        units = [unit for unit in walk(element) if unit.unit] if element.kind in ("title", "heading") else []
        if units:
            found.append((1 if element.kind == "title" else 2, units[0], " ".join(unit.text for unit in units)))
    return found


def ncc(book: Book, sections: list, file_count: int) -> bytes:
    """The navigation centre: the book's title, then a heading per section and sub-heading."""
    root, head, body = html_page(book.title, book.language)
    entries = [(level, number, unit, text) for number, (_, section) in enumerate(sections, 1)
               for level, unit, text in headings(section)]
    total = sum(section.duration for _, section in sections)
    metadata = {
        "dc:title": book.title, "dc:creator": book.author or book.publisher, "dc:date": book.date[:10],
        "dc:format": "Daisy 2.02", "dc:identifier": book.identifier, "dc:language": book.language,
        "dc:publisher": book.publisher, "ncc:charset": "utf-8", "ncc:generator": f"audiogen {__version__}",
        "ncc:narrator": book.narrator, "ncc:multimediaType": "audioFullText", "ncc:totalTime": clock(total),
        "ncc:tocItems": str(len(entries) + 1), "ncc:depth": str(max((entry[0] for entry in entries), default=1)),
        "ncc:files": str(file_count), "ncc:pageFront": "0", "ncc:pageNormal": "0", "ncc:pageSpecial": "0",
        "ncc:maxPageNormal": "0", "ncc:footnotes": "0", "ncc:sidebars": "0", "ncc:prodNotes": "0",
    }
    for name, value in metadata.items():
        etree.SubElement(head, f"{{{XHTML}}}meta", name=name, content=value)
    first = entries[0] if entries else None
    title = etree.SubElement(body, f"{{{XHTML}}}h1", {"class": "title", "id": "title"})
    link(title, f"section001.smil#par-{first[2].id}" if first else "section001.smil", book.title)
    for index, (level, number, unit, text) in enumerate(entries, 1):
        heading = etree.SubElement(body, f"{{{XHTML}}}h{level}", id=f"nav{index}")
        link(heading, f"section{number:03d}.smil#par-{unit.id}", text)
    return serialised(root, XHTML_DOCTYPE)
