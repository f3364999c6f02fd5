"""Walk HTML (from Markdown or a saved web page) into headings and blocks.

Both the Markdown and the HTML reader end here, so what is read how is decided
once: links by their text, images by their alt text, code announced, footnote
markers dropped, hidden and scripted content never reaching the voice.
"""

from __future__ import annotations

import re
from typing import Iterator

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .model import Aside, Block, Code, Event, Heading, HeadingMark, Image, ItemList, Paragraph, Table

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


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def remove_unspoken(root: Tag) -> None:
    """Drop what must never reach the voice: scripts, styles, hidden content, comments."""
    for element in root.find_all(NEVER_SPOKEN):
        element.decompose()
    for comment in root.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for element in root.find_all(lambda tag: is_hidden(tag) or is_footnote_marker(tag)):
        if not element.decomposed:
            element.decompose()


def is_hidden(element: Tag) -> bool:
    return (element.has_attr("hidden")
            or bool(HIDDEN_CLASSES & set(element.get("class") or []))
            or element.get("aria-hidden") == "true"
            or bool(HIDDEN_STYLE.search(element.get("style") or "")))


def is_footnote_marker(element: Tag) -> bool:
    return (element.get("role") in ("doc-noteref", "doc-backlink")
            or bool(FOOTNOTE_MARKER_CLASSES & set(element.get("class") or [])))


def is_footnote_list(element: Tag) -> bool:
    return (element.get("role") == "doc-endnotes"
            or bool(FOOTNOTE_LIST_CLASSES & set(element.get("class") or [])))


def take_footnotes(root: Tag) -> Aside | None:
    """Remove the footnote list from the flow; it is read once, at the end, as notes."""
    listings = root.find_all(is_footnote_list)
    notes = [text_of(item) for listing in listings for item in listing.find_all("li")]
    for listing in listings:
        listing.decompose()
    notes = [Paragraph(note) for note in notes if note]  # numbered when read (speech.py)
    return Aside("notes", tuple(notes)) if notes else None


def separate_words(root: Tag) -> None:
    for element in root.find_all(WORD_BREAKS):
        element.insert_before(" ")
        element.insert_after(" ")


def text_of(element: Tag | NavigableString) -> str:
    """The element's text as one line, with footnote markers removed."""
    text = element.get_text() if isinstance(element, Tag) else str(element)
    return " ".join(TEXT_MARKERS.sub("", text).split())


def events(root: Tag) -> Iterator[Event]:
    """Headings and blocks of `root`, in reading order."""
    loose: list[str] = []
    for child in root.children:
        if not isinstance(child, Tag) or child.name in INLINE_AT_BLOCK_LEVEL:
            loose.append(text_of(child))
            continue
        yield from paragraph_of(loose, root)
        if is_note(child):
            yield note(child)
        elif child.name in CONTAINERS:
            yield from events(child)
        elif child.name == "table" and is_layout_table(child):
            for cell in cells(child):
                yield from events(cell)
        else:
            yield from block_events(child)
    yield from paragraph_of(loose, root)


def is_layout_table(element: Tag) -> bool:
    """A table that lays out a page rather than holding data: marked as presentation, or with
    another table, a heading, a list or several paragraphs in a cell (as old sites are built)."""
    if element.get("role") in ("presentation", "none"):
        return True
    return any(cell.find(["table", *HEADINGS, "ul", "ol", "blockquote"]) or len(cell.find_all("p")) > 1
               for cell in cells(element))


def cells(table: Tag) -> list[Tag]:
    """The table's own cells, not those of tables inside it."""
    return [cell for cell in table.find_all(["td", "th"]) if cell.find_parent("table") is table]


def paragraph_of(loose: list[str], holder: Tag) -> Iterator[Paragraph]:
    """The text in `loose` as a paragraph of `holder`'s language, and `loose` emptied."""
    text = " ".join(" ".join(loose).split())
    loose.clear()
    if text:
        yield Paragraph(text, language_of(holder))


def language_of(element: Tag) -> str:
    """The language a passage of the article is marked with: its own `lang`, that of an element
    wrapping all of its text, or its nearest ancestor's below <html> (whose `lang` is the
    article's, found with its metadata); empty when unmarked."""
    marked = element.find_all(lang=True)
    if len(marked) == 1 and text_of(marked[0]) == text_of(element):
        return marked[0]["lang"].strip().lower()
    holder = element if element.has_attr("lang") else element.find_parent(lang=True)
    return holder["lang"].strip().lower() if holder and holder.name != "html" else ""


def is_note(element: Tag) -> bool:
    return element.get("role") == "note" or bool(NOTE_CLASSES & set(element.get("class") or []))


def note(element: Tag) -> Aside:
    """A note or admonition, called by its own title ("Warning") when it has one."""
    title = element.find(class_="admonition-title")
    kind = text_of(title.extract()).lower() if title else "note"
    return Aside(kind or "note", tuple(blocks_in(element)))


def blocks_in(element: Tag) -> Iterator[Block]:
    """Blocks inside a quote or note, where headings are read as sub-headings."""
    for event in events(element):
        yield Heading(event.text) if isinstance(event, HeadingMark) else event


def block_events(element: Tag) -> Iterator[Event]:
    name = element.name
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
    elif name == "hr":
        return
    else:
        yield from paragraph_of([text_of(element)], element)


def paragraph_events(element: Tag) -> Iterator[Block]:
    images = [image_tag.extract() for image_tag in element.find_all("img")]
    yield from paragraph_of([text_of(element)], element)
    for image_tag in images:
        yield from image(image_tag)


def image(element: Tag, caption: str = "") -> Iterator[Image]:
    alt = " ".join((element.get("alt") or "").split())
    if alt or caption:
        yield Image(alt, caption)


def figure(element: Tag) -> Iterator[Block]:
    caption_tag = element.find("figcaption")
    caption = text_of(caption_tag.extract()) if caption_tag else ""
    image_tag = element.find("img")
    if image_tag:
        yield from image(image_tag, caption)
    elif caption:
        yield Image("", caption)
    for block in element.find_all(["pre", "table"]):
        yield from block_events(block)


def item_list(element: Tag) -> Iterator[ItemList]:
    items = []
    for item in element.find_all("li", recursive=False):
        nested = [sub.extract() for sub in item.find_all(["ul", "ol"], recursive=False)]
        items.append(text_of(item))
        items.extend(text_of(sub_item) for sub in nested for sub_item in sub.find_all("li"))
    items = [item for item in items if item]
    if items:
        yield ItemList(tuple(items), ordered=element.name == "ol")


def definition_list(element: Tag) -> Iterator[ItemList]:
    items = []
    for term in element.find_all("dt"):
        definition = term.find_next_sibling("dd")
        items.append(f"{text_of(term)}: {text_of(definition)}" if definition else text_of(term))
    if items:
        yield ItemList(tuple(items))


def table(element: Tag) -> Table:
    caption_tag = element.find("caption")
    caption = text_of(caption_tag.extract()) if caption_tag else ""
    rows = [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in element.find_all("tr")]
    rows = [row for row in rows if any(row)]
    first_row = element.find("tr")
    has_header = bool(first_row and first_row.find("th") and not first_row.find("td"))
    header = tuple(rows[0]) if rows and has_header else ()
    body = rows[1:] if header else rows
    return Table(header, tuple(tuple(row) for row in body), caption)


def code(element: Tag) -> Code:
    text = element.get_text().strip("\n")
    classes = " ".join(element.get("class") or []) + " " + " ".join(
        (element.find("code") or element).get("class") or [])
    language = re.search(r"(?:language|lang)-([\w+#-]+)", classes)
    return Code(lines=len(text.splitlines()) or 1, language=language.group(1) if language else "", text=text)
