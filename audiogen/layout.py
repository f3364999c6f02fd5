"""Where everything a build writes goes, and what names it: every name in `output/` is
decided here, slugs included, and so is the manifest that says what an article became
(written last, read by the show, `verify` and the next build).

    output/
      feed.xml  index.html  show.json  cover.png  manifest.webmanifest  sw.js  icon-*.png  player.*
      <slug>/
        <slug>.mp3   01-<section>.mp3 ...   transcript.vtt  transcript.srt  transcript.json  chapters.json
        index.html   feed.xml   <slug>.epub   <slug>-daisy.zip   daisy/   <slug>.m4b   manifest.json
      audiobooks/<Author>/<Title>/<Title>.m4b      (with `audiobook_shelf`: links to the M4Bs)
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from slugify import slugify

from .files import atomic_path
from .model import Manifest

FEED = "feed.xml"
PAGE = "index.html"
SHOW = "show.json"
"""The show's identity, made by its first build and kept: `{"guid": ...}`."""
MANIFEST = "manifest.json"
TRANSCRIPT = "transcript.vtt"
SUBTITLES = "transcript.srt"
WORDS = "transcript.json"
"""The Podcasting 2.0 JSON transcript, a segment per word."""
CHAPTERS = "chapters.json"
DAISY_FOLDER = "daisy"
SHELF = "audiobooks"
WEB_MANIFEST = "manifest.webmanifest"
SERVICE_WORKER = "sw.js"
SECTION_FILE = re.compile(r"^\d{2,}-[a-z0-9-]+\.mp3$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
"""Names Windows will not give a file or folder, whatever the extension."""
HASH_CHARACTERS = 16
"""Hexadecimal characters of a hash that end a web article's slug: 64 bits, which no feed's
author can make collide with another article's."""


def episode_file(slug: str) -> str:
    return f"{slug}.mp3"


def section_file(index: int, title: str) -> str:
    return f"{index:02d}-{slugify(title, max_length=60, word_boundary=True) or 'section'}.mp3"


def epub_file(slug: str) -> str:
    return f"{slug}.epub"


def daisy_file(slug: str) -> str:
    return f"{slug}-daisy.zip"


def m4b_file(slug: str) -> str:
    return f"{slug}.m4b"


def icon_file(size: int) -> str:
    return f"icon-{size}.png"


def cover_file(image_format: str) -> str:
    return "cover.png" if image_format == "PNG" else "cover.jpg"


def article_slug(stem: str, given: str | None) -> str:
    """A file's article's slug: the one its front matter gives (ValueError if it is not a safe
    one), else one made from the file's name."""
    if given is not None:
        if not SLUG_PATTERN.match(given) or given in RESERVED_NAMES or len(given) > 80:
            raise ValueError(f"slug {given!r} is not allowed: use lowercase letters, digits and hyphens, "
                             "as in 'my-article'")
        return given
    slug = slugify(stem, max_length=80) or "article"
    return f"{slug}-article" if slug in RESERVED_NAMES else slug


def web_slug(words: str, identity: str) -> str:
    """A slug that stays the same for a web article and is its own: a few words, then 64 bits
    of the hash of what identifies it (its address, or its feed's address and its id)."""
    import hashlib

    readable = slugify(words, max_length=50, word_boundary=True) or "entry"
    return f"{readable}-{hashlib.sha256(identity.encode()).hexdigest()[:HASH_CHARACTERS]}"


def audio_names(manifest: Manifest) -> list[str]:
    return [manifest.audio.file, *(section.file for section in manifest.sections)]


def book_names(manifest: Manifest) -> list[str]:
    return [name for name in (manifest.epub, manifest.daisy, manifest.m4b) if name]


def unchanged_audio(folder: Path, previous: Manifest | None, new: Manifest) -> bool:
    """Whether the audio files in `folder` are already those `new` describes."""
    return bool(previous and previous.key == new.key
                and all(os.path.isfile(folder / name) for name in audio_names(new)))


def unchanged_books(folder: Path, previous: Manifest | None, new: Manifest) -> bool:
    """Whether the talking books in `folder` are already those `new` describes."""
    daisy = [folder / DAISY_FOLDER / "ncc.html"] if new.daisy else []
    return bool(previous and previous.books_key == new.books_key
                and all(os.path.isfile(path) for path in [*(folder / name for name in book_names(new)), *daisy]))


def remove_stale_files(folder: Path, manifest: Manifest, daisy_files: list[str]) -> None:
    """Files of an earlier build that this one does not make: sections gone or renamed, talking
    books no longer asked for."""
    current = set(audio_names(manifest)) | set(book_names(manifest))
    for path in [*folder.glob("*.mp3"), *folder.glob("*.epub"), *folder.glob("*-daisy.zip"), *folder.glob("*.m4b")]:
        if (path.suffix != ".mp3" or SECTION_FILE.match(path.name)) and path.name not in current:
            path.unlink()
    if (folder / DAISY_FOLDER).is_dir():
        for path in (folder / DAISY_FOLDER).iterdir():
            if path.name not in daisy_files and not path.name.startswith("."):
                path.unlink()


def shelf_paths(output: Path, manifests: list[Manifest]) -> dict[Path, Path]:
    """Where each M4B goes on the audiobook shelf (`audiobooks/<Author>/<Title>/<Title>.m4b`, as
    Audiobookshelf scans), and the M4B it is."""
    found: dict[Path, Path] = {}
    for manifest in sorted(manifests, key=lambda manifest: manifest.slug):
        if manifest.m4b:
            title = shelf_name(manifest.title, "Untitled")
            folder = output / SHELF / shelf_name(manifest.author, "Unknown author") / title
            if folder / f"{title}.m4b" in found:  # two books of one author with one title
                title = f"{title} ({manifest.slug})"
                folder = folder.with_name(title)
            found[folder / f"{title}.m4b"] = output / manifest.slug / manifest.m4b
    return found


def shelf_name(text: str, otherwise: str) -> str:
    """`text` as a folder's name on any system: no separators, reserved or control characters."""
    name = " ".join(re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]', " ", text).split()).strip(". ")[:100].strip()
    return name if name and name.lower() not in RESERVED_NAMES else otherwise


def shelve(output: Path, manifests: list[Manifest], wanted: bool) -> None:
    """The audiobook shelf made to match the M4Bs (hard links; copies where the disk has none),
    and emptied of books no longer there, or of all when it is not `wanted`."""
    expected = shelf_paths(output, manifests) if wanted else {}
    for path, m4b in expected.items():
        if m4b.is_file() and not (path.is_file() and os.path.samefile(path, m4b)):
            with atomic_path(path) as temporary:
                temporary.unlink()
                try:
                    os.link(m4b, temporary)
                except OSError:
                    shutil.copyfile(m4b, temporary)
    shelf = output / SHELF
    for path in sorted(shelf.rglob("*.m4b")) if shelf.is_dir() else []:
        if path not in expected:
            path.unlink()
    for folder in sorted(shelf.rglob("*"), reverse=True) if shelf.is_dir() else []:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    if shelf.is_dir() and not any(shelf.iterdir()):
        shelf.rmdir()


def manifest_text(manifest: Manifest) -> str:
    return json.dumps(asdict(manifest), indent=2, ensure_ascii=False) + "\n"


def read_manifest(folder: Path) -> Manifest:
    """The manifest an earlier build left in `folder`; ValueError or OSError if there is none."""
    manifest = Manifest.from_dict(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
    if manifest.slug != folder.name:
        raise ValueError(f"it names the slug {manifest.slug!r}")
    return manifest


def read_manifests(output: Path, unreadable: Callable[[Path, Exception], None]) -> dict[str, Manifest]:
    """Every article's manifest in `output`, by slug; `unreadable` is told of each that cannot be read."""
    manifests = {}
    for folder in sorted(path.parent for path in output.glob(f"*/{MANIFEST}")) if output.is_dir() else []:
        try:
            manifests[folder.name] = read_manifest(folder)
        except (OSError, ValueError) as error:
            unreadable(folder / MANIFEST, error)
    return manifests

