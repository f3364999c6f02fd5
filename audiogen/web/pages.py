"""The accessible web player: `output/index.html` (every episode) and `output/<slug>/index.html`.

Pages are jinja2 templates with autoescaping on, so nothing from an article is
ever read as markup. They work as plain HTML (native audio controls, the whole
transcript); `player.js` adds chapter jumps, the followed transcript, speed,
shortcuts, lock-screen controls, resume and a sleep timer on top, and `device.js`
what the device remembers and keeps for offline listening (webapp.py makes the rest
of the installable app).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import jinja2

from ..config import Settings
from ..model import Cue, Manifest
from ..podcast.feed import newest_first
from . import interface
from .subscribe import subscription

ASSETS = ("player.css", "device.js", "player.js")
THEME_COLOR = "#102a43"
"""The browser's colour around the app: the generated cover's navy."""


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    file: str
    bytes: int
    cues: tuple[Cue, ...]
    """The sentences heard in this chapter (the first also holds the spoken contents)."""


@lru_cache(maxsize=None)
def environment(language: str = "en") -> jinja2.Environment:
    """The templates, speaking `language` (interface.py)."""
    templates = jinja2.Environment(loader=jinja2.PackageLoader("audiogen.web", "templates"),
                                   autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                   undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    templates.install_gettext_translations(interface.translations(language), newstyle=True)
    templates.filters.update(
        clock=clock, spoken_length=lambda seconds: interface.length(seconds, language),
        day=lambda manifest: interface.date(manifest.published_at, language),
        megabytes=lambda size: interface.megabytes(size, language),
        rate=lambda value: interface.number(value, language))
    templates.globals.update(theme_color=THEME_COLOR, language=language)
    return templates


def chapters(manifest: Manifest, cues: list[Cue]) -> list[Chapter]:
    """Chapters with their sentences: a cue belongs to the last chapter that starts before it."""
    starts = [section.start for section in manifest.sections]
    grouped: list[list[Cue]] = [[] for _ in starts]
    for cue in cues:
        index = max(i for i, start in enumerate(starts) if start <= cue.start + 1e-6)
        grouped[index].append(cue)
    return [Chapter(section.title, section.start, section.file, section.bytes, tuple(group))
            for section, group in zip(manifest.sections, grouped)]


def episode_page(manifest: Manifest, cues: list[Cue], settings: Settings) -> str:
    return environment(manifest.language).get_template("episode.html").render(
        manifest=manifest, chapters=chapters(manifest, cues), show_title=settings.title,
        show_language=settings.language, root="../")


@dataclass(frozen=True)
class About:
    """What the show's page says of the show. Kept in show.json, so that `audiogen serve` can
    make the page again for the address a listener reached it at."""

    title: str
    description: str
    language: str
    cover: str
    """The cover's file name."""


def index_page(manifests: list[Manifest], about: About, feed_url: str) -> str:
    """The show's page; its subscribe block waits for an address (`feed_url`) if the show has none yet."""
    return environment(about.language).get_template("index.html").render(
        manifests=newest_first(manifests), about=about, show_title=about.title, show_language=about.language,
        root="", subscription=subscription(feed_url) if feed_url else None)


def asset(name: str) -> bytes:
    return files("audiogen.web").joinpath("templates", name).read_bytes()


def clock(seconds: float) -> str:
    """1:02, or 1:02:03 past an hour."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
