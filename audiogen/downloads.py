"""Piper voices from the public collection (or a mirror of it), for producers who are online.

The collection's `voices.json` lists each voice's files with their size and MD5. A voice
is its model and its configuration, downloaded into the voices folder under its name
(`es_ES-davefx-medium.onnx` and `.onnx.json`), each checked against its size and MD5
before it is put in place. A download cut short is kept (`.NAME.download`) and the next
attempt asks only for the rest (an HTTP range request).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from . import __version__
from .config import Settings
from .errors import AudiogenError
from .files import synced

PARTS = (".onnx", ".onnx.json")
CHUNK = 1 << 16
Progress = Callable[[int, int], None]
"""Told the bytes done so far and the bytes in all, as a download goes."""


def session():
    import requests

    session = requests.Session()
    session.headers["User-Agent"] = f"audiogen/{__version__}"
    return session


def catalogue(settings: Settings) -> dict:
    """The collection's voices.json: every voice by name."""
    import requests

    url = settings.voices_url.rstrip("/") + "/voices.json"
    try:
        answer = session().get(url, timeout=settings.timeout)
    except requests.exceptions.RequestException as error:
        raise AudiogenError(f"{url}: cannot be reached ({type(error).__name__}); voices install needs the network") from None
    if answer.status_code != 200:
        raise AudiogenError(f"{url}: the server answered {answer.status_code} {answer.reason}")
    try:
        return answer.json()
    except ValueError:
        raise AudiogenError(f"{url}: is not the voices collection's voices.json") from None


def install(name: str, settings: Settings, progress: Progress = lambda done, total: None) -> Path:
    """Download the voice `name` into the voices folder; return its model file."""
    voices = catalogue(settings)
    if name not in voices:
        near = sorted(voice for voice in voices if voice.split("-")[0] == name.split("-")[0])[:5]
        raise AudiogenError(f"the collection has no voice named '{name}'"
                            + (f" (for that language: {', '.join(near)})" if near else ""))
    files = {path: info for path, info in voices[name].get("files", {}).items() if path.endswith(PARTS)}
    total = sum(info.get("size_bytes", 0) for info in files.values())
    done = 0
    for path, info in sorted(files.items()):
        suffix = ".onnx.json" if path.endswith(".onnx.json") else ".onnx"
        target = settings.voices_path / f"{name}{suffix}"
        url = settings.voices_url.rstrip("/") + "/" + path
        download(url, target, info, settings.timeout, lambda part: progress(done + part, total))
        done += info.get("size_bytes", 0)
    return settings.voices_path / f"{name}.onnx"


def download(url: str, target: Path, expected: dict, timeout: float, progress: Callable[[int], None]) -> None:
    """`url` into `target`, resuming a download left unfinished, checked against `expected`'s
    `size_bytes` and `md5_digest`."""
    import requests

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.download")
    offset = partial.stat().st_size if partial.exists() else 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    try:
        with session().get(url, headers=headers, stream=True, timeout=timeout) as answer:
            if answer.status_code == 416:  # nothing left to send: the file is already whole
                pass
            elif answer.status_code not in (200, 206):
                raise AudiogenError(f"{url}: the server answered {answer.status_code} {answer.reason}")
            else:
                append = answer.status_code == 206
                with partial.open("ab" if append else "wb") as out:
                    written = offset if append else 0
                    for chunk in answer.iter_content(CHUNK):
                        out.write(chunk)
                        written += len(chunk)
                        progress(written)
    except requests.exceptions.RequestException as error:
        raise AudiogenError(f"{url}: the download broke off ({type(error).__name__}); "
                            "run the same command again to resume it") from None
    verify(partial, expected, url)
    os.replace(synced(partial), target)


def verify(path: Path, expected: dict, url: str) -> None:
    """Refuse (and forget) a download whose size or MD5 is not the collection's."""
    size, digest = path.stat().st_size, md5(path)
    wanted_size, wanted_digest = expected.get("size_bytes"), expected.get("md5_digest")
    if (wanted_size is not None and size != wanted_size) or (wanted_digest and digest != wanted_digest):
        path.unlink()
        raise AudiogenError(f"{url}: the download does not match the collection's checksum "
                            f"({size} bytes, MD5 {digest}; expected {wanted_size} bytes, MD5 {wanted_digest}); "
                            "it was not installed")


def md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
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
