"""`audiogen serve`: the output folder over HTTP, so a phone on the same network can subscribe.

Starlette's StaticFiles does the careful parts (HEAD, byte ranges, no `..`, no
symlink escapes, ETags); this module adds what podcast work needs: the right
content types, 416 for any range it cannot serve, no hidden files, and a show built
without a base URL pointing at the server itself. Such a feed's own addresses (and
nothing else in it, not the articles' text) are rewritten to the address the client
used. The server answers only for its own names (its bound address, localhost, this
machine's addresses, the `--public-url`): a page of another name whose DNS answer points
here (DNS rebinding) gets 421, and a `Host` header cannot make it hand out someone else's
links. Every answer carries a Content-Security-Policy, nosniff and no-referrer. The
show's page gets its subscribe block (QR code, app links) for the same address.
uvicorn runs it.
"""

from __future__ import annotations

import json
import mimetypes
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import layout
from ..errors import AudiogenError
from ..podcast.identity import DEFAULT_BASE_URL
from ..typed import typed
from . import pages as player
from .subscribe import loopback

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
"""Scripts, styles and audio only from the show itself (the QR code is a data: image); no
sniffing of content types; no address of the show sent along when a listener follows a link."""
CONTENT_TYPES = {".mp3": "audio/mpeg", ".xml": "application/xml", ".json": "application/json",
                 ".vtt": "text/vtt", ".srt": "application/x-subrip", ".png": "image/png",
                 ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".html": "text/html",
                 ".epub": "application/epub+zip", ".zip": "application/zip", ".smil": "application/smil+xml",
                 ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
                 ".webmanifest": "application/manifest+json", ".m4b": "audio/mp4"}
URL_ATTRIBUTES = ("url", "href")
URL_ELEMENTS = {"link", "url", "{http://www.itunes.com/dtds/podcast-1.0.dtd}new-feed-url"}

for suffix, kind in CONTENT_TYPES.items():
    mimetypes.add_type(kind, suffix)


class RangeFileResponse(FileResponse):
    """A file response that answers any range it cannot serve, malformed ones included, with 416."""

    @classmethod
    def _parse_range_header(cls, http_range: str, file_size: int):
        from starlette.responses import MalformedRangeHeader, RangeNotSatisfiable

        try:
            return super()._parse_range_header(http_range, file_size)
        except MalformedRangeHeader:
            raise RangeNotSatisfiable(file_size) from None


class OutputFiles(StaticFiles):
    def __init__(self, directory: Path, addresses: "Addresses", listing: bool = False):
        super().__init__(directory=directory, html=True, follow_symlink=False)
        self.addresses = addresses
        self.listing = listing

    def file_response(self, full_path, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        base = self.addresses.base_for(Headers(scope=scope).get("host", ""))
        if Path(full_path).name == layout.FEED:
            return feed_response(Path(full_path), base)
        if Path(full_path).resolve() == (Path(self.directory) / layout.PAGE).resolve():
            return index_response(Path(self.directory), self.addresses.for_other_devices(base))
        response = RangeFileResponse(full_path, status_code=status_code, stat_result=stat_result)
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
        if any(part.startswith(".") for part in Path(path).parts):
            raise HTTPException(status_code=404)  # lock and temporary files, hidden files
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            folder = Path(self.directory) / path
            if error.status_code == 404 and self.listing and self.inside(folder) and folder.is_dir():
                return listing_response(folder, scope["path"])
            raise

    def inside(self, path: Path) -> bool:
        root = Path(self.directory).resolve()
        return path.resolve() == root or root in path.resolve().parents


class Addresses:
    """Where the server can be reached: the names it answers for, and the addresses it may put in
    the feeds it serves."""

    def __init__(self, host: str, port: int, public_url: str = ""):
        names = {"localhost", "127.0.0.1", "[::1]", host if ":" not in host else f"[{host}]"}
        if host in ("0.0.0.0", "::"):
            names |= local_addresses()
        self.hosts = {f"{name}:{port}".lower() for name in names} | ({name.lower() for name in names}
                                                                     if port == 80 else set())
        self.public = public_url.rstrip("/") + "/" if public_url else ""
        self.public_hosts = {urlsplit(public_url).netloc.lower(), (urlsplit(public_url).hostname or "").lower()} \
            if public_url else set()
        shown = lan_address() if host in ("0.0.0.0", "::") else host
        self.default = self.public or f"http://{shown or host}:{port}/"

    def serves(self, host_header: str) -> bool:
        """Whether a request for `host_header` is one for this server (not a page of another
        name that a DNS answer points here)."""
        return host_header.lower() in self.hosts | self.public_hosts

    def base_for(self, host_header: str) -> str:
        """The base URL for a client that asked for `host_header` (one this server answers for)."""
        if host_header.lower() in self.public_hosts:
            return self.public
        return f"http://{host_header}/"

    def for_other_devices(self, base: str) -> str:
        """`base`, or where a phone can reach the server if `base` names this computer itself
        (a helper setting up a listener's phone opens the page on the computer)."""
        return self.default if loopback(urlsplit(base).hostname or "") else base


class Guarded:
    """Every answer with the headers that keep a browser strict about it; a request for a name
    the server does not answer for (DNS rebinding against a server on loopback) refused."""

    def __init__(self, app: ASGIApp, addresses: Addresses):
        self.app, self.addresses = app, addresses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if not self.addresses.serves(Headers(scope=scope).get("host", "")):
            refusal = PlainTextResponse("This server does not answer for that name.\n", status_code=421,
                                        headers=SECURITY_HEADERS)
            return await refusal(scope, receive, send)

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_guarded)


def local_addresses() -> set[str]:
    """This machine's own names and addresses."""
    names = {socket.gethostname(), lan_address() or "127.0.0.1"}
    try:
        names |= set(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return names


def feed_response(path: Path, base: str) -> Response:
    """A feed; one built without a base URL gets `base` in its own addresses."""
    body = path.read_bytes()
    if DEFAULT_BASE_URL.encode() in body:
        body = rewritten(body, base)
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def index_response(output: Path, base: str) -> Response:
    """The show's page; for a show built without a base URL, made again with the subscribe
    block (QR code, app links) for `base`, where this server is reached."""
    page = output / layout.PAGE
    try:
        show = json.loads((output / layout.SHOW).read_text(encoding="utf-8"))
        about = typed(player.About, show["page"])
    except (OSError, ValueError, KeyError, TypeError):
        return FileResponse(page)
    if show.get("base_url"):
        return FileResponse(page)
    manifests = layout.read_manifests(output, lambda path, error: None)
    return HTMLResponse(player.index_page(list(manifests.values()), about, base + layout.FEED))


def rewritten(feed: bytes, base: str) -> bytes:
    """`feed` with DEFAULT_BASE_URL replaced by `base` where the feed gives its own addresses:
    `url` and `href` attributes and `<link>`/`<url>` elements, never in descriptions."""
    from lxml import etree

    root = etree.fromstring(feed, etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter(etree.Element):
        for name in URL_ATTRIBUTES:
            value = element.get(name)
            if value and value.startswith(DEFAULT_BASE_URL):
                element.set(name, base + value[len(DEFAULT_BASE_URL):])
        if element.tag in URL_ELEMENTS and element.text and element.text.startswith(DEFAULT_BASE_URL):
            element.text = base + element.text[len(DEFAULT_BASE_URL):]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def listing_response(folder: Path, url_path: str) -> HTMLResponse:
    names = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in folder.iterdir()
                   if not entry.name.startswith(".") and not entry.is_symlink())
    return HTMLResponse(player.environment().get_template("listing.html").render(path=url_path, names=names))


def lan_address() -> str | None:
    """This machine's address on the local network, for a phone to reach it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks a route
            return probe.getsockname()[0]
        except OSError:
            return None


def make_app(directory: Path, addresses: Addresses, listing: bool = False) -> Starlette:
    """The ASGI app; Starlette turns StaticFiles' exceptions into 404 and 405 responses."""
    return Starlette(routes=[Mount("/", app=OutputFiles(directory, addresses, listing))],
                     middleware=[Middleware(Guarded, addresses=addresses)])


class Server:
    """`audiogen serve`: the socket is bound when this is made, so that a port that is taken is
    one line, and the server only says it is serving once it listens."""

    def __init__(self, directory: Path, host: str, port: int, public_url: str = "", listing: bool = False):
        self.addresses = Addresses(host, port, public_url)
        self.app = make_app(directory, self.addresses, listing)
        self.socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((host, port))
            self.socket.listen(128)
        except OSError as error:
            self.socket.close()
            raise AudiogenError(f"cannot listen on {host}:{port} ({error.strerror}); "
                                "choose another with --port") from None

    @property
    def address(self) -> str:
        return self.addresses.default

    @property
    def feed_url(self) -> str:
        return self.addresses.default + layout.FEED

    def run(self) -> None:
        import uvicorn

        server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", server_header=False))
        server.run(sockets=[self.socket])
