"""PDF, read with pdfminer.six (MIT): the text of each page, laid out in reading order (columns
one after the other), made into the HTML the article reader reads.

A tagged PDF (an accessible one, PDF/UA, or any that LibreOffice or Word exports with tags) says
what each piece of text is: the marked-content tag around it, through the document's RoleMap,
is a heading (H1-H6), a list item, a note, or an artifact (running headers, footers and page
numbers, left out). An untagged PDF is read by its looks: text clearly larger than the body's
is a heading (its level by its size), short lines repeated at the top or bottom of most pages
are running headers and footers, and lone page numbers go too. Words hyphenated at a line's end
are joined. A PDF with no text (a scan) is refused: its pages are pictures.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..errors import ArticleError

MAX_PAGES = 2000
HEADING_SCALE = 1.15
"""Text this much larger than the body's is a heading (untagged PDFs)."""
MARGIN_SHARE = 0.12
"""The top and bottom of a page where running headers and footers stand."""
PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$|^[-–]\s*\d+\s*[-–]$", re.I)
BULLET = re.compile(r"^(?:[•◦▪‣∙·●○■–-]|\d+[.)])\s+")
BULLETS_ONLY = re.compile(r"^(?:[•◦▪‣∙·●○■–-]\s*)+$")
ROLES = {"H1": "h1", "H2": "h2", "H3": "h3", "H4": "h4", "H5": "h5", "H6": "h6", "H": "h2", "Title": "h1",
         "LI": "li", "LBody": "li", "Lbl": "li", "Note": "note", "FENote": "note", "Footnote": "note",
         "Endnote": "note", "Artifact": "artifact", "TD": "cell", "TH": "cell", "Table Contents": "cell",
         "Table Heading": "cell"}
"""What a tag makes of its text: the standard structure types, and the names LibreOffice and
Word give their title and notes (which their RoleMaps map to P)."""
MAX_STRUCTURE_NODES = 200_000
MARKER_SCALE = 0.8
"""Digits this much smaller than their line's text are note markers, never read."""


@dataclass
class Block:
    """One box of text as the layout found it: what it says and where, and how it looks."""

    text: str
    page: int
    top: float
    """Distance from the page's top, as a share of its height."""
    bottom: float
    left: float
    """Distance from the page's left edge, as a share of its width."""
    right: float
    size: float
    lines: list[str]
    role: str = ""
    """From the tags: "h1".."h6", "li", "note", "artifact", or "" (a paragraph, or untagged)."""


def read(path: Path, data: bytes) -> tuple[dict, str]:
    """The PDF's metadata and its text as HTML."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        roles = role_map(document)
        blocks, pictures = laid_out(path, document, roles, figure_alternatives(document))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ArticleError(path, "is password-protected: save it without a password") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError):
        raise ArticleError(path, "is damaged (not a PDF audiogen can read)") from None
    if not any(block.text.strip() for block in blocks):
        raise ArticleError(path, "is a scanned PDF (its pages are pictures, with no text): run OCR on it first, "
                                 "for example ocrmypdf" if pictures else "has no text")
    blocks = [block for block in blocks if block.role != "artifact"]
    if roles is None:
        blocks = looked_at(blocks)
    meta = metadata(document)
    first = next((block for block in blocks if block.role == "h1"), None)
    if first is not None and squashed(first.text) == squashed(meta.get("title", "")):
        first.text = meta["title"]  # the title, as the properties spell it (a narrow column cut its words)
    return meta, html_of(blocks)


def squashed(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def role_map(document) -> dict[str, str] | None:
    """The document's own tag names and the standard ones they stand for; None when untagged."""
    from pdfminer.pdftypes import resolve1

    tree = resolve1(document.catalog.get("StructTreeRoot"))
    if not isinstance(tree, dict):
        return None
    return {str(name): getattr(resolve1(standard), "name", str(standard))
            for name, standard in (resolve1(tree.get("RoleMap")) or {}).items()}


def figure_alternatives(document) -> list[str]:
    """The text alternative (`/Alt`) of each tagged figure, in the structure tree's order (walked
    to a bounded count): the figures' pictures are drawn in that order."""
    from pdfminer.pdftypes import resolve1

    found, pending, visited = [], [resolve1(document.catalog.get("StructTreeRoot"))], 0
    while pending and visited < MAX_STRUCTURE_NODES:
        node = resolve1(pending.pop())
        visited += 1
        if isinstance(node, list):
            pending += reversed(node)
        elif isinstance(node, dict):
            alt = resolve1(node.get("Alt"))
            if getattr(resolve1(node.get("S")), "name", "") == "Figure":
                text = " ".join((decoded_text(alt) if isinstance(alt, bytes) else str(alt or "")).split())
                title, _, description = text.partition(" - ")
                found.append(title if title == description else text)  # LibreOffice: "title - description"
            elif node.get("K") is not None:
                pending.append(node.get("K"))
    return found


def laid_out(path: Path, document, roles: dict[str, str] | None,
             alternatives: list[str]) -> tuple[list[Block], bool]:
    """Every page's text boxes in reading order, each with its role (from the tags around its
    characters), its tagged figures' pictures as their text alternatives (when the tree has one
    figure per picture, in order), and whether any page holds pictures."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTTextBox
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Device(PDFPageAggregator):
        """pdfminer's layout, each character marked with the tag it is drawn in."""

        def __init__(self, *arguments, **options):
            super().__init__(*arguments, **options)
            self.tags: list[str] = []

        def begin_tag(self, tag, props=None):
            self.tags.append(getattr(tag, "name", str(tag)))

        def end_tag(self):
            if self.tags:
                self.tags.pop()


        def render_char(self, *arguments, **options):
            advance = super().render_char(*arguments, **options)
            self.cur_item._objs[-1].role = next(filter(None, map(role_of, reversed(self.tags))), "")
            return advance

    def role_of(tag: str) -> str:
        return ROLES.get(tag) or ROLES.get((roles or {}).get(tag, ""), "")

    manager = PDFResourceManager()
    device = Device(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    blocks, pictures, drawn = [], False, []
    for number, page in enumerate(PDFPage.create_pages(document)):
        if number >= MAX_PAGES:
            raise ArticleError(path, f"has more than {MAX_PAGES} pages")
        interpreter.process_page(page)
        layout = device.get_result()
        height, width = (layout.y1 - layout.y0) or 1, (layout.x1 - layout.x0) or 1
        page_blocks = []
        for item in layout:
            if isinstance(item, (LTImage, LTFigure)):
                pictures = True
                picture = Block("", number, (layout.y1 - item.y1) / height, (layout.y1 - item.y0) / height,
                                (item.x0 - layout.x0) / width, (item.x1 - layout.x0) / width, 0.0, [], "figure")
                page_blocks.append(picture)
                drawn.append(picture)
            if not isinstance(item, LTTextBox):
                continue
            for run in size_runs(item, LTChar):
                characters = [char for line in run for char in line if isinstance(char, LTChar)]
                size = statistics.median(char.size for char in characters)
                lines = [line_text(line, size) for line in run]
                role = Counter(char.role for char in characters).most_common(1)[0][0]
                page_blocks.append(Block(
                    joined_lines(lines), number, (layout.y1 - run[0].y1) / height, (layout.y1 - run[-1].y0) / height,
                    (min(line.x0 for line in run) - layout.x0) / width,
                    (max(line.x1 for line in run) - layout.x0) / width, size, [line for line in lines if line], role))
        blocks += in_reading_order(page_blocks)
    if len(drawn) == len(alternatives):
        for picture, alternative in zip(drawn, alternatives):
            picture.text, picture.lines = alternative, [alternative]
    return [block for block in blocks if block.text], pictures


def in_reading_order(blocks: list[Block]) -> list[Block]:
    """A page's blocks as a reader takes them: from the top; on a page set in two columns, what
    spans the page's width in order, and between those the left column down, then the right."""
    def side(block: Block) -> int:
        return 0 if block.right <= 0.55 else 1 if block.left >= 0.45 else -1

    by_top = sorted(blocks, key=lambda block: (round(block.top, 2), block.left))
    text = [sum(len(block.text) for block in blocks if side(block) == column) for column in (0, 1)]
    if min(text) < 0.2 * (sum(len(block.text) for block in blocks) or 1):
        return by_top  # one column (a short line off to the right is not a column)
    ordered, column = [], []
    for block in by_top:
        if side(block) < 0:
            ordered += sorted(column, key=lambda block: (side(block), block.top)) + [block]
            column = []
        else:
            column.append(block)
    return ordered + sorted(column, key=lambda block: (side(block), block.top))


def size_runs(box, character_type) -> list[list]:
    """A text box's lines in runs of one text size: a heading the layout put in the box of the
    paragraph below it comes apart from it."""
    runs: list[list] = []
    previous = None
    for line in box:
        sizes = [char.size for char in line if isinstance(char, character_type)]
        if not sizes:
            continue
        size = round(statistics.median(sizes))
        if runs and size == previous:
            runs[-1].append(line)
        else:
            runs.append([line])
        previous = size
    return runs


def line_text(line, size: float) -> str:
    """A line's text without note markers (digits set small, as superscripts are)."""
    return "".join(part.get_text() for part in line if not (
        part.get_text().isdigit() and getattr(part, "size", size) < size * MARKER_SCALE)).strip()


def joined_lines(lines: list[str]) -> str:
    """A box's lines as one text, a word hyphenated at a line's end joined again."""
    text = ""
    for line in (line.strip() for line in lines):
        if text.endswith("-") and line[:1].islower() and text[-2:-1].isalpha():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return " ".join(text.split())


def looked_at(blocks: list[Block]) -> list[Block]:
    """An untagged PDF's blocks without running headers, footers and page numbers, and with
    headings found by their size."""
    pages = len({block.page for block in blocks})
    in_margin = [block for block in blocks if block.top < MARGIN_SHARE or block.bottom > 1 - MARGIN_SHARE]
    repeated = Counter(re.sub(r"\d+", "#", block.text) for block in in_margin)
    running = {text for text, count in repeated.items() if pages >= 3 and count >= pages / 2}
    kept = [block for block in blocks if not (block in in_margin and (
        re.sub(r"\d+", "#", block.text) in running or PAGE_NUMBER.match(block.text)))]
    sizes = Counter()
    for block in kept:
        sizes[round(block.size, 1)] += len(block.text)
    body = sizes.most_common(1)[0][0] if sizes else 0
    heading_sizes = sorted({round(block.size, 1) for block in kept if is_heading_size(block, body)}, reverse=True)
    for block in kept:
        if is_heading_size(block, body):
            block.role = f"h{min(heading_sizes.index(round(block.size, 1)) + 1, 6)}"
    return continued(kept)


def is_heading_size(block: Block, body: float) -> bool:
    return block.size >= body * HEADING_SCALE and len(block.text.split()) <= 25


def continued(blocks: list[Block]) -> list[Block]:
    """Paragraphs that a column's or a page's end cut in two, joined again: a block of body text
    that does not end a sentence goes on in the next one."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (previous is not None and not previous.role and not block.role
                and not previous.text.endswith((".", "!", "?", ":", ";", '"', "”", ")"))):
            previous.text = joined_lines([previous.text, block.text])
            previous.lines += block.lines
        else:
            joined.append(block)
    return joined


def html_of(blocks: list[Block]) -> str:
    """The blocks as HTML: headings, paragraphs, lists (bulleted lines), and notes at the end."""
    parts, items, notes, tabled = [], [], [], set()
    listed = bulleted_blocks(blocks)
    for block in blocks:
        if id(block) in tabled or BULLETS_ONLY.match(block.text):
            continue
        if block.role == "cell":
            columns = table_columns(block, blocks)
            tabled.update(map(id, columns))
            parts.append(table_html(columns))
            continue
        if id(block) in listed:
            items += block.lines
            continue
        if block.role == "li" or BULLET.match(block.text):
            items.append(BULLET.sub("", block.text))
            continue
        if items:
            parts.append(listing("ul", items))
            items = []
        if block.role == "figure":
            parts.append(f'<p><img alt="{escape(block.text)}"></p>')
        elif block.role == "note":
            notes.append(re.sub(r"^\d+\s*", "", block.text))  # its number: notes are numbered when read
        elif block.role.startswith("h"):
            parts.append(f"<{block.role}>{escape(block.text)}</{block.role}>")
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    if items:
        parts.append(listing("ul", items))
    if notes:
        parts.append(listing("ol", notes, ' class="footnotes"'))
    return "<html><body>" + "".join(parts) + "</body></html>"


def listing(tag: str, items: list[str], attributes: str = "") -> str:
    """`items` as an HTML list (`ul` or `ol`)."""
    return f"<{tag}{attributes}>" + "".join(f"<li>{escape(item)}</li>" for item in items) + f"</{tag}>"


def bulleted_blocks(blocks: list[Block]) -> set[int]:
    """The blocks whose lines are list items: the layout puts a list's bullets in blocks of
    their own, one beside each line of the block of the items' text."""
    bullets = [block for block in blocks if BULLETS_ONLY.match(block.text)]
    listed = set()
    for block in blocks:
        if block.role or len(block.lines) < 2 or BULLETS_ONLY.match(block.text):
            continue
        beside = [bullet for bullet in bullets if bullet.page == block.page and bullet.right <= block.left + 0.01
                  and block.top - 0.01 <= bullet.top <= block.bottom]
        if sum(len(bullet.text.split()) for bullet in beside) == len(block.lines):
            listed.add(id(block))
    return listed


def table_columns(first: Block, blocks: list[Block]) -> list[Block]:
    """The cells' blocks of the table `first` is in: those on its page beside it (the layout
    finds a table's columns, each a block with a line per row, and may put them apart)."""
    return sorted((block for block in blocks if block.role == "cell" and block.page == first.page
                   and block.top < first.bottom and block.bottom > first.top), key=lambda block: blocks.index(block))


def table_html(columns: list[Block]) -> str:
    """Columns of as many lines as the table has rows, as a table (its first row the header);
    otherwise each cell a paragraph."""
    if len(columns) < 2 or len({len(column.lines) for column in columns}) != 1:
        return "".join(f"<p>{escape(line)}</p>" for column in columns for line in column.lines)
    rows = list(zip(*(column.lines for column in columns)))
    header = "".join(f"<th>{escape(cell)}</th>" for cell in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows[1:])
    return f"<table><tr>{header}</tr>{body}</table>"


def metadata(document) -> dict:
    """Title, author and date from the document information dictionary."""
    from pdfminer.pdftypes import resolve1

    found = {}
    for info in document.info:
        for field, key in (("title", "Title"), ("author", "Author"), ("date", "CreationDate")):
            value = resolve1(info.get(key))
            if isinstance(value, bytes):
                value = decoded_text(value)
            if isinstance(value, str) and value.strip() and field not in found:
                found[field] = pdf_date(value) if field == "date" else " ".join(value.split())
    return {field: value for field, value in found.items() if value}


def decoded_text(value: bytes) -> str:
    """A PDF text string: UTF-16 with a byte-order mark, else PDFDocEncoding (Latin-1 near enough)."""
    if value.startswith((b"\xfe\xff", b"\xff\xfe")):
        return value.decode("utf-16", errors="replace")
    return value.decode("latin-1")


def pdf_date(value: str) -> str:
    """D:20250314093000+01'00' as ISO 8601 (the day at least), or "" if it is not one."""
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value)
    if not match:
        return ""
    return "-".join(part for part in match.groups() if part)
