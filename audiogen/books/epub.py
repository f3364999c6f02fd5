"""EPUB 3.3 with Media Overlays 3.3: the text of one article (or a folder of them) and its narration,
synchronised sentence by sentence, for talking-book reading systems.

A content document (XHTML) and a media overlay (SMIL) per section, the sections' own
MP3s, a navigation document, and a package document with the metadata EPUB
Accessibility 1.1 asks for. Everything in the book comes from its inputs, nothing
from the clock, so an unchanged article gives the same bytes; the zip is written
as a stream, so a book-length article never sits in memory.
"""

from __future__ import annotations

from typing import Union

from lxml import etree

from ..podcast.episode import AudioFile
from .talkingbook import ESCAPABLE, Book, Element, Part, Section
from .xhtml import EPUB, XHTML, link, page, serialised, write_element

SMIL = "http://www.w3.org/ns/SMIL"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
ACTIVE_CLASS = "audiogen-active"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
STYLE = f"""body {{ font-family: serif; line-height: 1.5; margin: 0 5%; }}
.{ACTIVE_CLASS}, .-epub-media-overlay-active {{ background-color: #ffe066; color: #000; }}
.announcement {{ font-style: italic; color: #4a4a4a; }}
ol.numbered {{ list-style: none; padding-left: 0; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #555; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f4; color: #000; padding: 0.5em; }}
blockquote, aside {{ margin: 1em 2em; }}
span, p, li, td {{ overflow-wrap: anywhere; }}
""".encode()

Entry = Union[bytes, AudioFile]


def entries(book: Book) -> list[tuple[str, Entry]]:
    """Every file of the EPUB container, in order: `mimetype` first."""
    found: list[tuple[str, Entry]] = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", container()),
        ("EPUB/package.opf", package(book)),
        ("EPUB/nav.xhtml", navigation(book)),
        ("EPUB/style.css", STYLE),
    ]
    for part in book.parts:
        for index, section in enumerate(part.sections, 1):
            name = section_name(book, part, index)
            found.append((f"EPUB/text/{name}.xhtml", content_document(section, part.language, book.nested)))
            if section.units:
                found.append((f"EPUB/overlays/{name}.smil", overlay(section, f"../text/{name}.xhtml",
                                                                    f"../{audio_path(book, part, section)}")))
        for name, audio in part.audio.items():
            found.append((f"EPUB/audio/{audio_folder(book, part)}{name}", audio))
    return found


def section_name(book: Book, part: Part, index: int) -> str:
    return f"{part.slug}-{index:02d}" if book.nested else f"section-{index:02d}"


def audio_folder(book: Book, part: Part) -> str:
    return f"{part.slug}/" if book.nested else ""


def audio_path(book: Book, part: Part, section: Section) -> str:
    return f"audio/{audio_folder(book, part)}{section.audio}"


def container() -> bytes:
    root = etree.Element("container", nsmap={None: "urn:oasis:names:tc:opendocument:xmlns:container"},
                         version="1.0")
    files = etree.SubElement(root, "rootfiles")
    etree.SubElement(files, "rootfile", {"full-path": "EPUB/package.opf",
                                         "media-type": "application/oebps-package+xml"})
    return serialised(root)


def xhtml_page(title: str, language: str, stylesheet: str) -> tuple[etree._Element, etree._Element]:
    """An empty XHTML page of the book: its root and its body."""
    root, head, body = page(title, language, {"epub": EPUB})
    head.insert(0, etree.Element(f"{{{XHTML}}}meta", charset="utf-8"))
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href=stylesheet)
    return root, body


def content_document(section: Section, language: str, nested: bool) -> bytes:
    root, body = xhtml_page(section.title, language, "../style.css")
    chapter = etree.SubElement(body, f"{{{XHTML}}}section", {f"{{{EPUB}}}type": "chapter", "role": "doc-chapter",
                                                            "aria-label": section.title})
    for child in section.root.children:
        write_element(chapter, child, flavour=0, heading_offset=1 if nested else 0)
    return serialised(root, "<!DOCTYPE html>")


def overlay(section: Section, text: str, audio: str) -> bytes:
    """The section's media overlay: a `par` per narrated unit, escapable structures in a `seq`."""
    root = etree.Element(f"{{{SMIL}}}smil", nsmap={None: SMIL, "epub": EPUB}, version="3.0")
    body = etree.SubElement(root, f"{{{SMIL}}}body", {f"{{{EPUB}}}textref": text})
    overlay_children(body, section.root, text, audio, escaping=False, in_notes=False)
    return serialised(root)


def overlay_children(parent: etree._Element, element: Element, text: str, audio: str, escaping: bool,
                     in_notes: bool) -> None:
    for child in element.children:
        if child.unit and child.words:  # word by word: the sentence a seq of its words
            seq = etree.SubElement(parent, f"{{{SMIL}}}seq", {"id": f"seq-{child.id}",
                                                             f"{{{EPUB}}}textref": f"{text}#{child.id}"})
            for number, (_, clip) in enumerate(child.words, 1):
                clip_par(seq, f"{child.id}w{number}", clip, text, audio, in_notes)
        elif child.unit:
            clip_par(parent, child.id, child.clip, text, audio, in_notes)
        elif child.kind in ESCAPABLE and not escaping:
            # Nested escapable structures are not marked: reading systems handle them badly.
            seq = etree.SubElement(parent, f"{{{SMIL}}}seq", {"id": f"seq-{child.id}",
                                                             f"{{{EPUB}}}type": ESCAPABLE[child.kind],
                                                             f"{{{EPUB}}}textref": f"{text}#{child.id}"})
            overlay_children(seq, child, text, audio, True, in_notes or child.kind == "notes")
        else:
            overlay_children(parent, child, text, audio, escaping, in_notes or child.kind == "notes")


def clip_par(parent: etree._Element, target: str, clip: tuple[float, float], text: str, audio: str,
             in_notes: bool) -> None:
    """A `par`: the element `target` of the text, heard in `clip` of the audio."""
    par = etree.SubElement(parent, f"{{{SMIL}}}par", id=f"par-{target}")
    if in_notes:
        par.set(f"{{{EPUB}}}type", "footnote")
    etree.SubElement(par, f"{{{SMIL}}}text", src=f"{text}#{target}")
    etree.SubElement(par, f"{{{SMIL}}}audio", src=audio, clipBegin=clock(clip[0]), clipEnd=clock(clip[1]))


def navigation(book: Book) -> bytes:
    """The navigation document: the table of contents (a part per article in a book of several)
    and the landmarks."""
    root, body = xhtml_page("Contents", book.language, "style.css")
    toc = etree.SubElement(body, f"{{{XHTML}}}nav", {f"{{{EPUB}}}type": "toc", "id": "toc", "role": "doc-toc"})
    etree.SubElement(toc, f"{{{XHTML}}}h1").text = book.title
    entries_list = etree.SubElement(toc, f"{{{XHTML}}}ol")
    for part in book.parts:
        sections = entries_list
        if book.nested:
            item = etree.SubElement(entries_list, f"{{{XHTML}}}li")
            link(item, f"text/{section_name(book, part, 1)}.xhtml", part.title)
            sections = etree.SubElement(item, f"{{{XHTML}}}ol")
        for index, section in enumerate(part.sections, 1):
            link(etree.SubElement(sections, f"{{{XHTML}}}li"), f"text/{section_name(book, part, index)}.xhtml",
                 section.title)
    landmarks = etree.SubElement(body, f"{{{XHTML}}}nav", {f"{{{EPUB}}}type": "landmarks", "hidden": "hidden",
                                                          "aria-label": "Landmarks"})
    marks = etree.SubElement(landmarks, f"{{{XHTML}}}ol")
    first = f"text/{section_name(book, book.parts[0], 1)}.xhtml"
    for epub_type, href, label in (("toc", "nav.xhtml#toc", "Contents"), ("bodymatter", first, "Start")):
        link(etree.SubElement(marks, f"{{{XHTML}}}li"), href, label).set(f"{{{EPUB}}}type", epub_type)
    return serialised(root, "<!DOCTYPE html>")


def package(book: Book) -> bytes:
    root = etree.Element(f"{{{OPF}}}package", nsmap={None: OPF}, version="3.0",
                         attrib={"unique-identifier": "id",
                                 "{http://www.w3.org/XML/1998/namespace}lang": book.language})
    metadata = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})
    manifest = etree.SubElement(root, f"{{{OPF}}}manifest")
    spine = etree.SubElement(root, f"{{{OPF}}}spine")
    describe(metadata, book)
    item(manifest, "nav", "nav.xhtml", "application/xhtml+xml", properties="nav")
    item(manifest, "style", "style.css", "text/css")
    etree.SubElement(spine, f"{{{OPF}}}itemref", idref="nav")
    total = 0
    for part in book.parts:
        for index, section in enumerate(part.sections, 1):
            name = section_name(book, part, index)
            item(manifest, f"text-{name}", f"text/{name}.xhtml", "application/xhtml+xml",
                 overlay=f"mo-{name}" if section.units else "")
            etree.SubElement(spine, f"{{{OPF}}}itemref", idref=f"text-{name}")
            if section.units:
                item(manifest, f"mo-{name}", f"overlays/{name}.smil", "application/smil+xml")
                meta(metadata, "media:duration", clock(section.duration), refines=f"#mo-{name}")
                total += round(section.duration * 1000)
        for number, name in enumerate(part.audio, 1):
            item(manifest, f"audio-{part.slug}-{number:02d}", f"audio/{audio_folder(book, part)}{name}",
                 "audio/mpeg")
    meta(metadata, "media:duration", clock(total / 1000))
    return serialised(root)


def describe(metadata: etree._Element, book: Book) -> None:
    """Bibliographic, narration and accessibility metadata (EPUB Accessibility 1.1)."""
    etree.SubElement(metadata, f"{{{DC}}}identifier", id="id").text = book.identifier
    etree.SubElement(metadata, f"{{{DC}}}title").text = book.title
    if book.author:
        etree.SubElement(metadata, f"{{{DC}}}creator").text = book.author
    etree.SubElement(metadata, f"{{{DC}}}language").text = book.language
    if book.date:
        etree.SubElement(metadata, f"{{{DC}}}date").text = book.date
    etree.SubElement(metadata, f"{{{DC}}}publisher").text = book.publisher
    meta(metadata, "dcterms:modified", book.modified)
    meta(metadata, "media:narrator", book.narrator)
    meta(metadata, "media:active-class", ACTIVE_CLASS)
    meta(metadata, "schema:accessMode", "textual")  # the audio renders the text: not an access mode of its own
    for sufficient in ("textual", "auditory"):
        meta(metadata, "schema:accessModeSufficient", sufficient)
    for feature in ("synchronizedAudioText", "readingOrder", "structuralNavigation", "tableOfContents"):
        meta(metadata, "schema:accessibilityFeature", feature)
    meta(metadata, "schema:accessibilityHazard", "none")
    meta(metadata, "schema:accessibilitySummary", book.summary)
    meta(metadata, "dcterms:conformsTo", CONFORMANCE).set("id", "conformance")
    meta(metadata, "a11y:certifiedBy", book.publisher, refines="#conformance")


def meta(metadata: etree._Element, name: str, value: str, refines: str = "") -> etree._Element:
    element = etree.SubElement(metadata, f"{{{OPF}}}meta", property=name)
    if refines:
        element.set("refines", refines)
    element.text = value
    return element


def item(manifest: etree._Element, identifier: str, href: str, media_type: str, properties: str = "",
         overlay: str = "") -> None:
    element = etree.SubElement(manifest, f"{{{OPF}}}item", id=identifier, href=href)
    element.set("media-type", media_type)
    if properties:
        element.set("properties", properties)
    if overlay:
        element.set("media-overlay", overlay)


def clock(seconds: float) -> str:
    """A SMIL clock value with milliseconds: "0:01:02.345"."""
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
