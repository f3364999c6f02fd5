"""A build with nothing to do, known before any stage is loaded.

A build of local files that ends with no failure records what it was made from: every file under
its sources (names and contents), the settings and the files they name (voices, lexicons, the
cover), audiogen's own code and the packages installed, and every file it left in the output
folder (size and modification time). The next build of the same sources into the same folder
compares, and when nothing differs it is done before reading an article or loading a voice.
Anything that differs, a file touched in the output folder included, makes it a whole build,
which repairs what it must. The record is kept in the cache (`audiogen clean` forgets it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import sysconfig
from pathlib import Path
from typing import Iterable

from . import layout
from .addresses import is_url
from .cache import Cache, key
from .config import Settings
from .model import Manifest

KIND = "builds"
PACKAGE = Path(__file__).resolve().parent


def record(sources: list[str | Path], output: Path, settings: Settings, slugs: list[str]) -> None:
    """Note what the build of `sources` into `output` was made from and left, with the slugs of
    the articles it built (for local files only: what an address serves can change unseen)."""
    if not local(sources):
        return
    found = {"inputs": inputs_key(sources, settings), "outputs": outputs_of(output), "slugs": sorted(slugs)}
    Cache(settings.cache_path).store(KIND, entry(output), ".json", json.dumps(found).encode(), share=False)


def up_to_date(sources: list[str | Path], output: Path, settings: Settings) -> list[Manifest] | None:
    """The manifests of the articles of `sources`, if the last build of them into `output` left
    nothing to do; None otherwise."""
    if not local(sources):
        return None
    try:
        last = json.loads(Cache(settings.cache_path).path(KIND, entry(output), ".json").read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(last, dict) or last.get("inputs") != inputs_key(sources, settings) \
            or last.get("outputs") != outputs_of(output):
        return None
    try:
        return [layout.read_manifest(output / slug) for slug in last["slugs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def local(sources: list[str | Path]) -> bool:
    return not any(is_url(str(source)) for source in sources)


def entry(output: Path) -> str:
    """The record's name: the output folder's."""
    return key(str(output.resolve()))


def inputs_key(sources: Iterable[str | Path], settings: Settings) -> str:
    """What a build of `sources` reads, as one key: contents for the articles, names, sizes and
    times for everything else (which only changes by being written)."""
    settings_files = [settings.image, settings.voice, str(settings.voices_path),
                      *(voice for voice in settings.voices.values() if voice.endswith(".onnx"))]
    lexicon = Path(settings.lexicon)
    companions = sorted(lexicon.parent.glob(f"{lexicon.name.split('.')[0]}.*")) if lexicon.parent.is_dir() else []
    return key([
        sorted((str(path), hashlib.sha256(path.read_bytes()).hexdigest()) for path in files_under(map(Path, sources))),
        json.dumps(dataclasses.asdict(settings), sort_keys=True, default=str),
        stamps(files_under([Path(name) for name in settings_files if name] + companions)),
        stamps(files_under([PACKAGE])),
        sorted(os.listdir(sysconfig.get_paths()["purelib"])),
        sys.version,
        str(Path.cwd()),  # the sources' names are relative to it, and manifests name them
    ])


def files_under(paths: Iterable[Path]) -> list[Path]:
    """Files, and the files in folders (at any depth), that exist, but for hidden ones."""
    found = []
    for path in paths:
        if path.is_dir():
            found += [file for file in path.rglob("*") if file.is_file() and not file.name.startswith(".")
                      and "__pycache__" not in file.parts]
        elif path.is_file():
            found.append(path)
    return sorted(found)


def stamps(paths: list[Path]) -> list:
    return [(str(path), *size_and_time(path)) for path in paths]


def size_and_time(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def outputs_of(output: Path) -> dict[str, list[int]]:
    if not output.is_dir():
        return {}
    return {str(path.relative_to(output)): list(size_and_time(path))
            for path in output.rglob("*") if path.is_file()}
