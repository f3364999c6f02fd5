"""A content-addressed store of synthesised speech and encoded sections.

A file's name is the hash of everything that made it (engine, voice, settings,
text), so a changed sentence gets a new entry and unchanged ones are reused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import atomic_path, write_bytes


def key(*parts: Any) -> str:
    """A stable hash of JSON-serialisable `parts`."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Cache:
    root: Path

    def path(self, kind: str, entry: str, suffix: str) -> Path:
        return self.root / kind / entry[:2] / f"{entry}{suffix}"

    def find(self, kind: str, entry: str, suffix: str) -> Path | None:
        path = self.path(kind, entry, suffix)
        return path if path.is_file() else None

    def store(self, kind: str, entry: str, suffix: str, data: bytes) -> Path:
        path = self.path(kind, entry, suffix)
        write_bytes(path, data)
        return path

    def slot(self, kind: str, entry: str, suffix: str):
        """A temporary path to write an entry into; it appears whole or not at all."""
        return atomic_path(self.path(kind, entry, suffix))

    def usage(self) -> tuple[int, int]:
        """How many files the cache holds and how many bytes they take."""
        files = [path for path in self.root.rglob("*") if path.is_file()] if self.root.is_dir() else []
        return len(files), sum(path.stat().st_size for path in files)

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
