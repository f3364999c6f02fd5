"""A content-addressed store of synthesised speech and encoded sections.

A file's name is the hash of everything that made it (engine, voice, settings,
text), so a changed sentence gets a new entry and unchanged ones are reused.
Entries are written in `tmp/` and renamed into place, so they appear whole or not
at all, and a killed build's leftovers are all in one folder for the next to sweep.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import atomic_path, remove_partial_files, temporary_for, write_bytes


def key(*parts: Any) -> str:
    """A stable hash of JSON-serialisable `parts`."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Cache:
    root: Path

    @property
    def scratch(self) -> Path:
        return self.root / "tmp"

    def path(self, kind: str, entry: str, suffix: str) -> Path:
        return self.root / kind / entry[:2] / f"{entry}{suffix}"

    def find(self, kind: str, entry: str, suffix: str) -> Path | None:
        path = self.path(kind, entry, suffix)
        return path if path.is_file() else None

    def store(self, kind: str, entry: str, suffix: str, data: bytes) -> Path:
        path = self.path(kind, entry, suffix)
        write_bytes(path, data, self.scratch)
        return path

    def slot(self, kind: str, entry: str, suffix: str):
        """A temporary path to write an entry into; it appears whole or not at all."""
        return atomic_path(self.path(kind, entry, suffix), self.scratch)

    def scratch_file(self, name: str) -> Path:
        """A temporary file for work in progress, removed by `sweep` if its writer dies."""
        return temporary_for(Path(name), self.scratch)

    def sweep(self) -> None:
        """Remove what builds that are no longer running left half-written."""
        remove_partial_files(self.scratch)

    def usage(self) -> tuple[int, int]:
        """How many files the cache holds and how many bytes they take."""
        files = [path for path in self.root.rglob("*") if path.is_file()] if self.root.is_dir() else []
        return len(files), sum(path.stat().st_size for path in files)

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
