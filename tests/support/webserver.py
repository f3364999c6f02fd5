"""A real HTTP (or HTTPS) server on loopback for the tests: pages and feeds written for them,
with the behaviours of real servers (ETag and 304, redirects, errors, gzip, slowness,
Retry-After) and of hostile ones (bytes one at a time, headers that never end). It logs every
request it is sent, which is how a test proves that an address was never asked."""

from __future__ import annotations

import gzip
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    etag: str = ""
    """When set, a request with a matching If-None-Match gets 304."""
    gzip: bool = False
    delay: float = 0.0
    """Seconds before answering."""
    drip: float = 0.0
    """Send the body one byte every this many seconds."""
    drip_headers: float = 0.0
    """Send the headers one byte every this many seconds."""
    failures: list = field(default_factory=list)
    """Statuses (with Retry-After: 1) answered before the real answer, one per request."""
    ranges: bool = False
    """Answer `Range: bytes=N-` with 206 and the rest of the body."""
    cut_after: int = 0
    """Send this many bytes of the body, once, then drop the connection."""


class Site:
    def __init__(self, tls: "Authority | None" = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        self.closing = threading.Event()
        """Set when the site closes, so that no slow answer outlives it."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the name http.server calls)
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                if route is None:
                    return self.answer(404, b"not here", "text/plain")
                if site.closing.wait(route.delay):
                    return
                if route.failures:
                    return self.answer(route.failures.pop(0), b"busy", "text/plain", {"Retry-After": "1"})
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return self.answer(304, b"", None, {"ETag": route.etag})
                body = gzip.compress(route.body) if route.gzip else route.body
                headers = {**route.headers, **({"ETag": route.etag} if route.etag else {}),
                           **({"Content-Encoding": "gzip"} if route.gzip else {})}
                wanted = self.headers.get("Range", "")
                if route.ranges and wanted.startswith("bytes="):
                    start = int(wanted[6:].split("-")[0])
                    headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
                    return self.answer(206, body[start:], route.content_type, headers)
                if route.cut_after:
                    cut, route.cut_after = route.cut_after, 0
                    return self.answer(route.status, body, route.content_type, headers, send=cut)
                if route.drip or route.drip_headers:
                    return self.drip(route, body, headers)
                self.answer(route.status, body, route.content_type, headers)

            def answer(self, status, body, content_type, headers=None, send=None):
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body if send is None else body[:send])
                except OSError:
                    pass
                if send is not None:
                    self.close_connection = True

            def drip(self, route, body, headers):
                """The answer a byte at a time: the headers (if `drip_headers`), then the body."""
                head = (f"HTTP/1.1 {route.status} OK\r\nContent-Type: {route.content_type}\r\n"
                        f"Content-Length: {len(body)}\r\n"
                        + "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n").encode()
                self.close_connection = True
                try:
                    for pause, data in ((route.drip_headers, head), (route.drip, body)):
                        for index in range(len(data)):
                            if pause and site.closing.wait(pause):
                                return
                            self.wfile.write(data[index:index + 1])
                            self.wfile.flush()
                except OSError:
                    pass

            def log_message(self, *arguments):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls:
            self.server.socket = tls.server_context().wrap_socket(self.server.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.server.server_address[1]}"
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path: str, **route) -> str:
        self.routes[path] = Route(**route)
        return self.url + path

    def requested(self, path: str) -> list[dict]:
        return [headers for requested, headers in self.requests if requested == path]

    def close(self) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


class Authority:
    """A certificate authority of the tests' own (trustme) and a certificate it signed for
    127.0.0.1: HTTPS on loopback that audiogen trusts once SSL_CERT_FILE names `ca_file`."""

    def __init__(self, folder: Path):
        import trustme

        self.ca = trustme.CA()
        self.certificate = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = folder / "test-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.certificate.configure_cert(context)
        return context


def page(title: str, paragraphs: list[str], canonical: str = "", extra_head: str = "") -> bytes:
    """A web page with a site around its article."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Example News</title>
{link}<meta name="author" content="Sam Reporter"><meta property="article:published_time" content="2024-05-06T07:08:09Z">
{extra_head}</head><body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<main><article><h1>{title}</h1>{body}</article></main>
<footer><p>Copyright Example News. All rights reserved.</p></footer></body></html>""".encode()


def rss(items: list[dict], full: bool) -> bytes:
    """An RSS 2.0 feed; `full` puts each article's whole text in content:encoded."""
    entries = []
    for item in items:
        content = f"<content:encoded><![CDATA[{item['html']}]]></content:encoded>" if full else ""
        title = f"<title>{item['title']}</title>" if item.get("title") else ""
        entries.append(f"""<item>{title}<link>{item['link']}</link>
<guid isPermaLink="false">{item['id']}</guid><pubDate>{item['date']}</pubDate>
<author>{item.get('author', 'writer@example.org (Kim Writer)')}</author>
<description>{item['summary']}</description>{content}</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example News</title><link>http://example.org/</link><description>News.</description>
<language>en-gb</language>{''.join(entries)}</channel></rss>""".encode()
