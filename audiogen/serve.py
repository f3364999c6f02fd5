"""`audiogen serve`: the output folder over HTTP, so a phone on the same network can subscribe.

Starlette's StaticFiles does the careful parts (HEAD, byte ranges, no `..`, no
symlink escapes, ETags); this module adds what podcast work needs: the right
content types, 416 for any range it cannot serve, and feeds built without a
base URL pointing at the server itself. uvicorn runs it.
"""

from __future__ import annotations

import html
import mimetypes
import os
import re
import socket
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

from .errors import AudiogenError
from .feed import DEFAULT_BASE_URL

CONTENT_TYPES = {".mp3": "audio/mpeg", ".xml": "application/xml", ".json": "application/json",
                 ".vtt": "text/vtt", ".srt": "application/x-subrip", ".png": "image/png",
                 ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".html": "text/html"}
SAFE_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")

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
    def __init__(self, directory: Path, listing: bool = False):
        super().__init__(directory=directory, html=True, follow_symlink=False)
        self.listing = listing

    def file_response(self, full_path, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        if Path(full_path).name == "feed.xml":
            return feed_response(Path(full_path), scope)
        response = RangeFileResponse(full_path, status_code=status_code, stat_result=stat_result)
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
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


def feed_response(path: Path, scope: Scope) -> Response:
    """A feed; one built without a base URL gets this server's address, as the client reached it."""
    body = path.read_bytes()
    host = Headers(scope=scope).get("host", "")
    if SAFE_HOST.match(host):
        body = body.replace(DEFAULT_BASE_URL.encode(), f"http://{host}/".encode())
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def listing_response(folder: Path, url_path: str) -> HTMLResponse:
    names = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in folder.iterdir()
                   if not entry.name.startswith(".") and not entry.is_symlink())
    items = "".join(f'<li><a href="{html.escape(name)}">{html.escape(name)}</a></li>' for name in names)
    title = html.escape(url_path)
    return HTMLResponse(f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>{title}</title>'
                        f"<h1>{title}</h1><ul>{items}</ul></html>")


def check_port(host: str, port: int) -> None:
    """Fail with one clear line, before uvicorn logs its own, if the port is taken."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn will
        try:
            probe.bind((host, port))
        except OSError as error:
            raise AudiogenError(f"cannot listen on {host}:{port} ({error.strerror}); "
                                "choose another with --port") from None


def lan_address() -> str | None:
    """This machine's address on the local network, for a phone to reach it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks a route
            return probe.getsockname()[0]
        except OSError:
            return None


def make_app(directory: Path, listing: bool = False) -> Starlette:
    """The ASGI app; Starlette turns StaticFiles' exceptions into 404 and 405 responses."""
    return Starlette(routes=[Mount("/", app=OutputFiles(directory, listing))])


def serve(directory: Path, host: str, port: int, listing: bool = False) -> None:
    import uvicorn

    check_port(host, port)
    uvicorn.run(make_app(directory, listing), host=host, port=port, log_level="warning",
                server_header=False)
