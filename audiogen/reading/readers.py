"""One reader per article format, each declaring the file extensions it handles.

A reader turns a file's text into an Article: its title, its metadata and its
sections. What counts as a section is decided once, in `split_sections`.
The Markdown and HTML readers import their parsers when first used: plain text
needs none of them, and a rebuild of a text article starts 0.15 s sooner.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Iterable, Iterator

import frontmatter
import yaml

from .. import layout
from ..dates import iso_date
from ..errors import ArticleError, TextError
from ..model import Article, Event, HeadingMark, ItemList, Paragraph
from .articles import make_article
from .decoding import byte_order_mark, decoded, html_charset

MAX_BYTES = 20_000_000
"""A text article's largest size."""
MAX_DOCUMENT_BYTES = 100_000_000
"""A document's largest size (Word, OpenDocument, EPUB and e-mail carry pictures)."""
TEXT_FIELDS = ("title", "author", "description", "language", "slug", "image", "guid", "link")

Found = tuple[dict, list[Event]]
"""What a reader finds in a text: its metadata and its headings and blocks, in order."""


class MarkdownReader:
    file_extensions = ("md", "markdown")
    extensions = ["extra", "admonition", "sane_lists"]

    def read(self, path: Path, text: str) -> Found:
        import markdown

        meta, body = front_matter(path, text)
        return html_fragment(markdown.markdown(body, extensions=self.extensions), meta)


class HtmlReader:
    file_extensions = ("html", "htm")

    def read(self, path: Path, text: str) -> Found:
        return web_page(text)


class TextReader:
    """Plain text: the first line is the title; short lines standing alone are headings."""

    file_extensions = ("txt",)
    list_item = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")

    def read(self, path: Path, text: str) -> Found:
        meta, body = front_matter(path, text)
        chunks = self.chunks(body)
        if chunks and "title" not in meta:
            first_line, _, rest = chunks[0].partition("\n")
            meta["title"] = first_line.strip()
            chunks[0:1] = [rest.strip()] if rest.strip() else []
        return meta, list(self.events(chunks))

    @staticmethod
    def chunks(body: str) -> list[str]:
        """The text's paragraphs (blocks between blank lines), trimmed."""
        return [chunk.strip() for chunk in re.split(r"\n\s*\n", body.strip()) if chunk.strip()]

    def events(self, chunks: list[str]) -> Iterator[Event]:
        for index, chunk in enumerate(chunks):
            lines = [line.strip() for line in chunk.splitlines()]
            next_chunk = chunks[index + 1] if index + 1 < len(chunks) else ""
            if self.is_heading(lines, next_chunk):
                yield HeadingMark(2, lines[0].rstrip(":").strip())
            elif all(self.list_item.match(line) for line in lines):
                yield ItemList(tuple(self.list_item.sub("", line) for line in lines),
                               ordered=lines[0][0].isdigit())
            else:
                yield Paragraph(" ".join(" ".join(lines).split()))

    def is_heading(self, lines: list[str], next_chunk: str) -> bool:
        line = lines[0]
        if len(lines) > 1 or len(line.split()) > 15 or len(line) > 100:
            return False
        if line.endswith(":"):
            # "You will need:" before a list introduces the list, it is not a heading.
            return not self.list_item.match(next_chunk)
        return not line.endswith((".", "!", "?", "…", '"', "”", "'", ";", ",", "。", "！", "？", "」", "、"))


class DocumentReader:
    """Word, OpenDocument, EPUB and PDF files: what documents.py makes of them, read as HTML."""

    file_extensions = ("docx", "odt", "epub", "pdf")
    binary = True

    def read(self, path: Path, data: bytes) -> Found:
        from . import documents

        meta, html = getattr(documents, path.suffix.lower().lstrip("."))(path, data)
        return html_fragment(html, meta)


class EmailReader:
    """An e-mail: its HTML part (a newsletter is all article, once what every mailing adds is
    taken out), else its plain text; the subject is the title, the sender the author."""

    file_extensions = ("eml",)
    binary = True

    def read(self, path: Path, data: bytes) -> Found:
        from . import documents

        meta, body, is_html = documents.message(path, data)
        if not is_html:
            return meta, list(TextReader().events(TextReader.chunks(body)))
        return html_fragment(documents.newsletter(body), meta)


READERS = {extension: reader
           for reader in (MarkdownReader(), HtmlReader(), TextReader(), DocumentReader(), EmailReader())
           for extension in reader.file_extensions}


MAILBOX = "mbox"
"""A mailbox is read as a folder of e-mails (sources.py), never as one article."""


def readable(path: Path) -> bool:
    return path.suffix.lower().lstrip(".") in READERS or path.suffix.lower() == f".{MAILBOX}"


def read_article(path: Path) -> Article:
    """Read one article file, or raise ArticleError naming it and saying why."""
    reader = READERS.get(path.suffix.lower().lstrip("."))
    if path.suffix.lower() == f".{MAILBOX}":
        raise ArticleError(path, "is a mailbox: build it to narrate each message, or save one as .eml to preview it")
    if reader is None:
        known = ", ".join(f".{extension}" for extension in READERS)
        raise ArticleError(path, f"unknown format (audiogen reads {known})")
    try:
        if getattr(reader, "binary", False):
            meta, found = reader.read(path, read_bytes(path, MAX_DOCUMENT_BYTES))
        else:
            meta, found = reader.read(path, decode(path, html=isinstance(reader, HtmlReader)))
    except TextError as error:
        raise ArticleError(path, error.message) from None
    try:
        meta["slug"] = layout.article_slug(path.stem, meta.get("slug"))
    except ValueError as error:
        raise ArticleError(path, str(error)) from None
    meta.setdefault("modified", modified_time(path))
    return make_article(str(path), meta, found, path.stem.replace("-", " ").replace("_", " "))


def web_page(text: str) -> Found:
    """A web page's article (see webpage.py) and its metadata."""
    from . import html as htmlblocks
    from . import webpage

    page = htmlblocks.parse(text)
    meta = webpage.metadata(page)
    found, notes = webpage.article_events(page)
    title, found = webpage.title(found, meta)
    meta.setdefault("title", title)
    return meta, found + ([notes] if notes else [])


def html_fragment(html: str, meta: dict) -> Found:
    """HTML that is all article (Markdown's, a feed entry's content): its first <h1> is the
    title, unless `meta` names another one."""
    from . import html as htmlblocks

    page = htmlblocks.parse(html)
    root = page.find("body") if page.find("body") is not None else page
    htmlblocks.remove_unspoken(root)
    notes = htmlblocks.take_footnotes(root)
    htmlblocks.separate_words(root)
    found = list(htmlblocks.events(root))
    title_index = next((i for i, event in enumerate(found)
                        if isinstance(event, HeadingMark) and event.level == 1 and event.text), None)
    if title_index is not None and meta.get("title", found[title_index].text) == found[title_index].text:
        meta["title"] = found.pop(title_index).text
    return meta, found + ([notes] if notes else [])


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, if it holds at most `limit` (checked before reading it)."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ArticleError(path, f"is too large ({size / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB)")
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ArticleError(path, f"cannot be read ({error.strerror})") from None
    if len(data) > limit:  # grew while it was read
        raise ArticleError(path, f"is too large (the limit is {limit / 1e6:.0f} MB)")
    if not data:
        raise ArticleError(path, "is empty")
    return data


def decode(path: Path, html: bool = False) -> str:
    """The file's text, in whatever encoding it was saved (see decoding.py)."""
    data = read_bytes(path, MAX_BYTES)
    if looks_binary(data):
        raise ArticleError(path, "is not a text file (it holds binary data)")
    try:
        text = decoded(data, html_charset(data) if html else None)
    except UnicodeDecodeError as error:
        raise ArticleError(path, f"is not a text file (it starts like {error.encoding} but is not)") from None
    if not text.strip():
        raise ArticleError(path, "is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_binary(data: bytes) -> bool:
    if byte_order_mark(data):
        return False  # UTF-16 or UTF-32 with a byte-order mark: text with many zero bytes
    head = data[:8192]
    controls = sum(byte < 9 or 13 < byte < 32 for byte in head)
    return b"\x00" in head or controls > len(head) // 10


def front_matter(path: Path, text: str) -> tuple[dict, str]:
    """Split YAML front matter from the body and check the fields audiogen uses."""
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as error:
        reason = str(error).splitlines()[0]
        raise ArticleError(path, f"front matter is not valid YAML ({reason})") from None
    meta = dict(post.metadata)
    for name in TEXT_FIELDS:
        if name in meta and not isinstance(meta[name], (str, int, float)):
            kind = type(meta[name]).__name__
            raise ArticleError(path, f"front matter '{name}' must be text, not {kind}")
        if name in meta:
            meta[name] = str(meta[name])
    if "date" in meta:
        meta["date"] = front_matter_date(path, meta["date"])
    if "lexicon" in meta:
        meta["lexicon"] = lexicon_field(path, meta["lexicon"])
    return meta, post.content


def front_matter_date(path: Path, value: object) -> str:
    try:
        return iso_date(value)
    except ValueError:
        raise ArticleError(path, f"front matter 'date' is not a date with a year: {value!r}") from None


def lexicon_field(path: Path, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ArticleError(path, "front matter 'lexicon' must map words to how to say them")
    return {str(word): spoken for word, spoken in value.items()}


def modified_time(path: Path) -> str:
    """When the article last changed: SOURCE_DATE_EPOCH when set (as reproducible builds do),
    else its file's modification time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        seconds = int(epoch) if epoch.isdigit() else int(path.stat().st_mtime)
    except OSError:
        return ""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def find_articles(sources: Iterable[Path]) -> Iterator[Path]:
    """Article files among `sources` (files, or folders searched recursively), sorted."""
    for source in sources:
        if source.is_dir():
            yield from sorted(path for path in source.rglob("*")
                              if path.is_file() and readable(path) and not path.name.startswith("."))
        else:
            yield source

