"""Where articles come from: files and folders, web pages, and feeds (RSS 2.0, Atom, JSON Feed).

Each source gives origins, and each origin reads one article. A web address is fetched
once: a feed gives an origin per entry (newest first, `limit` and `since` applied), any
other page is itself the article. An entry whose feed holds its whole text is read from
the feed; one that holds a summary is read from its page. Anything that cannot be had
becomes an origin that fails with one line, so that it fails alone.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from slugify import slugify

from .characters import clean
from .dates import iso_date, moment
from .decoding import decoded, html_charset
from .errors import ArticleError
from .model import Article
from .readers import find_articles, html_fragment, make_article, read_article, web_page
from .web import Fetcher, FetchError, Response, is_address

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
              "application/xml", "text/xml", "application/rdf+xml"}
PAGE_TYPES = {"text/html", "application/xhtml+xml"}
FULL_TEXT_WORDS = 100
"""An entry's content is its whole article when it has this many words (and more than its
summary), or at least twice as many as its summary: feeds that only repeat the summary in
their content, or cut it short, have their entries read from the page."""


@dataclass(frozen=True)
class Selection:
    """Which entries of a feed to narrate."""

    limit: int = 0
    """The newest this many; 0 for all."""
    since: str = ""
    """Entries published on or after this ISO date; empty for all."""


class FileOrigin:
    def __init__(self, path: Path):
        self.name = str(path)
        self.path = path

    def read(self) -> Article:
        return read_article(self.path)


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
        meta.setdefault("slug", address_slug(self.name))
        meta.setdefault("modified", http_modified(self.response.last_modified))
        return make_article(self.name, meta, found, urlsplit(self.name).netloc)


@dataclass
class EntryOrigin:
    name: str
    entry: dict
    feed: dict
    fetcher: Fetcher

    def read(self) -> Article:
        meta = entry_meta(self.entry, self.feed, self.name)
        content = full_text(self.entry)
        if content or not self.entry.get("link"):
            _, found = html_fragment(content or self.entry.get("summary", ""), dict(meta))
            return make_article(self.name, meta, found, meta["title"] or urlsplit(self.name).netloc)
        try:
            response = self.fetcher.get(self.entry["link"])
        except FetchError as error:
            raise ArticleError(self.entry["link"], error.message) from None
        return PageOrigin(self.entry["link"], response, meta).read()


def origins(sources: Iterable[str | Path], fetcher: Fetcher, selection: Selection = Selection()) -> Iterator:
    """An origin per article of `sources` (folders, files, page and feed addresses), in order."""
    for source in sources:
        if is_address(str(source)):
            yield from web_origins(str(source), fetcher, selection)
        elif "://" in str(source):
            yield Failed(str(source), "only http and https addresses can be read")
        else:
            yield from (FileOrigin(path) for path in find_articles([Path(source)]))


def web_origins(address: str, fetcher: Fetcher, selection: Selection) -> Iterator:
    try:
        response = fetcher.get(address)
    except FetchError as error:
        yield Failed(address, error.message)
        return
    feed = parsed_feed(response)
    if feed is None:
        yield PageOrigin(address, response)
        return
    about, entries = feed
    for entry in chosen(entries, selection):
        yield EntryOrigin(entry.get("link") or f"{address}#{entry.get('id', '')}", entry, about, fetcher)


def parsed_feed(response: Response) -> tuple[dict, list[dict]] | None:
    """The feed in `response` (what it says of itself, and its entries), or None when it is a
    page. Servers often mislabel feeds, so the body decides, not only the content type."""
    head = response.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{") and b"jsonfeed.org/version" in response.body[:4096]:
        return json_feed(response.body)
    looks_like_feed = head.startswith((b"<rss", b"<feed", b"<rdf")) or (
        head.startswith(b"<?xml") and any(tag in response.body[:2048].lower() for tag in (b"<rss", b"<feed", b"<rdf")))
    if not (looks_like_feed or response.content_type in FEED_TYPES - {"application/json"}):
        return None
    import feedparser

    feed = feedparser.parse(response.body, response_headers={"content-location": response.url})
    return (feed.feed, feed.entries) if feed.get("version") else None


def json_feed(body: bytes) -> tuple[dict, list[dict]] | None:
    """A JSON Feed (1.0 or 1.1) in the shape feedparser gives RSS and Atom (feedparser has none)."""
    try:
        feed = json.loads(body)
    except ValueError:
        return None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        return None
    return ({"title": feed.get("title", ""), "language": feed.get("language", ""), "author": author_name(feed)},
            [json_entry(item, feed) for item in feed["items"] if isinstance(item, dict)])


def json_entry(item: dict, feed: dict) -> dict:
    def parsed(value):
        try:
            return moment(iso_date(value)).utctimetuple() if value else None
        except ValueError:
            return None

    content = item.get("content_html") or html.escape(item.get("content_text", ""))
    return {"id": str(item.get("id", "")), "link": item.get("url", ""), "title": item.get("title", ""),
            "summary": item.get("summary", ""), "content": [{"value": content, "language": item.get("language")}],
            "author": author_name(item) or author_name(feed), "published_parsed": parsed(item.get("date_published")),
            "updated_parsed": parsed(item.get("date_modified"))}


def author_name(holder: dict) -> str:
    authors = holder.get("authors") or ([holder["author"]] if isinstance(holder.get("author"), dict) else [])
    return next((author.get("name", "") for author in authors if isinstance(author, dict)), "")


def chosen(entries: list, selection: Selection) -> list:
    """The entries to narrate: newest first, the newest `limit`, none before `since`."""
    dated = sorted(entries, key=lambda entry: entry_time(entry) or 0, reverse=True)
    if selection.since:
        since = moment(selection.since).timestamp()
        dated = [entry for entry in dated if (entry_time(entry) or since) >= since]
    return dated[:selection.limit] if selection.limit else dated


def entry_time(entry) -> float | None:
    parsed = entry_dates(entry)[0]
    return calendar.timegm(parsed) if parsed else None


def entry_dates(entry) -> tuple:
    """When the entry was published and last updated (UTC struct_time), each falling back on
    the other. dict.get: feedparser's own get maps one to the other with a warning."""
    published, updated = dict.get(entry, "published_parsed"), dict.get(entry, "updated_parsed")
    return published or updated, updated or published


def entry_meta(entry, feed, name: str) -> dict:
    """What the entry says of its article: title, author, date, language, link, and a slug made
    from its id, so that it never changes."""
    published, updated = entry_dates(entry)
    content = (entry.get("content") or [{}])[0]
    meta = {"title": entry.get("title", ""), "author": entry.get("author") or feed.get("author", ""),
            "language": content.get("language") or feed.get("language", ""),
            "link": entry.get("link", ""), "slug": address_slug(entry.get("id") or entry.get("link") or name),
            "date": iso(published), "modified": iso(updated, "%Y-%m-%dT%H:%M:%SZ")}
    return {key: clean(str(value)) for key, value in meta.items() if value}


def iso(parsed, form: str = "") -> str:
    if not parsed:
        return ""
    moment = datetime.datetime(*parsed[:6], tzinfo=datetime.timezone.utc)
    return moment.strftime(form) if form else moment.isoformat()


def full_text(entry) -> str:
    """The entry's content when it holds the whole article, else ""."""
    content = max((item.get("value", "") for item in entry.get("content") or []), key=len, default="")
    words, summary_words = len(text_of(content).split()), len(text_of(entry.get("summary", "")).split())
    full = (words >= FULL_TEXT_WORDS and words > summary_words) or (words >= 2 * summary_words and words >= 20)
    return content if full else ""


def text_of(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml").get_text(" ") if html else ""


def address_slug(identifier: str) -> str:
    """A slug that stays the same for an entry or page: the last words of its address (or id),
    and a few characters of its hash, so that two with the same last words differ."""
    path = urlsplit(identifier).path if "://" in identifier else identifier
    words = slugify(Path(path.rstrip("/")).stem or urlsplit(identifier).netloc, max_length=50, word_boundary=True)
    return f"{words or 'entry'}-{hashlib.sha1(identifier.encode()).hexdigest()[:6]}"


def http_modified(value: str) -> str:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return ""
