"""Fetching pages, feeds and voices from the web: safely, cheaply and politely.

Who chose an address decides how far it is trusted. An address the producer named (on
the command line, in `sources`, in audiogen.toml) is fetched wherever it is. An address
learned from what a server sent (a feed entry's link, a redirect) is fetched only if
every address its name resolves to is public, or if it is on the producer's address's own
origin (scheme, host and port): a feed cannot send audiogen into the producer's network
(a router, a cloud metadata service, a Dask dashboard). The connection goes to the very
address that was checked, so a second DNS answer cannot swap it. A refusal says why in
words that tell nothing of the target (open or closed ports look the same).
`allow_private_addresses` turns the check off, for intranets.

Each request has one deadline for connecting, the headers and the whole body, however
slowly the bytes come; past it the connection is cut. At most five redirects (each hop
checked), a size limit on what arrives and on what it inflates to, `Retry-After` honoured
for 429 and 503, a User-Agent that names audiogen. Responses are kept in the cache with
their ETag and Last-Modified, so that a rebuild asks "has it changed?" and a 304 costs
nothing. A build's sources are fetched a few at a time, at most two to a host, so that
one slow server delays only its own articles.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
import zlib
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import BinaryIO, Callable
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..addresses import SCHEMES, is_address, origin
from ..cache import Cache, key
from ..errors import AudiogenError

USER_AGENT = f"audiogen/{__version__} (narrates articles for listeners; +https://pypi.org/project/audiogen/)"
MAX_BYTES = 20_000_000
MAX_REDIRECTS = 5
RETRIES = 2
LONGEST_WAIT = 60.0
"""A server asking to retry later than this (seconds) fails the request instead."""
CHUNK = 65536
CONNECTIONS = 6
"""Requests under way at once in a build, and at most PER_HOST of them to one host."""
PER_HOST = 2
MAX_HEADER_BYTES = 65536

Sink = Callable[[int], BinaryIO]
"""Opens the file a body is written to, given the answer's status (206: the rest of a file)."""


class FetchError(AudiogenError):
    """A page, feed or file could not be had; the message says why, in a few words."""


@dataclass(frozen=True)
class Response:
    url: str
    """The address after redirects."""
    content_type: str
    """The media type, lowercase, without parameters."""
    charset: str | None
    body: bytes
    last_modified: str
    """The server's Last-Modified (an HTTP date), if it sent one."""


def public(address: str) -> bool:
    """Whether an IP address is on the public internet: not loopback, private, link-local,
    shared (CGNAT), multicast, reserved or unspecified, nor an IPv4 one of those in IPv6 form."""
    found = ipaddress.ip_address(address.split("%")[0])
    if isinstance(found, ipaddress.IPv6Address) and (found.ipv4_mapped or found.sixtofour or found.teredo):
        return public(str(found.ipv4_mapped or found.sixtofour or found.teredo[1]))
    return found.is_global and not found.is_multicast


class Deadline:
    """A request's one limit on time: the connection it guards is cut when it passes."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.passed = threading.Event()

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.missed()
        return left

    def missed(self) -> FetchError:
        return FetchError(f"took longer than {self.seconds:g} s to arrive")

    def guard(self, connection: http.client.HTTPConnection) -> threading.Timer:
        def cut() -> None:
            self.passed.set()
            if connection.sock is not None:
                try:
                    connection.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(self.left(), cut)
        timer.daemon = True
        timer.start()
        return timer


class PinnedConnection(http.client.HTTPConnection):
    """HTTP to `host`, connected to the one address that was checked for it."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedTLSConnection(PinnedConnection):
    """HTTPS to `host` (its certificate checked for that name), at the checked address."""

    default_port = 443

    def connect(self) -> None:
        super().connect()
        self.sock = tls_context().wrap_socket(self.sock, server_hostname=self.host)


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


class Fetcher:
    """The web as a build (or `voices install`) reaches it."""

    def __init__(self, cache: Cache | None, timeout: float = 30.0, allow_private: bool = False):
        self.cache = cache
        self.timeout = timeout
        self.allow_private = allow_private
        self.pool = ThreadPoolExecutor(max_workers=CONNECTIONS, thread_name_prefix="fetch")
        self.hosts: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(PER_HOST))
        self.lock = threading.Lock()
        self.requests = 0
        self.unchanged = 0
        """Conditional requests answered 304 Not Modified."""

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exception) -> None:
        self.close()

    def soon(self, url: str, named_by: str | None = None) -> Future:
        """`get(url, named_by)`, started in the background (at most PER_HOST at once to a host)."""
        return self.pool.submit(self.get, url, named_by)

    def get(self, url: str, named_by: str | None = None) -> Response:
        """The resource at `url`, from the server or (when it says it has not changed) the cache.
        `named_by` is the producer's address whose document gave `url`; None when the producer
        named `url` itself."""
        if not is_address(url):
            raise FetchError("only http and https addresses can be read")
        entry = key("web", url)
        kept = self.kept(entry)
        for attempt in range(RETRIES + 1):
            status, headers, final, body = self.fetch(url, named_by, kept[0] if kept else {})
            if status not in (429, 503) or attempt == RETRIES:
                break
            time.sleep(retry_after(headers))
        if status == 304 and kept:
            with self.lock:
                self.unchanged += 1
            return kept[1]
        if status >= 400:
            raise FetchError(answered(status))
        content_type = headers.get("content-type", "")
        response = Response(final, media_type(content_type), charset(content_type), body,
                            headers.get("last-modified", ""))
        self.keep(entry, headers, response)
        return response

    def fetch(self, url: str, named_by: str | None, validators: dict, sink: Sink | None = None,
              offset: int = 0, limit: int = MAX_BYTES, seconds: float | None = None,
              schemes: tuple[str, ...] = SCHEMES) -> tuple[int, dict, str, bytes]:
        """One request and its redirects: the final status, headers (and those of earlier hops
        it lacks: Hugging Face gives a file's SHA-256 on its redirect), address and body. With
        a `sink`, the body is written to the file it opens instead, asked from byte `offset`."""
        trusted = origin(named_by or url)
        hop, seen = url, {}
        for _ in range(MAX_REDIRECTS + 1):
            if urlsplit(hop).scheme not in schemes:
                raise FetchError(f"it leads to an address that is not {' or '.join(schemes)}")
            status, headers, body = self.request(hop, origin(hop) == trusted, validators, sink, offset, limit,
                                                 Deadline(seconds or self.timeout))
            seen = {**seen, **headers}
            location = headers.get("location")
            if status not in (301, 302, 303, 307, 308) or not location:
                return status, seen, hop, body
            hop = urljoin(hop, location.strip())
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def request(self, url: str, trusted: bool, validators: dict, sink: Sink | None, offset: int, limit: int,
                deadline: Deadline) -> tuple[int, dict, bytes]:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        addresses = self.checked(host, port, trusted, deadline)
        with self.lock:
            slots = self.hosts[host]
        with slots:
            for number, address in enumerate(addresses):
                kind = PinnedTLSConnection if parts.scheme == "https" else PinnedConnection
                connection = kind(host, port, address, timeout=deadline.left())
                try:
                    return self.exchange(connection, url, validators, sink, offset, limit, deadline)
                except ConnectionRefusedError:
                    if number == len(addresses) - 1:
                        raise FetchError("cannot connect (the connection was refused)") from None
                finally:
                    connection.close()
        raise FetchError("cannot connect")

    def checked(self, host: str, port: int, trusted: bool, deadline: Deadline) -> list[str]:
        """The addresses `host` resolves to, each allowed by the address policy."""
        addresses = resolved(host, port, deadline)
        if not (trusted or self.allow_private) and not all(public(address) for address in addresses):
            raise FetchError("not fetched: it points into a private network, not the public internet "
                             "(set allow_private_addresses = true to allow it)")
        return addresses

    def exchange(self, connection: PinnedConnection, url: str, validators: dict, sink: Sink | None,
                 offset: int, limit: int, deadline: Deadline) -> tuple[int, dict, bytes]:
        parts = urlsplit(url)
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity" if sink else "gzip, deflate",
                   **({"If-None-Match": validators["etag"]} if validators.get("etag") else {}),
                   **({"If-Modified-Since": validators["last-modified"]} if validators.get("last-modified") else {}),
                   **({"Range": f"bytes={offset}-"} if offset else {})}
        with self.lock:
            self.requests += 1
        timer = deadline.guard(connection)
        try:
            connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                               headers=headers)
            answer = connection.getresponse()
            found = {name.lower(): value for name, value in answer.getheaders()}
            if answer.status in (301, 302, 303, 307, 308, 304) or answer.status >= 400:
                return answer.status, found, b""
            if sink is None:
                body = read_body(answer, found, None, limit)
            else:
                with sink(answer.status) as out:
                    body = read_body(answer, found, out, limit)
        except (OSError, http.client.HTTPException, FetchError) as error:
            if deadline.passed.is_set():
                raise deadline.missed() from None
            if isinstance(error, (ConnectionRefusedError, FetchError)):
                raise
            if isinstance(error, ssl.SSLCertVerificationError):
                raise FetchError(f"its certificate cannot be trusted ({error.verify_message})") from None
            if isinstance(error, TimeoutError):
                raise deadline.missed() from None
            raise FetchError(f"the connection broke off ({type(error).__name__})") from None
        finally:
            timer.cancel()
        if deadline.passed.is_set():
            raise deadline.missed()
        return answer.status, found, body

    def kept(self, entry: str) -> tuple[dict, Response] | None:
        """The validators and the response kept from an earlier fetch."""
        if self.cache is None:
            return None
        found = self.cache.find("web", entry, ".json")
        body = self.cache.find("web", entry, ".body")
        if not (found and body):
            return None
        try:
            data = json.loads(found.read_text(encoding="utf-8"))
            return data["validators"], Response(body=body.read_bytes(), **data["response"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def keep(self, entry: str, headers: dict, response: Response) -> None:
        validators = {"etag": headers.get("etag"), "last-modified": headers.get("last-modified")}
        if self.cache is None or not any(validators.values()):
            return
        self.cache.store("web", entry, ".body", response.body)
        meta = {"validators": validators, "response": {"url": response.url, "content_type": response.content_type,
                                                       "charset": response.charset,
                                                       "last_modified": response.last_modified}}
        self.cache.store("web", entry, ".json", json.dumps(meta).encode())


def resolved(host: str, port: int, deadline: Deadline) -> list[str]:
    """The addresses `host` resolves to, within the deadline (a resolver can hang)."""
    lookup: Future = Future()

    def resolve() -> None:
        try:
            lookup.set_result(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as error:
            lookup.set_exception(error)

    threading.Thread(target=resolve, daemon=True).start()
    try:
        answers = lookup.result(timeout=deadline.left())
    except TimeoutError:
        raise deadline.missed() from None
    except OSError:
        raise FetchError("cannot connect (the name does not resolve)") from None
    return list(dict.fromkeys(answer[4][0] for answer in answers))


def read_body(answer: http.client.HTTPResponse, headers: dict, sink: BinaryIO | None, limit: int) -> bytes:
    """The response's body, gzip or deflate undone, refused past `limit` bytes (as sent and as
    inflated); written to `sink` instead when there is one."""
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise FetchError(f"is too large (over {amount(limit)})")
    inflate = inflater(headers.get("content-encoding", "").strip().lower())
    chunks, sent, size = [], 0, 0
    while chunk := answer.read(CHUNK):
        sent += len(chunk)
        for piece in inflate(chunk):
            size += len(piece)
            if size > limit:
                raise FetchError(f"is too large (over {amount(limit)})")
            sink.write(piece) if sink else chunks.append(piece)
    if length.isdigit() and sent < int(length):
        raise FetchError("the connection broke off")
    return b"".join(chunks)


def amount(size: int) -> str:
    return f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size:,} bytes"


def inflater(encoding: str) -> Callable[[bytes], list[bytes]]:
    """A function turning each chunk as sent into the bytes it stands for, never more than a
    chunk's worth at a time (a small gzip bomb inflates no faster than it is read)."""
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return lambda chunk: [chunk]
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)

    def inflate(chunk: bytes) -> list[bytes]:
        pieces = []
        try:
            while chunk:
                pieces.append(decoder.decompress(chunk, CHUNK))
                chunk = decoder.unconsumed_tail
        except zlib.error:
            raise FetchError(f"its {encoding} compression is damaged") from None
        return pieces

    return inflate


def retry_after(headers: dict) -> float:
    """How long the server asks to wait (seconds or an HTTP date); 1 s when it does not say."""
    value = headers.get("retry-after", "1").strip()
    try:
        seconds = float(value) if value.replace(".", "", 1).isdigit() else \
            parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        seconds = 1.0
    if seconds > LONGEST_WAIT:
        raise FetchError(f"the server is busy and asks to come back in {seconds:.0f} s")
    return max(seconds, 0.0)


def answered(status: int) -> str:
    """"the server answered 404 Not Found"."""
    return f"the server answered {status} {http.client.responses.get(status, '')}".rstrip()


def media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def charset(content_type: str) -> str | None:
    """The charset a Content-Type header names, if any."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
