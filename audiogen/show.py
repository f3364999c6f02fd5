"""What covers every article of an output folder: the show's identity, feeds, index page and cover.

The show is published again with each article that is changed, in the same group of
renames as the article's own files, so that at every moment the feeds describe the
files on disk. New articles are added to the show's feed and page at most every
`PUBLISH_SECONDS` and when the build ends: the show's files grow with the catalogue,
and writing them for each of 10,000 new articles would take longer than narrating
them on a cluster. A manifest that cannot be read (damaged, or not audiogen's) leaves
its article out of the feed, with a warning; it never stops the show.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from . import __version__, layout
from .config import Settings
from .model import Manifest
from .podcast.cover import cover
from .podcast.feed import article_feed, show_feed
from .podcast.identity import base_url, podcast_guid
from .web import app as webapp
from .web import pages as player

PUBLISH_SECONDS = 30.0


def stored_guid(output: Path) -> str:
    try:
        return str(uuid.UUID(json.loads((output / layout.SHOW).read_text(encoding="utf-8"))["guid"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ""


def first_guid(settings: Settings) -> str:
    """A new show's guid: as Podcasting 2.0 makes it from the feed's address when the show has
    one; a random one otherwise, so that two shows never share it."""
    return podcast_guid(base_url(settings) + layout.FEED) if settings.base_url else str(uuid.uuid4())


class Show:
    def __init__(self, output: Path, settings: Settings, warn: Callable[[str], None]):
        self.output = output
        self.settings = settings
        self.manifests = layout.read_manifests(output, lambda path, error: warn(
            f"{path}: cannot be read ({error}); that article is left out of the feed until it is built again"))
        self.guid = settings.guid or stored_guid(output) or first_guid(settings)
        self.cover = cover(settings.image, settings.title)
        self.published = -PUBLISH_SECONDS
        """When the show's files were last handed out (time.monotonic)."""
        self.shown: tuple[list[Manifest], dict[Path, bytes]] = ([], {})
        """The show's files last made, and the manifests they were made of."""

    def episode_guid(self, slug: str) -> str:
        """The guid of an article's episode: the one it was first published with, if any."""
        previous = self.manifests.get(slug)
        if previous:
            return previous.guid
        return str(uuid.uuid5(uuid.UUID(self.guid), slug))

    def add(self, manifest: Manifest) -> dict[Path, bytes]:
        """Take in an article just built; return the files to publish with it: its own, and
        the show's if they must change now."""
        previous = self.manifests.get(manifest.slug)
        self.manifests[manifest.slug] = manifest
        found = self.article_files(manifest)
        recent = time.monotonic() - self.published < PUBLISH_SECONDS
        if manifest != previous and not (previous is None and recent):
            found.update(self.show_files())
            self.published = time.monotonic()
        return found

    def files(self) -> dict[Path, bytes]:
        """Every file the show is published as, for every article in the output folder."""
        found = self.show_files() if self.manifests else {}
        for manifest in self.manifests.values():
            found.update(self.article_files(manifest))
        return found

    def show_files(self) -> dict[Path, bytes]:
        """The show's files; made again only when an article changed since they were last made
        (the app's icons alone take a quarter of a second)."""
        manifests = list(self.manifests.values())
        if manifests == self.shown[0]:
            return dict(self.shown[1])
        about = player.About(self.settings.title, self.settings.description, self.settings.language, self.cover.name)
        identity = json.dumps({"guid": self.guid, "generator": f"audiogen {__version__}",
                               "base_url": self.settings.base_url, "page": asdict(about)},
                              indent=2, ensure_ascii=False) + "\n"
        feed_url = base_url(self.settings) + layout.FEED if self.settings.base_url else ""
        files = {
            self.output / layout.SHOW: identity.encode(),
            **{self.output / name: content for name, content
               in webapp.files(self.settings, self.cover).items()},
            self.output / layout.FEED: show_feed(manifests, self.settings, self.cover, self.guid),
            self.output / layout.PAGE: player.index_page(manifests, about, feed_url).encode(),
        }
        self.shown = (manifests, files)
        return dict(files)

    def article_files(self, manifest: Manifest) -> dict[Path, bytes]:
        return {self.output / manifest.slug / layout.FEED: article_feed(manifest, self.settings, self.cover)}
