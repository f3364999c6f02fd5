"""Writing output files so that a reader never sees half of one.

Every file is written to a temporary name beside it and renamed into place,
which POSIX makes atomic: a build killed at any moment leaves the old file or
the whole new one. A Staging holds a group of such files (one article's) and
renames them all only once every one of them is written, so a full disk halfway
through leaves all the old files as they were.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PARTIAL = ".part"


def temporary_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PARTIAL)
    os.close(handle)
    os.chmod(temporary, 0o644)
    return Path(temporary)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it over `path`."""
    temporary = temporary_beside(path)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def unchanged(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, unless it already holds exactly that
    (unchanged files keep their modification time)."""
    if not unchanged(path, data):
        with atomic_path(path) as temporary:
            temporary.write_bytes(data)


def remove_partial_files(folder: Path) -> None:
    """Temporary files a killed build left behind."""
    for path in folder.glob(f".*{PARTIAL}"):
        path.unlink(missing_ok=True)


class Staging:
    """New versions of a group of files, renamed into place together by `commit`."""

    def __init__(self) -> None:
        self.renames: list[tuple[Path, Path]] = []

    def path(self, final: Path) -> Path:
        """A temporary path that becomes `final` on commit."""
        temporary = temporary_beside(final)
        self.renames.append((temporary, final))
        return temporary

    def write_bytes(self, final: Path, data: bytes) -> None:
        if not unchanged(final, data):
            self.path(final).write_bytes(data)

    def write_text(self, final: Path, text: str) -> None:
        self.write_bytes(final, text.encode("utf-8"))

    def commit(self) -> None:
        for temporary, final in self.renames:
            os.replace(temporary, final)
        self.renames.clear()

    def discard(self) -> None:
        for temporary, _ in self.renames:
            temporary.unlink(missing_ok=True)
        self.renames.clear()


@contextmanager
def staged() -> Iterator[Staging]:
    """A Staging committed if the block succeeds and discarded if it fails."""
    staging = Staging()
    try:
        yield staging
    except BaseException:
        staging.discard()
        raise
    staging.commit()
