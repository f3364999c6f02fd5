"""M4B audiobooks, for audiobook apps (Apple Books, BookPlayer, Smart AudioBook Player,
Audiobookshelf, Voice): the already-encoded MP3 frames of the episode as AAC, a chapter per
section with its title, and the tags and cover those apps show. Nothing is narrated again.

ffmpeg writes the audio and the chapters (a QuickTime chapter track and Nero's `chpl`, so that
every player finds them); mutagen writes the tags and the cover.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mutagen.mp4 import MP4, MP4Cover

from .. import audio
from ..cache import key
from ..podcast.chapters import chapter_list
from ..podcast.cover import Cover
from ..podcast.episode import Episode
from ..podcast.tags import Chapter

MEDIA_KIND_AUDIOBOOK = 2
"""iTunes' `stik` for an audiobook."""


@dataclass(frozen=True)
class Audiobook:
    title: str
    author: str
    narrator: str
    year: str
    description: str
    chapters: tuple[Chapter, ...]
    mp3_frames: tuple[Path, ...]
    """The encoded audio, in files heard one after another."""
    cover: Cover

    def fingerprint(self, bitrate: int) -> str:
        """Equal for equal books: what the M4B is made of, the frames by their cached names."""
        return key([self.title, self.author, self.narrator, self.year, self.description, bitrate,
                    [(chapter.title, chapter.start, chapter.end) for chapter in self.chapters],
                    [path.name for path in self.mp3_frames], self.cover.name,
                    hashlib.sha256(self.cover.data).hexdigest()])


def of_episodes(episodes: list[Episode], title: str, author: str, cover: Cover) -> Audiobook:
    """Full episodes one after another as a book: a chapter per section, named "Article: Section"
    in a book of several articles."""
    chapters, frames, offset = [], [], 0.0
    for narrated in episodes:
        manifest = narrated.manifest
        prefix = f"{manifest.title}: " if len(episodes) > 1 else ""
        chapters += [Chapter(prefix + chapter.title, round(offset + chapter.start, 3), round(offset + chapter.end, 3))
                     for chapter in chapter_list(manifest.sections, manifest.audio.duration)]
        frames += narrated.files[manifest.audio.file].parts
        offset += manifest.audio.duration
    first = episodes[0].manifest
    narrators = "; ".join(dict.fromkeys(narrated.manifest.voice for narrated in episodes))
    year = max(narrated.manifest.published for narrated in episodes)[:4]
    description = first.description if len(episodes) == 1 else "; ".join(e.manifest.title for e in episodes)
    return Audiobook(title, author, narrators, year, description, tuple(chapters), tuple(frames), cover)


def write(book: Audiobook, bitrate: int, path: Path) -> None:
    """The book as an M4B file at `path` (a temporary name the caller renames), at the MP3s'
    bit rate or AAC's most for speech, whichever is lower."""
    with tempfile.TemporaryDirectory(prefix="audiogen-m4b-") as work:
        chapters = Path(work) / "chapters.txt"
        chapters.write_text(ffmetadata(book.chapters), encoding="utf-8")
        audio.encode_aac(book.mp3_frames, chapters, min(bitrate, audio.AAC_MOST_BITRATE), path)
    tag(path, book)


def ffmetadata(chapters: tuple[Chapter, ...]) -> str:
    """ffmpeg's metadata file: a [CHAPTER] per chapter, in milliseconds."""
    lines = [";FFMETADATA1"]
    for chapter in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(chapter.start * 1000)}",
                  f"END={round(chapter.end * 1000)}", f"title={escaped(chapter.title)}"]
    return "\n".join(lines) + "\n"


def escaped(value: str) -> str:
    """A value as ffmetadata files write it: '=', ';', '#', '\\' and line ends behind a backslash."""
    for character in "\\=;#\n":
        value = value.replace(character, "\\" + character)
    return value


def tag(path: Path, book: Audiobook) -> None:
    """Title, author, narrator (as composer, where Audiobookshelf and iTunes read it), year,
    description, genre, media kind and cover, as MP4 atoms."""
    m4b = MP4(path)
    if m4b.tags is None:
        m4b.add_tags()
    values = {"\xa9nam": book.title, "\xa9alb": book.title, "\xa9ART": book.author, "aART": book.author,
              "\xa9wrt": book.narrator, "\xa9day": book.year, "desc": book.description[:255],
              "\xa9cmt": book.description, "\xa9gen": "Audiobook"}
    m4b.tags.update({name: [value] for name, value in values.items() if value})
    m4b.tags["stik"] = [MEDIA_KIND_AUDIOBOOK]
    image_format = MP4Cover.FORMAT_PNG if book.cover.mime_type == "image/png" else MP4Cover.FORMAT_JPEG
    m4b.tags["covr"] = [MP4Cover(book.cover.data, imageformat=image_format)]
    m4b.save()
