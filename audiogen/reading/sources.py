"""Where articles come from: files and folders, web pages, and feeds (RSS 2.0, Atom, JSON Feed).

Each source gives origins, and each origin reads one article. Files come first, in order (a
mailbox, `.mbox`, gives one per message).
Web addresses are fetched a few at a time, and each origin is handed out as soon as what it
reads has arrived, so that a slow server holds up only its own articles. A feed gives an
origin per entry (newest first, `limit` and `since` applied); any other page is itself the
article. An entry whose feed holds its whole text is read from the feed; one that holds a
summary is read from its page, which is fetched as an address the feed's author chose
(web.py decides where those may lead). Anything that cannot be had, or that a feed sends in
a shape it should not, becomes an origin that fails with one line, so that it fails alone.
"""

from __future__ import annotations

import datetime
import queue
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Union
from urllib.parse import urlsplit

from .. import layout
from ..addresses import is_address, is_url
from ..errors import ArticleError
from ..model import Article
from .decoding import decoded, html_charset
from .feeds import Selection, chosen, entry_id, entry_meta, full_text, parsed_feed, text_field
from .fetch import Fetcher, FetchError, Response
from .readers import EmailReader, find_articles, html_fragment, make_article, read_article, web_page

PAGE_TYPES = {"text/html", "application/xhtml+xml"}
MAX_MAILBOX_BYTES = 500_000_000
MAX_MESSAGES = 10_000


class FileOrigin:
    def __init__(self, path: Path):
        self.name = str(path)
        self.path = path

    def read(self) -> Article:
        return read_article(self.path)


@dataclass
class MessageOrigin:
    """One message of a mailbox (`.mbox`), read as an e-mail; its slug made from the mailbox's
    name and the message's own id, so that it stays the same however the mailbox grows."""

    name: str
    path: Path
    key: str

    def read(self) -> Article:
        import mailbox

        try:
            data = mailbox.mbox(self.path, create=False).get_bytes(self.key)
        except (OSError, KeyError) as error:
            raise ArticleError(self.name, f"cannot be read ({error})") from None
        meta, found = EmailReader().read(Path(self.name), data)
        identity = f"{self.path.name}#{message_id(data) or self.key}"
        meta["slug"] = layout.web_slug(meta.get("title", "message"), identity)
        return make_article(self.name, meta, found)


def message_id(data: bytes) -> str:
    from email.parser import BytesHeaderParser

    return str(BytesHeaderParser().parsebytes(data).get("message-id", "")).strip()


def file_origins(path: Path) -> list:
    """A file's origins: a mailbox gives one per message (at most MAX_MESSAGES), any other file
    is one article."""
    import mailbox

    if path.suffix.lower() != ".mbox":
        return [FileOrigin(path)]
    if path.stat().st_size > MAX_MAILBOX_BYTES:
        return [Failed(str(path), f"is too large ({path.stat().st_size / 1e6:.0f} MB; the limit is "
                                  f"{MAX_MAILBOX_BYTES / 1e6:.0f} MB)")]
    try:
        keys = list(mailbox.mbox(path, create=False).keys())
    except (OSError, mailbox.Error) as error:
        return [Failed(str(path), f"cannot be read as a mailbox ({error})")]
    if not keys:
        return [Failed(str(path), "is an empty mailbox")]
    if len(keys) > MAX_MESSAGES:
        return [Failed(str(path), f"holds more than {MAX_MESSAGES} messages")]
    return [MessageOrigin(f"{path}#{number}", path, key) for number, key in enumerate(keys, 1)]


class Failed:
    """A source that could not be had: reading it reports why."""

    def __init__(self, name: str, reason: str):
        self.name, self.reason = name, reason

    def read(self) -> Article:
        raise ArticleError(self.name, self.reason)


@dataclass
class PageOrigin:
    name: str
    response: Response
    slug: str
    meta: dict = field(default_factory=dict)
    """What a feed entry says of the page (title, date, author...): it wins over the page's own."""

    def read(self) -> Article:
        if self.response.content_type not in PAGE_TYPES:
            raise ArticleError(self.name, f"is not a web page ({self.response.content_type or 'no type given'})")
        body = self.response.body
        meta, found = web_page(decoded(body, self.response.charset or html_charset(body)))
        # The feed's word wins over the page's, but for the address: the page's canonical one.
        meta.update({name: value for name, value in self.meta.items() if name != "link" or "link" not in meta})
        meta.setdefault("link", self.response.url)
        meta["slug"] = self.slug
        meta.setdefault("modified", http_modified(self.response.last_modified))
        return make_article(self.name, meta, found)


@dataclass
class EntryOrigin:
    """A feed entry: read from the feed when it holds the whole article, else from its page
    (`page`, already on its way)."""

    name: str
    meta: dict
    content: str
    page: Future | None = None

    def read(self) -> Article:
        if self.page is None:
            return make_article(self.name, *html_fragment(self.content, dict(self.meta)))
        try:
            response = self.page.result()
        except FetchError as error:
            raise ArticleError(self.meta["link"], error.message) from None
        return PageOrigin(self.meta["link"], response, self.meta["slug"], self.meta).read()


Origin = Union[FileOrigin, MessageOrigin, Failed, PageOrigin, EntryOrigin]


def origins(sources: Iterable[str | Path], fetcher: Fetcher, selection: Selection = Selection()) -> Iterator[Origin]:
    """An origin per article of `sources` (folders, files, page and feed addresses): files in
    order, then the web's as they arrive."""
    arrived: queue.SimpleQueue = queue.SimpleQueue()
    waiting = 0
    for source in map(str, sources):
        if is_address(source):
            fetcher.soon(source).add_done_callback(lambda done, source=source: arrived.put((source, done)))
            waiting += 1
        elif is_url(source):
            yield Failed(source, "only http and https addresses can be read")
        else:
            yield from (origin for path in find_articles([Path(source)]) for origin in file_origins(path))
    while waiting:
        source, done = arrived.get()
        waiting -= 1
        if isinstance(done, Future):
            for origin in web_origins(source, done, fetcher, selection):
                if isinstance(origin, EntryOrigin) and origin.page is not None:
                    origin.page.add_done_callback(lambda _, origin=origin: arrived.put((origin.name, origin)))
                    waiting += 1
                else:
                    yield origin
        else:
            yield done


def web_origins(address: str, fetched: Future, fetcher: Fetcher, selection: Selection) -> list[Origin]:
    """The origins of a fetched address: the page, or the feed's chosen entries (their pages,
    where needed, already on their way)."""
    try:
        response = fetched.result()
        feed = parsed_feed(response)
        if feed is None:
            return [PageOrigin(address, response, address_slug(address))]
        about, entries = feed
        return [entry_origin(address, entry, about, fetcher) for entry in chosen(entries, selection)]
    except FetchError as error:
        return [Failed(address, error.message)]
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        return [Failed(address, f"is not a feed audiogen can read ({error})")]


def entry_origin(feed_address: str, entry: dict, about: dict, fetcher: Fetcher) -> EntryOrigin:
    meta = entry_meta(entry, about, feed_address)
    content = full_text(entry)
    name = meta.get("link") or f"{feed_address}#{entry_id(entry)}"
    if content or not meta.get("link"):
        return EntryOrigin(name, meta, content or text_field(entry, "summary"))
    return EntryOrigin(name, meta, "", fetcher.soon(meta["link"], named_by=feed_address))


def address_slug(address: str) -> str:
    """A page's slug: the last words of its address, and a hash of the whole address."""
    parts = urlsplit(address)
    return layout.web_slug(Path(parts.path.rstrip("/")).stem or parts.netloc, address)


def http_modified(value: str) -> str:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return ""
