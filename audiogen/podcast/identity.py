"""A show's addresses and identities: the base URL its files are published under, and the
guids podcast apps and indexes know its show and episodes by, which never change."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from ..config import Settings
from ..model import Manifest

GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
DEFAULT_BASE_URL = "http://localhost:8000/"
"""Used when no base URL is set; `audiogen serve` swaps in its own address."""


def base_url(settings: Settings) -> str:
    url = settings.base_url or DEFAULT_BASE_URL
    return url if url.endswith("/") else url + "/"


def podcast_guid(feed_url: str) -> str:
    """The Podcasting 2.0 GUID: UUIDv5 of the feed URL without scheme and trailing slash."""
    parts = urlsplit(feed_url)
    return str(uuid.uuid5(GUID_NAMESPACE, (parts.netloc + parts.path + (
        "?" + parts.query if parts.query else "")).rstrip("/")))


def legacy_guid(name: str) -> str:
    """The guid audiogen 0.1 gave an episode (from its slug alone), kept for its subscribers."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"audiogen:{name}"))


def episode_guid(manifest: Manifest) -> str:
    return manifest.guid or legacy_guid(manifest.slug)


def section_guid(manifest: Manifest, file: str) -> str:
    if not manifest.guid:
        return legacy_guid(f"{manifest.slug}/{file}")
    return str(uuid.uuid5(uuid.UUID(manifest.guid), file))
