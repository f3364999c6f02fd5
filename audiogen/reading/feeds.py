"""Feeds (RSS 2.0, Atom, JSON Feed) as entries, every field checked: what each entry says of
its article, whether it holds the whole article, and which entries a build narrates."""

from __future__ import annotations

import calendar
import datetime
import html
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import layout
from ..addresses import is_address
from ..characters import clean
from ..dates import iso_date, moment
from .fetch import Response

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
              "application/xml", "text/xml", "application/rdf+xml"}
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


def json_feed(body: bytes) -> tuple[dict, list[dict]]:
    """A JSON Feed (1.0 or 1.1) in the shape feedparser gives RSS and Atom (feedparser has none).
    Every field is checked: ValueError names the first that is not what the spec says."""
    try:
        feed = json.loads(body)
    except ValueError:
        raise ValueError("its JSON is damaged") from None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise ValueError("a JSON Feed is an object with a list of items")
    about = {"title": text_field(feed, "title"), "language": text_field(feed, "language"),
             "author": author_name(feed, "the feed")}
    return about, [json_entry(item, feed, number) for number, item in enumerate(feed["items"], 1)]


def json_entry(item: object, feed: dict, number: int) -> dict:
    where = f"item {number}"
    if not isinstance(item, dict):
        raise ValueError(f"{where} is not an object")
    html_content = text_field(item, "content_html", where)
    content = html_content or html.escape(text_field(item, "content_text", where))
    identifier = item.get("id", "")
    if not isinstance(identifier, (str, int)) or isinstance(identifier, bool):
        raise ValueError(f"'id' of {where} is not text")
    return {"id": str(identifier), "link": text_field(item, "url", where), "title": text_field(item, "title", where),
            "summary": text_field(item, "summary", where),
            "content": [{"value": content, "language": text_field(item, "language", where)}] if content else [],
            "author": author_name(item, where) or author_name(feed, "the feed"),
            "published_parsed": json_date(text_field(item, "date_published", where)),
            "updated_parsed": json_date(text_field(item, "date_modified", where))}


def text_field(holder: dict, name: str, where: str = "the feed") -> str:
    """`holder[name]` when it is text, "" when it is absent; ValueError for anything else."""
    value = holder.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"'{name}' of {where} is not text")
    return value


def json_date(value: str):
    try:
        return moment(iso_date(value)).utctimetuple() if value else None
    except ValueError:
        return None


def author_name(holder: dict, where: str) -> str:
    """The first author's name: JSON Feed 1.1's `authors`, or 1.0's `author`."""
    authors = holder.get("authors")
    if authors is None:
        authors = [holder["author"]] if holder.get("author") is not None else []
    if not isinstance(authors, list) or not all(isinstance(author, dict) for author in authors):
        raise ValueError(f"the authors of {where} are not a list of objects")
    return next((name for name in (text_field(author, "name", where) for author in authors) if name), "")


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


def entry_id(entry) -> str:
    return text_field(entry, "id") or text_field(entry, "link") or text_field(entry, "title")


def entry_meta(entry, feed, feed_address: str) -> dict:
    """What the entry says of its article: title, author, date, language, link, and a slug made
    from the feed's address and the entry's id, so that it never changes and is its own."""
    published, updated = entry_dates(entry)
    content = (entry.get("content") or [{}])[0]
    meta = {"title": text_field(entry, "title"), "author": text_field(entry, "author") or text_field(feed, "author"),
            "language": content.get("language") or text_field(feed, "language"),
            "link": text_field(entry, "link") if is_address(text_field(entry, "link")) else "",
            "slug": layout.web_slug(entry_words(entry), f"{feed_address}\n{entry_id(entry)}"),
            "date": iso(published), "modified": iso(updated, "%Y-%m-%dT%H:%M:%SZ")}
    return {key: clean(str(value)) for key, value in meta.items() if value}


def iso(parsed, form: str = "") -> str:
    if not parsed:
        return ""
    moment = datetime.datetime(*parsed[:6], tzinfo=datetime.timezone.utc)
    return moment.strftime(form) if form else moment.isoformat()


def full_text(entry) -> str:
    """The entry's content when it holds the whole article, else "". A summary that only
    repeats the content (feedparser copies an Atom entry's content into its summary) is none."""
    content = max((item.get("value", "") for item in entry.get("content") or []), key=len, default="")
    summary = text_field(entry, "summary")
    words = len(text_of(content).split())
    summary_words = 0 if summary.strip() == content.strip() else len(text_of(summary).split())
    full = (words >= FULL_TEXT_WORDS and words > summary_words) or (words >= 2 * summary_words and words >= 20)
    return content if full else ""


def text_of(markup: str) -> str:
    from lxml import html as lxml_html

    try:
        return lxml_html.fromstring(markup).text_content() if markup.strip() else ""
    except (ValueError, TypeError):
        return markup


def entry_words(entry) -> str:
    """What names an entry in its slug: the last words of its address, else its title."""
    link = text_field(entry, "link")
    path = Path(urlsplit(link).path.rstrip("/")).stem if is_address(link) else ""
    return path or text_field(entry, "title")
