"""The web player as an app a phone can install and use with no network.

`manifest.webmanifest` names the show and gives the cover as its icon; `sw.js`, the service
worker, keeps the player's shell on the device when it is installed and answers from the
episodes the listener chose to keep (see `templates/sw.js`). Its version is the shell's
content, so a build that changes the player makes browsers update it.
"""

from __future__ import annotations

import hashlib
import json

from ..cache import key
from ..config import Settings
from ..podcast.cover import Cover, icon
from . import pages as player

ICON_SIZES = (192, 512)
"""The sizes browsers ask an installable app's icons in."""
BACKGROUND_COLOR = "#ffffff"


def files(settings: Settings, cover: Cover) -> dict[str, bytes]:
    """The app's files by name, in the output folder's root, the player's assets among them."""
    shell = {name: player.asset(name) for name in player.ASSETS}
    shell.update({f"icon-{size}.png": icon(cover.data, size) for size in ICON_SIZES})
    shell[cover.name] = cover.data
    shell["manifest.webmanifest"] = web_manifest(settings)
    version = key(sorted((name, hashlib.sha256(content).hexdigest()) for name, content in shell.items()))
    worker = player.environment().get_template("sw.js").render(
        shell=["./", "index.html", *sorted(shell)], version=version[:16])
    return {**shell, "sw.js": worker.encode()}


def web_manifest(settings: Settings) -> bytes:
    manifest = {
        "name": settings.title,
        "description": settings.description,
        "lang": settings.language,
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": player.THEME_COLOR,
        "icons": [{"src": f"icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
                  for size in ICON_SIZES],
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
