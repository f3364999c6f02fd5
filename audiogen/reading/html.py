"""Walk HTML (from Markdown, a feed entry or a saved web page) into headings and blocks.

Every reader of HTML ends here, so what is read how is decided once: links by their text,
images by their alt text, code announced, footnote markers dropped, hidden and scripted
content never reaching the voice.

A page of any shape is read in time and memory linear in its size. The parser streams it
into a tree (lxml, libxml2's HTML parser) whose nesting stops at MAX_DEPTH: deeper elements
lend their text to the one that holds them instead of nesting further, so nothing recurses
past that depth. A page of more than MAX_ELEMENTS elements is refused. Every change to the
tree (removing, separating words) is a constant-time change to one element.
"""

from __future__ import annotations

import re
from typing import Iterator

from lxml import etree
from lxml import html as lxml_html

from ..characters import parsable
from ..errors import TextError
from ..model import Aside, Block, Code, Event, Heading, HeadingMark, Image, ItemList, Paragraph, Table

HEADINGS = {f"h{level}": level for level in range(1, 7)}
NEVER_SPOKEN = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
                "canvas", "audio", "video", "button", "input", "select", "textarea", "head"]
# Elements whose edges separate words even when the markup has no space there.
WORD_BREAKS = ["p", "div", "li", "dt", "dd", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5",
               "h6", "blockquote", "figcaption", "section", "article", "pre", "table", "ul", "ol"]
CONTAINERS = {"div", "section", "article", "main", "body", "html", "header", "span", "center",
              "details", "summary", "hgroup", "font", "form", "fieldset"}
INLINE_AT_BLOCK_LEVEL = {"a", "em", "strong", "b", "i", "u", "code", "small", "abbr", "cite", "q",
                         "mark", "sub", "sup", "time", "kbd", "var", "s", "del", "ins"}
NOTE_CLASSES = {"admonition", "note", "callout", "tip", "warning", "important", "caution"}
FOOTNOTE_LIST_CLASSES = {"footnote", "footnotes", "references"}
FOOTNOTE_MARKER_CLASSES = {"footnote-ref", "footnote-backref", "reference"}
# Screen-reader-only classes ("sr-only", "visually-hidden") are meant to be heard: not here.
HIDDEN_CLASSES = {"hidden", "hide", "d-none", "is-hidden", "display-none", "invisible"}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
TEXT_MARKERS = re.compile(r"\[\^?\d+\]|↩︎?")
MAX_DEPTH = 100
"""Nesting kept as it is written; real pages stay under 40."""
MAX_ELEMENTS = 200_000
"""Elements a page may have: long real articles have tens of thousands."""

Element = lxml_html.HtmlElement


class DepthLimited:
    """A parser target that builds the tree, flattening what is nested deeper than MAX_DEPTH."""

    def __init__(self) -> None:
        self.builder = etree.TreeBuilder(parser=lxml_html.HTMLParser())
        self.depth = self.flattened = self.elements = 0

    def start(self, tag: str, attributes: dict, namespaces: dict | None = None) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise TooManyElements  # lxml stops parsing here; `close` says why
        if self.depth >= MAX_DEPTH:
            self.flattened += 1
            self.builder.data(" ")
            return
        self.depth += 1
        self.builder.start(tag, attributes)

    def end(self, tag: str) -> None:
        if self.flattened:
            self.flattened -= 1
            self.builder.data(" ")
            return
        self.depth -= 1
        self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def close(self) -> Element:
        if self.elements > MAX_ELEMENTS:
            raise TextError(f"has more than {MAX_ELEMENTS:,} elements, far more than any article: not read")
        return self.builder.close()


class TooManyElements(Exception):
    """Raised inside the parser to stop it (lxml does not pass a target's exception on)."""


def parse(markup: str) -> Element:
    """The document in `markup` (a whole page or a fragment), as a tree rooted at <html>.
    Comments and processing instructions are left out."""
    parser = etree.HTMLParser(target=DepthLimited())
    try:
        parser.feed(parsable(markup))
        return parser.close()
    except etree.XMLSyntaxError:  # nothing at all to parse
        return lxml_html.document_fromstring("<html><body></body></html>")


def children(element: Element) -> list[Element]:
    """The element's child elements (no comments or processing instructions)."""
    return [child for child in element if isinstance(child.tag, str)]


def classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def drop(element: Element) -> None:
    """Remove `element` and what is in it, keeping the text that follows it."""
    if element.getparent() is not None:
        element.drop_tree()


def remove_unspoken(root: Element) -> None:
    """Drop what must never reach the voice: scripts, styles, hidden content, footnote markers."""
    for element in [element for element in root.iter(*NEVER_SPOKEN)]:
        drop(element)
    for element in [element for element in root.iter() if is_hidden(element) or is_footnote_marker(element)]:
        drop(element)


def is_hidden(element: Element) -> bool:
    return (element.get("hidden") is not None
            or bool(HIDDEN_CLASSES & classes(element))
            or element.get("aria-hidden") == "true"
            or bool(HIDDEN_STYLE.search(element.get("style") or "")))


def is_footnote_marker(element: Element) -> bool:
    return element.get("role") in ("doc-noteref", "doc-backlink") or bool(FOOTNOTE_MARKER_CLASSES & classes(element))


def is_footnote_list(element: Element) -> bool:
    return element.get("role") == "doc-endnotes" or bool(FOOTNOTE_LIST_CLASSES & classes(element))


def take_footnotes(root: Element) -> Aside | None:
    """Remove the footnote lists from the flow; they are read once, at the end, as notes."""
    listings = [element for element in root.iter() if is_footnote_list(element)]
    notes = [text_of(item) for listing in listings for item in listing.iter("li")]
    for listing in listings:
        drop(listing)
    notes = [Paragraph(note) for note in notes if note]  # numbered when read (speech.py)
    return Aside("notes", tuple(notes)) if notes else None


def separate_words(root: Element) -> None:
    """A space on each side of every element that breaks words (as a browser shows them)."""
    for element in root.iter(*WORD_BREAKS):
        before = element.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + " "
        elif element.getparent() is not None:
            element.getparent().text = (element.getparent().text or "") + " "
        element.tail = " " + (element.tail or "")


def text_of(element: Element) -> str:
    """The element's text as one line, with footnote markers removed."""
    return " ".join(TEXT_MARKERS.sub("", element.text_content()).split())


def events(root: Element) -> Iterator[Event]:
    """Headings and blocks of `root`, in reading order."""
    loose: list[tuple[str, str]] = [(root.text or "", "")]
    for child in root:
        if not isinstance(child.tag, str):
            loose.append((child.tail or "", ""))
            continue
        if child.tag in INLINE_AT_BLOCK_LEVEL:
            loose += [(text_of(child), own_language(child)), (child.tail or "", "")]
            continue
        yield from paragraph_of(loose, root)
        if is_note(child):
            yield note(child)
        elif child.tag in CONTAINERS:
            yield from events(child)
        elif child.tag == "table" and is_layout_table(child):
            for cell in cells(child):
                yield from events(cell)
        else:
            yield from block_events(child)
        loose.append((child.tail or "", ""))
    yield from paragraph_of(loose, root)


def paragraph_of(loose: list[tuple[str, str]], holder: Element) -> Iterator[Paragraph]:
    """The text in `loose` (pieces, each with the language it is marked with) as a paragraph,
    and `loose` emptied. Its language: the one language that marks all its text, else the
    holder's."""
    text = " ".join(" ".join(piece for piece, _ in loose).split())
    marked = {language for piece, language in loose if piece.strip()}
    loose.clear()
    if text:
        yield Paragraph(text, marked.pop() if len(marked) == 1 and "" not in marked else inherited_language(holder))


def own_language(element: Element) -> str:
    """The language marking all of `element`'s text: its own `lang`, or that of the one element
    inside it that holds all of its text."""
    if element.get("lang"):
        return element.get("lang").strip().lower()
    marked = [inner for inner in element.iterdescendants() if inner.get("lang")]
    if len(marked) == 1 and text_of(marked[0]) == text_of(element):
        return marked[0].get("lang").strip().lower()
    return ""


def inherited_language(element: Element) -> str:
    """The language a passage is marked with: its own, or its nearest ancestor's below <html>
    (whose `lang` is the article's, found with its metadata); empty when unmarked."""
    for holder in (element, *element.iterancestors()):
        if holder.tag == "html":
            return ""
        if holder.get("lang"):
            return holder.get("lang").strip().lower()
    return ""


def is_layout_table(element: Element) -> bool:
    """A table that lays out a page rather than holding data: marked as presentation, or with
    another table, a heading, a list or several paragraphs in a cell (as old sites are built)."""
    if element.get("role") in ("presentation", "none"):
        return True
    return any(any(inner.tag in ("table", "ul", "ol", "blockquote", *HEADINGS) for inner in cell.iterdescendants())
               or sum(1 for _ in cell.iter("p")) > 1 for cell in cells(element))


def cells(table: Element) -> list[Element]:
    """The table's own cells, not those of tables inside it."""
    return [cell for cell in table.iter("td", "th") if next(cell.iterancestors("table"), None) is table]


def is_note(element: Element) -> bool:
    return element.get("role") == "note" or bool(NOTE_CLASSES & classes(element))


def note(element: Element) -> Aside:
    """A note or admonition, called by its own title ("Warning") when it has one."""
    title = next((inner for inner in element.iterdescendants() if "admonition-title" in classes(inner)), None)
    kind = text_of(title).lower() if title is not None else "note"
    if title is not None:
        drop(title)
    return Aside(kind or "note", tuple(blocks_in(element)))


def blocks_in(element: Element) -> Iterator[Block]:
    """Blocks inside a quote or note, where headings are read as sub-headings."""
    for event in events(element):
        yield Heading(event.text) if isinstance(event, HeadingMark) else event


def block_events(element: Element) -> Iterator[Event]:
    name = element.tag
    if name in HEADINGS:
        yield HeadingMark(HEADINGS[name], text_of(element))
    elif name == "p":
        yield from paragraph_events(element)
    elif name in ("ul", "ol"):
        yield from item_list(element)
    elif name == "dl":
        yield from definition_list(element)
    elif name == "table":
        yield table(element)
    elif name == "pre":
        yield code(element)
    elif name == "figure":
        yield from figure(element)
    elif name == "img":
        yield from image(element)
    elif name == "blockquote":
        yield Aside("quote", tuple(blocks_in(element)))
    elif name == "aside":
        yield Aside("aside", tuple(blocks_in(element)))
    elif name != "hr":
        yield from paragraph_of([(text_of(element), own_language(element))], element)


def paragraph_events(element: Element) -> Iterator[Block]:
    images = list(element.iter("img"))
    for image_element in images:
        drop(image_element)
    yield from paragraph_of([(text_of(element), own_language(element))], element)
    for image_element in images:
        yield from image(image_element)


def image(element: Element, caption: str = "") -> Iterator[Image]:
    alt = " ".join((element.get("alt") or "").split())
    if alt or caption:
        yield Image(alt, caption)


def figure(element: Element) -> Iterator[Block]:
    caption_element = next(element.iter("figcaption"), None)
    caption = text_of(caption_element) if caption_element is not None else ""
    image_element = next(element.iter("img"), None)
    if image_element is not None:
        yield from image(image_element, caption)
    elif caption:
        yield Image("", caption)
    for block in list(element.iter("pre", "table")):
        yield from block_events(block)


def item_list(element: Element) -> Iterator[ItemList]:
    items = []
    for item in element.findall("li"):
        nested = [sub for sub in children(item) if sub.tag in ("ul", "ol")]
        for sub in nested:
            drop(sub)
        items.append(text_of(item))
        items.extend(text_of(sub_item) for sub in nested for sub_item in sub.iter("li"))
    items = [item for item in items if item]
    if items:
        yield ItemList(tuple(items), ordered=element.tag == "ol")


def definition_list(element: Element) -> Iterator[ItemList]:
    items = []
    for term in element.iter("dt"):
        definition = next(term.itersiblings("dd"), None)
        items.append(f"{text_of(term)}: {text_of(definition)}" if definition is not None else text_of(term))
    if items:
        yield ItemList(tuple(items))


def table(element: Element) -> Table:
    caption_element = next(element.iter("caption"), None)
    caption = text_of(caption_element) if caption_element is not None else ""
    if caption_element is not None:
        drop(caption_element)
    rows = [[text_of(cell) for cell in row.iter("th", "td")] for row in element.iter("tr")]
    rows = [row for row in rows if any(row)]
    first_row = next(element.iter("tr"), None)
    has_header = first_row is not None and any(True for _ in first_row.iter("th")) and \
        not any(True for _ in first_row.iter("td"))
    header = tuple(rows[0]) if rows and has_header else ()
    body = rows[1:] if header else rows
    return Table(header, tuple(tuple(row) for row in body), caption)


def code(element: Element) -> Code:
    text = element.text_content().strip("\n")
    inner = next(element.iter("code"), element)
    names = " ".join(classes(element) | classes(inner))
    language = re.search(r"(?:language|lang)-([\w+#-]+)", names)
    return Code(lines=len(text.splitlines()) or 1, language=language.group(1) if language else "", text=text)
