"""Writing output files so that a reader never sees half of one."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it over `path`.

    The rename is atomic on POSIX, so `path` holds either the old file or the
    whole new one, whatever happens to the process in between.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically, unless it already holds exactly that.

    Returns whether the file changed; unchanged files keep their modification time.
    """
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
    return True


def write_text(path: Path, text: str) -> bool:
    """Write UTF-8 `text` to `path` atomically, unless it already holds exactly that."""
    return write_bytes(path, text.encode("utf-8"))
