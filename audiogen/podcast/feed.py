"""Podcast feeds, built with feedgen: one for the show, one per article (a section per episode).

feedgen's own podcast extension writes the iTunes tags; the Podcasting 2.0 tags
(`podcast:guid`, `podcast:transcript`, ...) come from the extension below.
Nothing in a feed depends on the clock, so an unchanged build gives the same bytes.
"""

from __future__ import annotations

import datetime
import html
import uuid
from urllib.parse import quote

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .. import __version__
from ..config import Settings, category_parts
from ..model import Manifest
from .identity import base_url, episode_guid, podcast_guid, section_guid

PODCAST_NAMESPACE = "https://podcastindex.org/namespace/1.0"
ITUNES_NAMESPACE = "http://www.itunes.com/dtds/podcast-1.0.dtd"
MAX_DESCRIPTION_BYTES = 4000


class PodcastIndexExtension(BaseExtension):
    """Channel tags of the Podcasting 2.0 namespace, and `itunes:explicit` as Apple now spells it."""

    def __init__(self):
        self.values: dict = {}

    def extend_ns(self):
        return {"podcast": PODCAST_NAMESPACE}

    def set(self, guid: str, medium: str, locked: bool, owner: str, explicit: bool) -> None:
        self.values = {"guid": guid, "medium": medium, "locked": locked, "owner": owner,
                       "explicit": explicit}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        xml_elem(f"{{{ITUNES_NAMESPACE}}}explicit", channel).text = str(self.values["explicit"]).lower()
        xml_elem(f"{{{PODCAST_NAMESPACE}}}guid", channel).text = self.values["guid"]
        xml_elem(f"{{{PODCAST_NAMESPACE}}}medium", channel).text = self.values["medium"]
        locked = xml_elem(f"{{{PODCAST_NAMESPACE}}}locked", channel)
        locked.text = "yes" if self.values["locked"] else "no"
        if self.values["owner"]:
            locked.attrib["owner"] = self.values["owner"]
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item tags of the Podcasting 2.0 namespace: transcripts and chapters."""

    def __init__(self):
        self.links: list[tuple[str, dict]] = []

    def extend_ns(self):
        return {"podcast": PODCAST_NAMESPACE}

    def transcript(self, url: str, kind: str, language: str, captions: bool = False) -> None:
        attributes = {"url": url, "type": kind, "language": language}
        self.links.append(("transcript", {**attributes, "rel": "captions"} if captions else attributes))

    def chapters(self, url: str) -> None:
        self.links.append(("chapters", {"url": url, "type": "application/json+chapters"}))

    def narrator(self, voice: str) -> None:
        """The synthetic voice that read the episode, as `<podcast:txt purpose="narrator">`."""
        self.links.append(("txt", {"purpose": "narrator", "": voice}))

    def extend_rss(self, item):
        for tag, attributes in self.links:
            element = xml_elem(f"{{{PODCAST_NAMESPACE}}}{tag}", item)
            element.text = attributes.get("")
            element.attrib.update({name: value for name, value in attributes.items() if name})
        return item


def newest_first(manifests: list[Manifest]) -> list[Manifest]:
    return sorted(manifests, key=lambda manifest: (manifest.published_at, manifest.slug), reverse=True)


def described(text: str) -> str:
    """Text as a feed's description: escaped, since podcast apps read descriptions as HTML (an
    article's "<b>" is shown as written, never as markup), and cut to Apple's 4,000 bytes."""
    data = html.escape(text, quote=False).encode("utf-8")
    if len(data) <= MAX_DESCRIPTION_BYTES:
        return data.decode("utf-8")
    # Cut at the last space that fits, so that no word (and no entity) is cut in half.
    return data[:MAX_DESCRIPTION_BYTES - 3].decode("utf-8", errors="ignore").rsplit(" ", 1)[0] + "…"


def channel(title: str, description: str, feed_url: str, settings: Settings, cover_url: str,
            show_type: str, language: str, guid: str) -> FeedGenerator:
    """A feed with every channel tag set; items are added by the caller."""
    base = base_url(settings)
    feed = FeedGenerator()
    feed.load_extension("podcast")
    feed.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    feed.title(title)
    feed.description(described(description or title))
    feed.link(href=feed_url, rel="self")
    feed.link(href=settings.link or base, rel="alternate")
    feed.language(language)
    feed.generator(f"audiogen {__version__}")
    feed.image(url=cover_url, title=title, link=settings.link or base)
    if settings.copyright:
        feed.copyright(settings.copyright)
    main, sub = category_parts(settings.category)
    feed.podcast.itunes_category(main, sub)
    feed.podcast.itunes_image(cover_url)
    feed.podcast.itunes_type(show_type)
    if settings.author:
        feed.podcast.itunes_author(settings.author)
    if settings.owner_email:
        feed.podcast.itunes_owner(name=settings.owner_name or settings.author or title,
                                  email=settings.owner_email)
    feed.podcastindex.set(guid=guid, medium="podcast", locked=settings.locked,
                          owner=settings.owner_email, explicit=settings.explicit)
    return feed


def show_feed(manifests: list[Manifest], settings: Settings, cover_name: str, guid: str) -> bytes:
    """`feed.xml`: one episode per article, newest first."""
    base = base_url(settings)
    feed = channel(settings.title, settings.description, base + "feed.xml", settings, base + cover_name,
                   "episodic", settings.language, guid)
    for manifest in newest_first(manifests):
        add_article(feed, manifest, base + quote(manifest.slug) + "/")
    if manifests:
        feed.lastBuildDate(newest_first(manifests)[0].published_at)
    return feed.rss_str(pretty=True)


def add_article(feed: FeedGenerator, manifest: Manifest, folder_url: str) -> None:
    entry = feed.add_entry(order="append")
    entry.title(manifest.title)
    entry.description(described(manifest.description or manifest.title))
    entry.guid(episode_guid(manifest), permalink=False)
    entry.pubDate(manifest.published_at)
    entry.enclosure(folder_url + quote(manifest.audio.file), str(manifest.audio.bytes), "audio/mpeg")
    entry.link(href=manifest.link or folder_url)
    entry.podcast.itunes_duration(round(manifest.audio.duration))
    entry.podcast.itunes_episode_type("full")
    if manifest.author:
        entry.podcast.itunes_author(manifest.author)
    entry.podcastindex.chapters(folder_url + "chapters.json")
    if manifest.voice:
        entry.podcastindex.narrator(manifest.voice)
    entry.podcastindex.transcript(folder_url + "transcript.vtt", "text/vtt", manifest.language, captions=True)
    entry.podcastindex.transcript(folder_url + "transcript.srt", "application/x-subrip", manifest.language)


def article_feed(manifest: Manifest, settings: Settings, cover_name: str) -> bytes:
    """`<slug>/feed.xml`: the article as a serial show, one numbered episode per section."""
    base = base_url(settings)
    folder_url = base + quote(manifest.slug) + "/"
    feed_url = folder_url + "feed.xml"
    guid = str(uuid.uuid5(uuid.UUID(manifest.guid), "feed.xml")) if manifest.guid else podcast_guid(feed_url)
    feed = channel(manifest.title, manifest.description, feed_url, settings, base + cover_name, "serial",
                   manifest.language, guid)
    start = manifest.published_at
    for section in manifest.sections:
        entry = feed.add_entry(order="append")
        entry.title(f"{section.index}. {section.title}")
        entry.description(described(section.text))
        entry.guid(section_guid(manifest, section.file), permalink=False)
        # A minute apart, so that apps sorting by date keep the sections in order.
        entry.pubDate(start + datetime.timedelta(minutes=section.index - 1))
        entry.enclosure(folder_url + quote(section.file), str(section.bytes), "audio/mpeg")
        entry.podcast.itunes_duration(round(section.duration))
        entry.podcast.itunes_episode(section.index)
        entry.podcast.itunes_episode_type("full")
    feed.lastBuildDate(start + datetime.timedelta(minutes=len(manifest.sections) - 1))
    return feed.rss_str(pretty=True)
