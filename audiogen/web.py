"""Fetching pages and feeds, cheaply and politely.

One request at a time (so never more than one to a host), a User-Agent that names
audiogen and its version, gzip, a time limit on connecting, on each read and on the
whole response, at most five redirects and only to http or https, a size limit, and
`Retry-After` honoured when a server answers 429 or 503. Every response is kept in the
cache with its ETag and Last-Modified, so that the next build asks "has it changed?"
and a 304 costs nothing. A request that fails raises FetchError with the reason in a
few words.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from . import __version__
from .cache import Cache, key
from .errors import AudiogenError

USER_AGENT = f"audiogen/{__version__} (narrates articles for listeners; +https://pypi.org/project/audiogen/)"
MAX_BYTES = 20_000_000
MAX_REDIRECTS = 5
RETRIES = 2
LONGEST_WAIT = 60.0
"""A server asking to retry later than this (seconds) fails the request instead."""
SCHEMES = ("http", "https")


class FetchError(AudiogenError):
    """A page or feed could not be had; the message says why, in a few words."""


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


def is_address(text: str) -> bool:
    return urlsplit(text).scheme in SCHEMES and bool(urlsplit(text).hostname)


class Fetcher:
    def __init__(self, cache: Cache, timeout: float = 30.0):
        import requests

        self.cache = cache
        self.timeout = timeout
        self.session = requests.Session()
        self.session.max_redirects = MAX_REDIRECTS
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})
        self.requests = 0
        self.unchanged = 0
        """Conditional requests answered 304 Not Modified."""

    def get(self, url: str) -> Response:
        """The resource at `url`, from the server or (when it says it has not changed) the cache."""
        if urlsplit(url).scheme not in SCHEMES:
            raise FetchError("only http and https addresses can be read")
        entry = key("web", url)
        kept = self.kept(entry)
        for attempt in range(RETRIES + 1):
            answer = self.request(url, kept)
            if answer.status_code not in (429, 503) or attempt == RETRIES:
                break
            time.sleep(self.retry_after(answer))
        if answer.status_code == 304 and kept:
            self.unchanged += 1
            return kept[1]
        if answer.status_code >= 400:
            raise FetchError(f"the server answered {answer.status_code} {answer.reason or ''}".rstrip())
        response = Response(answer.url, media_type(answer.headers.get("content-type", "")),
                            answer.encoding if "charset" in answer.headers.get("content-type", "").lower() else None,
                            self.body(answer), answer.headers.get("last-modified", ""))
        self.keep(entry, answer.headers, response)
        return response

    def request(self, url: str, kept):
        import requests

        headers = {}
        if kept:
            validators = kept[0]
            headers.update({name: value for name, value in (("If-None-Match", validators.get("etag")),
                                                            ("If-Modified-Since", validators.get("last-modified")))
                            if value})
        self.requests += 1
        try:
            return self.session.get(url, headers=headers, timeout=(min(self.timeout, 10.0), self.timeout),
                                    stream=True)
        except requests.exceptions.TooManyRedirects:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
        except requests.exceptions.InvalidSchema:
            raise FetchError("it redirects to an address that is not http or https") from None
        except requests.exceptions.Timeout:
            raise FetchError(f"no answer within {self.timeout:g} s") from None
        except requests.exceptions.RequestException as error:
            raise FetchError(f"cannot connect ({type(error).__name__})") from None

    def retry_after(self, answer) -> float:
        """How long the server asks to wait (seconds or an HTTP date); 1 s when it does not say."""
        value = answer.headers.get("retry-after", "1").strip()
        try:
            seconds = float(value) if value.replace(".", "", 1).isdigit() else \
                parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            seconds = 1.0
        if seconds > LONGEST_WAIT:
            raise FetchError(f"the server is busy and asks to come back in {seconds:.0f} s")
        return max(seconds, 0.0)

    def body(self, answer) -> bytes:
        """The response's bytes (gzip undone), refused past MAX_BYTES or past the time limit."""
        import requests

        started, chunks, size = time.monotonic(), [], 0
        try:
            for chunk in answer.iter_content(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(f"is too large (over {MAX_BYTES / 1e6:.0f} MB)")
                if time.monotonic() - started > 2 * self.timeout:
                    raise FetchError(f"took longer than {2 * self.timeout:g} s to arrive")
                chunks.append(chunk)
        except requests.exceptions.RequestException as error:
            raise FetchError(f"the answer broke off ({type(error).__name__})") from None
        finally:
            answer.close()
        return b"".join(chunks)

    def kept(self, entry: str) -> tuple[dict, Response] | None:
        """The validators and the response kept from an earlier fetch."""
        found = self.cache.find("web", entry, ".json")
        body = self.cache.find("web", entry, ".body")
        if not (found and body):
            return None
        try:
            data = json.loads(found.read_text(encoding="utf-8"))
            return data["validators"], Response(body=body.read_bytes(), **data["response"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def keep(self, entry: str, headers, response: Response) -> None:
        validators = {"etag": headers.get("etag"), "last-modified": headers.get("last-modified")}
        if not any(validators.values()):
            return
        self.cache.store("web", entry, ".body", response.body)
        meta = {"validators": validators, "response": {"url": response.url, "content_type": response.content_type,
                                                       "charset": response.charset,
                                                       "last_modified": response.last_modified}}
        self.cache.store("web", entry, ".json", json.dumps(meta).encode())


def media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()
