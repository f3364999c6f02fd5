"""A content-addressed store of synthesised speech and encoded sections.

A file's name is the hash of everything that made it (engine, voice, settings,
text), so a changed sentence gets a new entry and unchanged ones are reused.
Entries are written in `tmp/` and renamed into place, so they appear whole or not
at all, and a killed build's leftovers are all in one folder for the next to sweep.

A cluster's machines can share entries through a store that fsspec reaches (`shared`:
`s3://bucket/prefix`, `gs://...`, `file:///mnt/...`): what one machine makes, it
uploads; what another looks for and lacks, it downloads into its own cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from .errors import AudiogenError
from .files import HOST, PARTIAL, atomic_path, remove_partial_files, temporary_for, write_bytes

KINDS = ("speech", "audio", "web", "builds")
"""The kinds of entry audiogen keeps, each in a folder of its own (builds: what the last build
into an output folder was made from, unchanged.py)."""
ENTRY = re.compile(r"^[0-9a-f]{64}\.[a-z0-9.]+$")
TAG = "CACHEDIR.TAG"
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by audiogen.\n"
            "# For information about cache directory tags see https://bford.info/cachedir/\n")
"""Marks the folder as a cache (backup tools skip it) and as audiogen's (`audiogen clean` needs it)."""


def key(*parts: Any) -> str:
    """A stable hash of JSON-serialisable `parts`."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Cache:
    root: Path
    shared: str = ""
    """The fsspec URL of a store that a cluster's machines share; empty for none."""

    @classmethod
    def of(cls, settings) -> "Cache":
        return cls(settings.cache_path, settings.shared_cache)

    @property
    def scratch(self) -> Path:
        """Where work in progress is written; creating it marks the cache as audiogen's."""
        tag = self.root / TAG
        if not tag.is_file():
            write_bytes(tag, TAG_TEXT.encode())
        return self.root / "tmp"

    def path(self, kind: str, entry: str, suffix: str) -> Path:
        return self.root / kind / entry[:2] / f"{entry}{suffix}"

    def find(self, kind: str, entry: str, suffix: str) -> Path | None:
        path = self.path(kind, entry, suffix)
        if path.is_file() or (self.shared and self.download(path)):
            return path
        return None

    def store(self, kind: str, entry: str, suffix: str, data: bytes, share: bool = True) -> Path:
        """Keep an entry; `share=False` when the machine that made it has shared it already."""
        path = self.path(kind, entry, suffix)
        write_bytes(path, data, self.scratch)
        if share:
            self.upload(path)
        return path

    @contextmanager
    def slot(self, kind: str, entry: str, suffix: str) -> Iterator[Path]:
        """A temporary path to write an entry into; it appears whole or not at all."""
        path = self.path(kind, entry, suffix)
        with atomic_path(path, self.scratch) as temporary:
            yield temporary
        self.upload(path)

    def shared_address(self, path: Path) -> str:
        return f"{self.shared.rstrip('/')}/{path.relative_to(self.root).as_posix()}"

    def upload(self, path: Path) -> None:
        """Put an entry in the shared store: under a temporary name, then moved, so that no
        machine ever reads half of it."""
        if not self.shared:
            return
        store, address = shared_store(self.shared), self.shared_address(path)
        temporary = f"{address}.{os.getpid()}@{HOST}.part"
        try:
            store.makedirs(address.rsplit("/", 1)[0], exist_ok=True)
            store.put_file(str(path), temporary)
            store.mv(temporary, address)
        except OSError as error:
            raise AudiogenError(f"{self.shared}: cannot write to the shared cache ({error})") from None

    def download(self, path: Path) -> bool:
        """Copy an entry from the shared store, if it has it."""
        store, address = shared_store(self.shared), self.shared_address(path)
        try:
            with atomic_path(path, self.scratch) as temporary:
                store.get_file(address, str(temporary))
        except FileNotFoundError:
            return False
        except OSError as error:
            raise AudiogenError(f"{self.shared}: cannot read the shared cache ({error})") from None
        return True

    def scratch_file(self, name: str) -> Path:
        """A temporary file for work in progress, removed by `sweep` if its writer dies."""
        return temporary_for(Path(name), self.scratch)

    def sweep(self) -> None:
        """Remove what builds that are no longer running left half-written."""
        remove_partial_files(self.scratch)

    def entries(self) -> list[Path]:
        """Every file audiogen wrote here: entries named by their hash, and work in progress."""
        if not (self.root / TAG).is_file():
            return []
        found = [path for kind in KINDS for path in (self.root / kind).glob("??/*") if ENTRY.match(path.name)]
        return found + [path for path in (self.root / "tmp").glob(f".*{PARTIAL}") if path.is_file()]

    def usage(self) -> tuple[int, int]:
        """How many files the cache holds and how many bytes they take."""
        files = self.entries()
        return len(files), sum(path.stat().st_size for path in files)

    def clear(self) -> None:
        """Remove every file audiogen wrote here, and nothing else: the cache's folder may be one
        the producer chose (`cache_dir`), with their own files in it."""
        if not (self.root / TAG).is_file():
            raise AudiogenError(f"{self.root}: not cleaned, as it has no {TAG} (audiogen marks its cache with "
                                "one; an older audiogen's cache can be removed by hand)")
        for path in self.entries():
            path.unlink(missing_ok=True)
        for folder in [*(self.root / kind for kind in KINDS), self.root / "tmp"]:
            for sub in [*folder.glob("??"), folder] if folder.is_dir() else []:
                with contextlib.suppress(OSError):
                    sub.rmdir()  # only when empty


@lru_cache(maxsize=4)
def shared_store(url: str):
    """The fsspec file system behind `url` (one per process)."""
    try:
        import fsspec

        return fsspec.core.url_to_fs(url)[0]
    except ImportError as error:
        raise AudiogenError(f"cache_dir {url!r}: a shared cache needs fsspec and its backend for that "
                            f"address ({error.name or error}): pip install 'audiogen[cluster]'") from None
    except ValueError as error:
        raise AudiogenError(f"cache_dir {url!r}: not an address fsspec knows ({error})") from None
