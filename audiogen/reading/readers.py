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
from slugify import slugify

from .. import characters
from ..addresses import is_address
from ..dates import iso_date
from ..errors import ArticleError, TextError
from ..model import Article, Event, Heading, HeadingMark, ItemList, Paragraph, Section
from .decoding import byte_order_mark, decoded, html_charset

OPENING_TITLE = "Introduction"
MAX_BYTES = 20_000_000
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Names Windows will not give a file or folder, whatever the extension.
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                  *(f"lpt{n}" for n in range(10))}
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
        chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", body.strip())]
        chunks = [chunk for chunk in chunks if chunk]
        if chunks and "title" not in meta:
            first_line, _, rest = chunks[0].partition("\n")
            meta["title"] = first_line.strip()
            chunks[0:1] = [rest.strip()] if rest.strip() else []
        return meta, list(self.events(chunks))

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


READERS = {extension: reader
           for reader in (MarkdownReader(), HtmlReader(), TextReader())
           for extension in reader.file_extensions}


def readable(path: Path) -> bool:
    return path.suffix.lower().lstrip(".") in READERS


def read_article(path: Path) -> Article:
    """Read one article file, or raise ArticleError naming it and saying why."""
    reader = READERS.get(path.suffix.lower().lstrip("."))
    if reader is None:
        known = ", ".join(f".{extension}" for extension in READERS)
        raise ArticleError(path, f"unknown format (audiogen reads {known})")
    try:
        meta, found = reader.read(path, decode(path, html=isinstance(reader, HtmlReader)))
    except TextError as error:
        raise ArticleError(path, error.message) from None
    meta["slug"] = article_slug(path, meta.get("slug"))
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


def decode(path: Path, html: bool = False) -> str:
    """The file's text, in whatever encoding it was saved (see decoding.py)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArticleError(path, f"cannot be read ({error.strerror})") from None
    if len(data) > MAX_BYTES:
        raise ArticleError(path, f"is too large ({len(data) / 1e6:.0f} MB; the limit is "
                                 f"{MAX_BYTES / 1e6:.0f} MB)")
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


def make_article(source: str, meta: dict, found: Iterable[Event], name: str = "") -> Article:
    """Every article, from a file or the web, ends here, where its text is cleaned (see
    characters.py) and split. `meta` holds its slug; `name` (a file's name) is a title of
    last resort, and with none, the article's first words are."""
    meta, found = characters.cleaned(meta), characters.cleaned(list(found))
    sections = split_sections(found)
    if not any(section.blocks for section in sections):
        raise ArticleError(source, "has no text to narrate")
    return Article(
        source=source,
        slug=meta["slug"],
        title=article_title(meta, characters.clean(name) or first_words(sections)),
        sections=tuple(sections),
        author=meta.get("author", ""),
        date=meta.get("date", ""),
        description=meta.get("description", ""),
        language=meta.get("language", "").lower(),
        image=meta.get("image", ""),
        lexicon=meta.get("lexicon", {}),
        modified=meta.get("modified", ""),
        link=meta["link"] if is_address(meta.get("link", "")) else "",
    )


def modified_time(path: Path) -> str:
    """When the article last changed: SOURCE_DATE_EPOCH when set (as reproducible builds do),
    else its file's modification time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        seconds = int(epoch) if epoch.isdigit() else int(path.stat().st_mtime)
    except OSError:
        return ""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def first_words(sections: list[Section], count: int = 8) -> str:
    """The opening words of the article's first paragraph: a title for an untitled feed entry."""
    text = next((block.text for section in sections for block in section.blocks if isinstance(block, Paragraph)), "")
    words = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].split()
    return " ".join(words[:count]).rstrip(".,;:!?") + ("…" if len(words) > count else "")


def article_title(meta: dict, name: str) -> str:
    """The front matter's or the page's title, else `name` (made from the file name)."""
    for candidate in (meta.get("title"), meta.get("page_title"), name):
        title = " ".join((candidate or "").split())
        if title:
            return title
    return "Untitled"


def split_sections(found: list[Event]) -> list[Section]:
    """Cut at the article's top heading level; deeper headings stay inside as sub-headings.

    Text before the first heading becomes an opening section. A heading with no
    text does not start a section.
    """
    found = [event for event in found if not (isinstance(event, HeadingMark) and not event.text)]
    levels = [event.level for event in found if isinstance(event, HeadingMark)]
    top = min(levels, default=0)
    sections: list[Section] = []
    title, blocks, opening = OPENING_TITLE, [], True
    for event in found:
        if isinstance(event, HeadingMark) and event.level == top:
            if blocks or not opening:
                sections.append(Section(title, tuple(blocks), opening))
            title, blocks, opening = event.text, [], False
        else:
            blocks.append(Heading(event.text) if isinstance(event, HeadingMark) else event)
    sections.append(Section(title, tuple(blocks), opening))
    return sections


def article_slug(path: Path, given: str | None) -> str:
    """The front matter's slug if it is a safe one, else one made from the file name."""
    if given is not None:
        if not SLUG_PATTERN.match(given) or given in RESERVED_NAMES or len(given) > 80:
            raise ArticleError(path, f"slug {given!r} is not allowed: use lowercase letters, "
                                     "digits and hyphens, as in 'my-article'")
        return given
    slug = slugify(path.stem, max_length=80) or "article"
    return f"{slug}-article" if slug in RESERVED_NAMES else slug


def section_slug(title: str) -> str:
    return slugify(title, max_length=60, word_boundary=True) or "section"


def find_articles(sources: Iterable[Path]) -> Iterator[Path]:
    """Article files among `sources` (files, or folders searched recursively), sorted."""
    for source in sources:
        if source.is_dir():
            yield from sorted(path for path in source.rglob("*")
                              if path.is_file() and readable(path) and not path.name.startswith("."))
        else:
            yield source

