"""What an article's renderings become: its MP3s (tagged, with chapters), their timeline and manifest.

The section files are each section's cached frames behind an ID3 tag; the full
episode is the spoken contents and every section's frames, joined, behind a tag
with a chapter per section. Nothing here is encoded again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from .. import layout
from ..addresses import is_url
from ..cache import key
from ..config import Settings
from ..model import Article, AudioEntry, Cue, Manifest, Paragraph, Rendering, Script, SectionEntry
from .chapters import chapter_list
from .tags import TagValues, tag_bytes


@dataclass(frozen=True)
class AudioFile:
    """An MP3 to write: its ID3 tag, then the cached frames of each of `parts`."""

    tag: bytes
    parts: tuple[Path, ...]

    @property
    def size(self) -> int:
        return len(self.tag) + sum(part.stat().st_size for part in self.parts)

    def write(self, path: Path) -> None:
        with path.open("wb") as out:
            self.copy_to(out)

    def copy_to(self, out: BinaryIO) -> None:
        out.write(self.tag)
        for part in self.parts:
            with part.open("rb") as source:
                shutil.copyfileobj(source, out)


@dataclass(frozen=True)
class Episode:
    """An article narrated: its audio files by name, its manifest and every sentence's time."""

    files: dict[str, AudioFile]
    manifest: Manifest
    cues: tuple[Cue, ...]
    """Every sentence's time in the full episode."""
    scripts: tuple[Script, ...]
    renderings: tuple[Rendering, ...]
    """The sections' scripts and renderings, in order."""


def episode(article: Article, settings: Settings, scripts: list[Script], contents_script: Script | None,
            contents: Rendering | None, sections: list[Rendering], guid: str, published: str, voice: str) -> Episode:
    """The files and manifest of `article`, whose sections (and spoken contents, unless the
    show leaves them out) are rendered."""
    opening = [contents] if contents else []
    entries, duration = section_entries(scripts, sections, opening)
    files = audio_files(article, settings, entries, opening, sections, duration)
    files_key = key([(name, file.tag.hex(), [part.name for part in file.parts]) for name, file in files.items()])
    manifest = Manifest(
        title=article.title, slug=article.slug, source=shown_source(article.source),
        author=article.author, date=article.date,
        language=article.language, description=description_of(article),
        published=published,
        audio=AudioEntry(layout.episode_file(article.slug), round(duration, 3),
                         files[layout.episode_file(article.slug)].size),
        sections=tuple(replace(entry, bytes=files[entry.file].size) for entry in entries),
        contents=contents_script.text if contents_script else "", key=files_key, guid=guid, voice=voice,
        link=article.link,
        epub=layout.epub_file(article.slug) if settings.epub else "",
        daisy=layout.daisy_file(article.slug) if settings.daisy else "",
        m4b=layout.m4b_file(article.slug) if settings.m4b else "", words=layout.WORDS)
    return Episode(files, manifest, tuple(episode_cues([*opening, *sections])), tuple(scripts), tuple(sections))


def shown_source(source: str) -> str:
    """Where the article came from, as the manifest publishes it: its address, or its path made
    relative, never the producer's whole path."""
    path = Path(source)
    if is_url(source) or not path.is_absolute():
        return source
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return path.name


def description_of(article: Article) -> str:
    """The article's own description, else its opening paragraph."""
    paragraphs = (block.text for section in article.sections for block in section.blocks
                  if isinstance(block, Paragraph) and block.text)
    return article.description or next(paragraphs, article.title)




def episode_cues(renderings: list[Rendering]) -> list[Cue]:
    """Every sentence's time in the full episode, made of `renderings` one after the other."""
    cues, offset = [], 0.0
    for rendering in renderings:
        cues += [cue.shifted(offset) for cue in rendering.cues]
        offset += rendering.duration
    return cues


def section_entries(scripts: list[Script], sections: list[Rendering],
                    opening: list[Rendering]) -> tuple[tuple[SectionEntry, ...], float]:
    """Each section's place in the full episode, which opens with `opening` (the spoken contents)."""
    entries, position = [], sum(rendering.duration for rendering in opening)
    for index, (script, rendering) in enumerate(zip(scripts, sections), 1):
        entries.append(SectionEntry(
            index=index, title=script.title, file=layout.section_file(index, script.title),
            start=0.0 if index == 1 else round(position, 3),
            duration=round(rendering.duration, 3), bytes=0, text=script.text))
        position += rendering.duration
    return tuple(entries), position


def tag_values(article: Article, settings: Settings, title: str, track: int, tracks: int) -> TagValues:
    return TagValues(title=title, artist=article.author, album=article.title,
                     date=article.date, language=article.language,
                     track=track, tracks=tracks)


def audio_files(article: Article, settings: Settings, entries: tuple[SectionEntry, ...], opening: list[Rendering],
                sections: list[Rendering], duration: float) -> dict[str, AudioFile]:
    """Each MP3 of the article by name: a section file holds its own frames; the full episode
    holds the opening's (the spoken contents) and every section's, with a chapter per section."""
    files = {entry.file: AudioFile(tag_bytes(tag_values(article, settings, entry.title, entry.index, len(entries))),
                                   (rendering.frames,)) for entry, rendering in zip(entries, sections)}
    whole = tag_bytes(tag_values(article, settings, article.title, 1, 1), chapter_list(entries, duration))
    files[layout.episode_file(article.slug)] = AudioFile(whole, tuple(rendering.frames
                                                                      for rendering in [*opening, *sections]))
    return files
