"""Piper voices from the public collection (or a mirror of it), for producers who are online.

The collection's `voices.json` lists each voice's files with their size and checksums. A
voice is its model and its configuration, downloaded into the voices folder under its name
(`es_ES-davefx-medium.onnx` and `.onnx.json`) over HTTPS only (every redirect too), never
past the size the catalogue gives, and checked before it is put in place: against a SHA-256
(the catalogue's `sha256_digest`, else the one Hugging Face gives each stored file), or,
where neither is given, the catalogue's MD5, as the summary then says. A download cut short
is kept (`.NAME.download`) and the next attempt asks only for the rest (a range request).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import BinaryIO, Callable

from ..config import Settings
from ..errors import AudiogenError
from ..files import synced
from ..languages import same_language
from ..reading.fetch import Fetcher, FetchError, answered

PARTS = (".onnx", ".onnx.json")
CHUNK = 1 << 16
MIN_RATE = 100_000
"""Bytes a second a download may not fall below on average: its deadline grows with its size."""
SHA256 = re.compile(r'^(?:W/)?"?([0-9a-f]{64})"?$')
Progress = Callable[[int, int], None]
"""Told the bytes done so far and the bytes in all, as a download goes."""


def catalogue(settings: Settings) -> dict:
    """The collection's voices.json: every voice by name, each with its files."""
    url = settings.voices_url.rstrip("/") + "/voices.json"
    try:
        status, _, _, body = Fetcher(None, settings.timeout).fetch(url, None, {}, schemes=("https",))
    except FetchError as error:
        raise AudiogenError(f"{url}: {error.message}") from None
    if status != 200:
        raise AudiogenError(f"{url}: {answered(status)}")
    try:
        voices = json.loads(body)
        if not isinstance(voices, dict) or not all(isinstance(voice, dict) and isinstance(voice.get("files", {}), dict)
                                                   for voice in voices.values()):
            raise ValueError
    except ValueError:
        raise AudiogenError(f"{url}: is not the voices collection's voices.json") from None
    return voices


def install(name: str, settings: Settings, progress: Progress = lambda done, total: None) -> tuple[Path, str]:
    """Download the voice `name` into the voices folder; return its model file and the kind of
    checksum it was checked against ("SHA-256" or "MD5")."""
    voices = catalogue(settings)
    if name not in voices:
        near = sorted(voice for voice in voices if same_language(voice, name))[:5]
        raise AudiogenError(f"the collection has no voice named '{name}'"
                            + (f" (for that language: {', '.join(near)})" if near else ""))
    files = {path: info for path, info in voices[name]["files"].items()
             if path.endswith(PARTS) and isinstance(info, dict)}
    sizes = {path: info.get("size_bytes") for path, info in files.items()}
    if len(files) != 2 or not all(isinstance(size, int) and size > 0 for size in sizes.values()):
        raise AudiogenError(f"the collection's entry for '{name}' does not give its files and their sizes")
    total, done, checks = sum(sizes.values()), 0, set()
    for path, info in sorted(files.items()):
        suffix = ".onnx.json" if path.endswith(".onnx.json") else ".onnx"
        url = settings.voices_url.rstrip("/") + "/" + path
        checks.add(download(url, settings.voices_path / f"{name}{suffix}", info, settings.timeout,
                            lambda part: progress(done + part, total)))
        done += info["size_bytes"]
    return settings.voices_path / f"{name}.onnx", " and ".join(sorted(checks))


def download(url: str, target: Path, expected: dict, timeout: float, progress: Callable[[int], None]) -> str:
    """`url` into `target`, resuming a download left unfinished, stopped at `expected`'s
    `size_bytes` and checked against its checksum; returns the kind of checksum used."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.download")
    offset = partial.stat().st_size if partial.exists() else 0
    size = expected["size_bytes"]

    def sink(status: int) -> Capped:
        return Capped(partial.open("ab" if status == 206 else "wb"), size, progress)

    try:
        status, headers, _, _ = Fetcher(None, timeout).fetch(
            url, None, {}, sink=sink, offset=offset, limit=size, seconds=timeout + size / MIN_RATE,
            schemes=("https",))
    except FetchError as error:
        raise AudiogenError(f"{url}: {error.message}; run the same command again to resume it") from None
    if status not in (200, 206, 416):  # 416: nothing left to send, the file is already whole
        raise AudiogenError(f"{url}: {answered(status)}")
    kind = verify(partial, expected, headers, url)
    os.replace(synced(partial), target)
    return kind


class Capped:
    """A download's file, which refuses to grow past the size the collection gives."""

    def __init__(self, file: BinaryIO, size: int, progress: Callable[[int], None]):
        self.file, self.size, self.progress = file, size, progress

    def write(self, data: bytes) -> None:
        if self.file.tell() + len(data) > self.size:
            raise FetchError(f"is larger than the collection says ({self.size:,} bytes)")
        self.file.write(data)
        self.progress(self.file.tell())

    def __enter__(self) -> "Capped":
        return self

    def __exit__(self, *exception) -> None:
        self.file.close()


def verify(path: Path, expected: dict, headers: dict, url: str) -> str:
    """Refuse (and forget) a download whose size or checksum is not the collection's; return
    the kind of checksum it was checked against."""
    given = SHA256.match(str(expected.get("sha256_digest") or headers.get("x-linked-etag") or "").lower())
    kind, wanted = ("SHA-256", given.group(1)) if given else ("MD5", expected.get("md5_digest"))
    if not wanted:
        path.unlink()
        raise AudiogenError(f"{url}: the collection gives no checksum to check it against; it was not installed")
    size, digest = path.stat().st_size, file_digest(path, "sha256" if given else "md5")
    if size != expected["size_bytes"] or digest != wanted:
        path.unlink()
        raise AudiogenError(f"{url}: the download does not match the collection's {kind} "
                            f"({size} bytes, {digest}; expected {expected['size_bytes']} bytes, {wanted}); "
                            "it was not installed")
    return kind


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm, usedforsecurity=False)
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def installed(settings: Settings) -> dict[str, str]:
    """Installed voices by name, with the language each speaks."""
    from .engines.piper import voice_language

    found = {}
    for model in sorted(settings.voices_path.glob("*.onnx")) if settings.voices_path.is_dir() else []:
        try:
            found[model.stem] = voice_language(json.loads(model.with_name(model.name + ".json").read_text()))
        except (OSError, ValueError):
            continue
    return found
