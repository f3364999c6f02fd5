"""Writing output files so that a reader never sees half of one.

Every file is written to a temporary name, flushed to disk, and renamed into
place, which POSIX makes atomic: a build killed at any moment leaves the old file
or the whole new one. A Staging holds a group of such files (one article's) and
renames them all only once every one of them is written, so a full disk halfway
through leaves all the old files as they were. Temporary names carry the writing
process's id and host, so that the next build can tell a dead writer's leftovers
from a live one's; an output folder is locked while a build writes into it.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import AudiogenError

PARTIAL = ".part"
LOCK_FILE = ".audiogen.lock"
HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"
WRITER = re.compile(r"\.(\d+)@([A-Za-z0-9-]+)\.[^.]+\.part$")
ABANDONED_AFTER = 24 * 3600
"""Seconds after which another host's temporary file is taken to be abandoned."""


def temporary_for(path: Path, folder: Path | None = None) -> Path:
    """A new, empty temporary file in `folder` (default: beside `path`), named for this process."""
    folder = folder or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name[:80]}.{os.getpid()}@{HOST}.",
                                         suffix=PARTIAL)
    os.close(handle)
    os.chmod(temporary, 0o644)
    return Path(temporary)


def synced(path: Path) -> Path:
    """`path` with its data on disk, so that a crash after the rename cannot leave it empty."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
    return path


@contextmanager
def atomic_path(path: Path, scratch: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path (in `scratch`, else beside `path`); on success rename it over `path`."""
    temporary = temporary_for(path, scratch)
    try:
        yield temporary
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(synced(temporary), path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def unchanged(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def write_bytes(path: Path, data: bytes, scratch: Path | None = None) -> None:
    """Write `data` to `path` atomically, unless it already holds exactly that
    (unchanged files keep their modification time)."""
    if not unchanged(path, data):
        with atomic_path(path, scratch) as temporary:
            temporary.write_bytes(data)


def remove_partial_files(folder: Path) -> None:
    """Temporary files that writers which are no longer running left anywhere in `folder`."""
    if not folder.is_dir():
        return
    for path in folder.rglob(f".*{PARTIAL}"):
        if abandoned(path):
            path.unlink(missing_ok=True)


def abandoned(path: Path) -> bool:
    """Whether the process that was writing `path` has stopped."""
    writer = WRITER.search(path.name)
    if writer is None or writer.group(2) != HOST:
        try:
            return time.time() - path.stat().st_mtime > ABANDONED_AFTER
        except OSError:
            return False
    return not running(int(writer.group(1)))


def running(process: int) -> bool:
    try:
        os.kill(process, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, and another user's
    return True


class Staging:
    """New versions of a group of files, renamed into place together by `commit`."""

    def __init__(self) -> None:
        self.renames: list[tuple[Path, Path]] = []

    def path(self, final: Path) -> Path:
        """A temporary path that becomes `final` on commit."""
        temporary = temporary_for(final)
        self.renames.append((temporary, final))
        return temporary

    def write_bytes(self, final: Path, data: bytes) -> None:
        if not unchanged(final, data):
            self.path(final).write_bytes(data)

    def write_text(self, final: Path, text: str) -> None:
        self.write_bytes(final, text.encode("utf-8"))

    def commit(self) -> None:
        for temporary, _ in self.renames:
            synced(temporary)
        with uninterrupted():
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


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl+C until the block is done, so that a group of renames is never cut in half."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold `folder` for one build at a time; a second build is refused with one line."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_FILE).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AudiogenError(f"{folder}: another build is writing here; "
                                "run this one when it has finished") from None
        yield
