"""Podcast feeds, built with feedgen: one for the show, one per article (a section per episode).

feedgen's own podcast extension writes the iTunes tags; the Podcasting 2.0 tags
(`podcast:guid`, `podcast:transcript`, ...) and Podlove Simple Chapters (which Spotify
reads) come from the extension below. Nothing in a feed depends on the clock, so an
unchanged build gives the same bytes.
"""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import quote

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .. import __version__, layout
from ..config import Settings, category_parts
from ..model import Manifest
from .cover import Cover
from .identity import base_url, episode_guid, podcast_guid, section_guid
from .notes import described, escaped, show_notes

PODCAST_NAMESPACE = "https://podcastindex.org/namespace/1.0"
ITUNES_NAMESPACE = "http://www.itunes.com/dtds/podcast-1.0.dtd"
CHAPTERS_NAMESPACE = "http://podlove.org/simple-chapters"
NAMESPACES = {"podcast": PODCAST_NAMESPACE, "psc": CHAPTERS_NAMESPACE}


class PodcastIndexExtension(BaseExtension):
    """Channel tags of the Podcasting 2.0 namespace, and `itunes:explicit` as Apple now spells it."""

    def __init__(self):
        self.values: dict = {}
        self.tags: list[tuple[str, dict]] = []

    def extend_ns(self):
        return NAMESPACES

    def set(self, guid: str, settings: Settings, cover: Cover, cover_url: str, title: str) -> None:
        self.values = {"guid": guid, "medium": settings.medium, "locked": settings.locked,
                       "owner": settings.owner_email, "explicit": settings.explicit}
        self.tags = [("image", {"href": cover_url, "alt": f"Cover art of {title}", "aspect-ratio": "1/1",
                                "width": str(cover.width), "height": str(cover.width), "type": cover.mime_type,
                                "purpose": "artwork"})]
        if settings.license:
            self.tags.append(("license", {"": settings.license, **({"url": settings.license_url}
                                                                   if settings.license_url else {})}))

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        xml_elem(f"{{{ITUNES_NAMESPACE}}}explicit", channel).text = str(self.values["explicit"]).lower()
        xml_elem(f"{{{PODCAST_NAMESPACE}}}guid", channel).text = self.values["guid"]
        xml_elem(f"{{{PODCAST_NAMESPACE}}}medium", channel).text = self.values["medium"]
        locked = xml_elem(f"{{{PODCAST_NAMESPACE}}}locked", channel)
        locked.text = "yes" if self.values["locked"] else "no"
        if self.values["owner"]:
            locked.attrib["owner"] = self.values["owner"]
        add_tags(channel, self.tags)
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item tags of the Podcasting 2.0 namespace (transcripts, chapters, people) and Podlove
    Simple Chapters."""

    def __init__(self):
        self.tags: list[tuple[str, dict]] = []
        self.chapter_marks: list[dict] = []

    def extend_ns(self):
        return NAMESPACES

    def transcript(self, url: str, kind: str, language: str, captions: bool = False) -> None:
        attributes = {"url": url, "type": kind, "language": language}
        self.tags.append(("transcript", {**attributes, "rel": "captions"} if captions else attributes))

    def chapters(self, url: str, manifest: Manifest) -> None:
        """The JSON chapters' address, and every chapter as Podlove Simple Chapters (for two or more)."""
        self.tags.append(("chapters", {"url": url, "type": "application/json+chapters"}))
        if len(manifest.sections) > 1:
            self.chapter_marks = [{"start": normal_play_time(section.start), "title": section.title}
                                  for section in manifest.sections]

    def people(self, author: str, narrator: str) -> None:
        """The article's author, and the synthetic voice that read it, said as such."""
        if author:
            self.tags.append(("person", {"role": "author", "group": "writing", "": author[:128]}))
        if narrator:
            self.tags.append(("person", {"role": "narrator", "group": "cast", "": narrator[:128]}))

    def extend_rss(self, item):
        add_tags(item, self.tags)
        if self.chapter_marks:
            marks = xml_elem(f"{{{CHAPTERS_NAMESPACE}}}chapters", item, version="1.2")
            for mark in self.chapter_marks:
                xml_elem(f"{{{CHAPTERS_NAMESPACE}}}chapter", marks, **mark)
        return item


def add_tags(parent, tags: list[tuple[str, dict]]) -> None:
    """Podcasting 2.0 elements under `parent`: attributes, and the text under the key ""."""
    for tag, attributes in tags:
        element = xml_elem(f"{{{PODCAST_NAMESPACE}}}{tag}", parent)
        element.text = attributes.get("")
        element.attrib.update({name: value for name, value in attributes.items() if name})


def normal_play_time(seconds: float) -> str:
    """A time as Podlove Simple Chapters write it: HH:MM:SS.mmm."""
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def newest_first(manifests: list[Manifest]) -> list[Manifest]:
    return sorted(manifests, key=lambda manifest: (manifest.published_at, manifest.slug), reverse=True)


def channel(title: str, description: str, feed_url: str, settings: Settings, cover: Cover,
            show_type: str, language: str, guid: str) -> FeedGenerator:
    """A feed with every channel tag set; items are added by the caller."""
    base = base_url(settings)
    cover_url = base + quote(cover.name)
    feed = FeedGenerator()
    feed.load_extension("podcast")
    feed.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    feed.title(title)
    feed.description(escaped(description or title))
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
    feed.podcastindex.set(guid, settings, cover, cover_url, title)
    return feed


def show_feed(manifests: list[Manifest], settings: Settings, cover: Cover, guid: str) -> bytes:
    """`feed.xml`: one episode per article, newest first."""
    base = base_url(settings)
    feed = channel(settings.title, settings.description, base + layout.FEED, settings, cover,
                   "episodic", settings.language, guid)
    for manifest in newest_first(manifests):
        add_article(feed, manifest, base + quote(manifest.slug) + "/")
    if manifests:
        feed.lastBuildDate(newest_first(manifests)[0].published_at)
    return feed.rss_str(pretty=True)


def add_article(feed: FeedGenerator, manifest: Manifest, folder_url: str) -> None:
    entry = feed.add_entry(order="append")
    entry.title(manifest.title)
    text, markup = show_notes(manifest)
    entry.description(text)
    entry.content(markup, type="CDATA")
    entry.guid(episode_guid(manifest), permalink=False)
    entry.pubDate(manifest.published_at)
    entry.enclosure(folder_url + quote(manifest.audio.file), str(manifest.audio.bytes), "audio/mpeg")
    entry.link(href=manifest.link or folder_url)
    entry.podcast.itunes_duration(round(manifest.audio.duration))
    entry.podcast.itunes_episode_type("full")
    if manifest.author:
        entry.podcast.itunes_author(manifest.author)
    entry.podcastindex.chapters(folder_url + layout.CHAPTERS, manifest)
    entry.podcastindex.people(manifest.author, manifest.voice)
    entry.podcastindex.transcript(folder_url + layout.TRANSCRIPT, "text/vtt", manifest.language, captions=True)
    entry.podcastindex.transcript(folder_url + layout.SUBTITLES, "application/x-subrip", manifest.language)
    entry.podcastindex.transcript(folder_url + layout.WORDS, "application/json", manifest.language)


def article_feed(manifest: Manifest, settings: Settings, cover: Cover) -> bytes:
    """`<slug>/feed.xml`: the article as a serial show, one numbered episode per section."""
    base = base_url(settings)
    folder_url = base + quote(manifest.slug) + "/"
    feed_url = folder_url + layout.FEED
    guid = str(uuid.uuid5(uuid.UUID(manifest.guid), "feed.xml")) if manifest.guid else podcast_guid(feed_url)
    feed = channel(manifest.title, manifest.description, feed_url, settings, cover, "serial",
                   manifest.language, guid)
    start = manifest.published_at
    for section in manifest.sections:
        entry = feed.add_entry(order="append")
        entry.title(f"{section.index}. {section.title}")
        entry.description(described(section.text, [], manifest.voice)[0])
        entry.podcastindex.people(manifest.author, manifest.voice)
        entry.guid(section_guid(manifest, section.file), permalink=False)
        # A minute apart, so that apps sorting by date keep the sections in order.
        entry.pubDate(start + datetime.timedelta(minutes=section.index - 1))
        entry.enclosure(folder_url + quote(section.file), str(section.bytes), "audio/mpeg")
        entry.podcast.itunes_duration(round(section.duration))
        entry.podcast.itunes_episode(section.index)
        entry.podcast.itunes_episode_type("full")
    feed.lastBuildDate(start + datetime.timedelta(minutes=len(manifest.sections) - 1))
    return feed.rss_str(pretty=True)
