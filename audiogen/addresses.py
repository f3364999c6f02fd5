"""What a web address is, decided once: sources, settings, links and the server all ask here."""

from __future__ import annotations

from urllib.parse import urlsplit

SCHEMES = ("http", "https")


def is_address(text: str) -> bool:
    """Whether `text` is an http or https address with a host (what audiogen fetches and links to)."""
    parts = urlsplit(text)
    return parts.scheme in SCHEMES and bool(parts.hostname) and not any(character.isspace() for character in text)


def is_url(text: str) -> bool:
    """Whether `text` is written as an address of any scheme (`s3://...`, `ftp://...`), not a path."""
    return "://" in text


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of `url`, the port filled in."""
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)
