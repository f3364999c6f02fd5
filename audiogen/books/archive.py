"""Zip files of talking books, written as a stream and the same bytes for the same book."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from ..cache import key

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every zip entry's time: an unchanged book gives the same bytes."""

def fingerprint(entries: list[tuple[str, object]]) -> str:
    """Equal for two books whose files would be equal, without reading their audio."""
    return key([(name, entry.hex() if isinstance(entry, bytes) else
                 [entry.tag.hex(), [part.name for part in entry.parts]]) for name, entry in entries])


def write_zip(entries: list[tuple[str, object]], out: BinaryIO) -> None:
    """`entries` as a zip: text compressed, audio (and EPUB's `mimetype`) stored; nothing from the clock."""
    with zipfile.ZipFile(out, "w") as archive:
        for name, entry in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.external_attr = 0o644 << 16
            if isinstance(entry, bytes):
                info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                archive.writestr(info, entry)
            else:
                info.file_size = entry.size
                with archive.open(info, "w") as destination:
                    entry.copy_to(destination)


