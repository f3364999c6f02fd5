"""One-tap subscribe: the show's feed address as a QR code (made by segno), as text, and as
links that open it in the podcast apps that have a URL scheme for it.

A build without a base URL does not know the show's address yet: its index page says so,
and `audiogen serve` puts this block in with the address the phone reached it at.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import segno

from .interface import N_


@dataclass(frozen=True)
class App:
    name: str
    devices: str
    """Where it runs: a message for the catalogues (interface.py), translated on the page."""
    link: str
    """The app's subscribe link, `{address}` standing for the feed's address without its scheme
    and `{quoted}` for the whole address percent-encoded."""


APPS = (
    App("Apple Podcasts", N_("iPhone, iPad and Mac"), "podcast://{address}"),
    App("Overcast", N_("iPhone and iPad"), "overcast://x-callback-url/add?url={quoted}"),
    App("Pocket Casts", N_("iPhone and Android"), "pktc://subscribe/{address}"),
    App("AntennaPod", N_("Android"), "https://antennapod.org/deeplink/subscribe?url={quoted}"),
    App("Podcast Addict", N_("Android"), "podcastaddict://{address}"),
    App("gPodder", N_("and other apps that open pcast links"), "pcast://{address}"),
)


@dataclass(frozen=True)
class Subscription:
    feed_url: str
    qr_code: str
    """The feed's address as a QR code: an SVG data URI, dark on light at any colour scheme."""
    apps: tuple[tuple[App, str], ...]
    """Each app with its link to this feed."""
    local_only: bool
    """Whether the address names this computer itself, which a phone cannot reach."""


def subscription(feed_url: str) -> Subscription:
    address = feed_url.split("://", 1)[-1]
    quoted = quote(feed_url, safe="")
    # Error correction M survives a smudged or glaring phone screen; four modules of quiet zone
    # is what the standard asks for around the code.
    code = segno.make_qr(feed_url, error="m", boost_error=False)
    return Subscription(feed_url, code.svg_data_uri(scale=5, border=4, dark="#000", light="#fff"),
                        tuple((app, app.link.format(address=address, quoted=quoted)) for app in APPS),
                        loopback(urlsplit(feed_url).hostname or ""))


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
