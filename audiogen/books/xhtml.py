"""The XHTML and XML that both talking-book formats write: a section's text as markup in
either's vocabulary, their pages, and their serialisation (lxml, never strings)."""

from __future__ import annotations

from lxml import etree

from .talkingbook import Element

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
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


def page(title: str, language: str, namespaces: dict | None = None) -> tuple[etree._Element, etree._Element,
                                                                               etree._Element]:
    """An XHTML page in `language`, titled: its root, head and body."""
    root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, **(namespaces or {})},
                         attrib={"lang": language, "{http://www.w3.org/XML/1998/namespace}lang": language})
    head = etree.SubElement(root, f"{{{XHTML}}}head")
    title_element = etree.SubElement(head, f"{{{XHTML}}}title")
    title_element.text = title
    return root, head, etree.SubElement(root, f"{{{XHTML}}}body")


def link(parent: etree._Element, href: str, text: str) -> etree._Element:
    anchor = etree.SubElement(parent, f"{{{XHTML}}}a", href=href)
    anchor.text = text
    return anchor


def serialised(root: etree._Element, doctype: str | None = None) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=doctype)


def write_element(parent: etree._Element, element: Element, flavour: int, heading_offset: int = 0) -> None:
    """`element` as XHTML in the markup of `flavour` (0: EPUB 3, 1: DAISY 2.02), inside `parent`."""
    def tag(name: str) -> str:
        return f"{{{XHTML}}}{name}"

    if element.kind == "sentence":
        span = etree.SubElement(parent, tag("span"), id=element.id)
        span.tail = " "
        if element.words and flavour == 0:
            for number, (text, _) in enumerate(element.words, 1):
                word = etree.SubElement(span, tag("span"), id=f"{element.id}w{number}")
                word.text, word.tail = text, " " if number < len(element.words) else None
        else:
            span.text = element.text
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


