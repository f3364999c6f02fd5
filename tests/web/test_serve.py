"""`audiogen serve` as podcast apps meet it: HEAD, ranges, content types, nothing outside the folder."""

import http.client
import os
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from audiogen.audio import ffmpeg
from audiogen.web.serve import Addresses
from support import decode, manifest_of, require, run, start_server, write_article


@pytest.fixture(scope="module")
def served(tmp_path_factory, speech_cache):
    """One article built without a base URL, served by a real `audiogen serve output` process run
    in the project's folder, as the README says."""
    folder = tmp_path_factory.mktemp("served")
    article = write_article(folder, "articles/serve-me.md", "# Serve Me\n\nThe first part.\n\n## Next\n\nMore.\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        run("build", article, "-o", "output")
    os.symlink("/etc", folder / "output" / "escape")
    os.symlink("/etc/passwd", folder / "output" / "serve-me" / "passwd.mp3")
    os.mkfifo(folder / "output" / "serve-me" / "pipe.mp3")
    (folder / "output" / "empty-folder").mkdir()
    server, port = start_server(Path("output"), cwd=folder)
    yield folder / "output", port
    server.terminate()
    server.wait(timeout=10)


def request(port, path, method="GET", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


EPISODE = "/serve-me/serve-me.mp3"


def test_head_gives_the_size_and_type_without_a_body(served):
    output, port = served
    response, body = request(port, EPISODE, "HEAD")
    assert response.status == 200 and body == b""
    assert int(response.getheader("content-length")) == (output / "serve-me" / "serve-me.mp3").stat().st_size
    assert response.getheader("content-type") == "audio/mpeg"
    assert response.getheader("accept-ranges") == "bytes"


@pytest.mark.parametrize("header, first, last", [("bytes=100-199", 100, 199), ("bytes=1000-", 1000, None),
                                                  ("bytes=-100", -100, None)])
def test_byte_ranges_return_exactly_those_bytes(served, header, first, last):
    output, port = served
    data = (output / "serve-me" / "serve-me.mp3").read_bytes()
    response, body = request(port, EPISODE, headers={"Range": header})
    expected = data[first:] if last is None else data[first:last + 1]
    assert response.status == 206 and body == expected
    start = first % len(data)
    assert response.getheader("content-range") == f"bytes {start}-{start + len(expected) - 1}/{len(data)}"


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=abc", "bytes=5-1", "bytes=--1"])
def test_bad_ranges_get_416(served, header):
    output, port = served
    response, _ = request(port, EPISODE, headers={"Range": header})
    size = (output / "serve-me" / "serve-me.mp3").stat().st_size
    assert response.status == 416 and response.getheader("content-range") == f"bytes */{size}"


@pytest.mark.parametrize("path, kind", [
    (EPISODE, "audio/mpeg"), ("/feed.xml", "application/rss+xml; charset=utf-8"),
    ("/serve-me/chapters.json", "application/json"), ("/serve-me/transcript.vtt", "text/vtt; charset=utf-8"),
    ("/serve-me/transcript.srt", "application/x-subrip"), ("/cover.png", "image/png"),
    ("/sw.js", "text/javascript; charset=utf-8"), ("/player.css", "text/css; charset=utf-8"),
    ("/manifest.webmanifest", "application/manifest+json")])
def test_content_types(served, path, kind):
    response, _ = request(served[1], path)
    assert response.status == 200 and response.getheader("content-type") == kind


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/serve-me/..%2f..%2fetc%2fpasswd", "/escape/passwd", "/empty-folder/",
                                  "//etc/passwd", "/serve-me/passwd.mp3", "/serve-me/pipe.mp3",
                                  "/%00", "/serve-me/%2e%2e%5c..%5cetc%5cpasswd"])
def test_nothing_outside_the_folder_and_no_listing(served, path):
    response, body = request(served[1], path)
    assert response.status == 404 and b"root:" not in body


def test_only_get_and_head(served):
    response, _ = request(served[1], "/feed.xml", "POST")
    assert response.status == 405


def test_a_feed_built_without_base_url_points_at_the_server(served):
    output, port = served
    _, body = request(port, "/feed.xml")
    assert f"http://127.0.0.1:{port}/serve-me/serve-me.mp3".encode() in body
    assert b"localhost:8000" not in body
    _, body = request(port, "/feed.xml", headers={"Host": f"localhost:{port}"})
    assert f"http://localhost:{port}/serve-me/serve-me.mp3".encode() in body


@pytest.mark.parametrize("host", ["phone.example:8000\"><x", "evil.example", "evil.example:80", "127.0.0.1:1", ""])
@pytest.mark.parametrize("path", ["/feed.xml", "/", "/serve-me/serve-me.mp3"])
def test_a_name_the_server_does_not_answer_for_is_refused(served, host, path):
    """A page of another name whose DNS answer points at a server on loopback (DNS rebinding)
    reads nothing from it."""
    output, port = served
    response, body = request(port, path, headers={"Host": host})
    assert response.status == 421 and body == b"This server does not answer for that name.\n"
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_every_answer_tells_the_browser_to_be_strict(served):
    output, port = served
    for path in ("/", "/serve-me/index.html", "/feed.xml", "/serve-me/serve-me.mp3", "/nothing-here"):
        response, _ = request(port, path)
        assert response.getheader("Content-Security-Policy").startswith("default-src 'self';"), path
        assert "script-src" not in response.getheader("Content-Security-Policy")  # 'self' only, no inline
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("Referrer-Policy") == "no-referrer"


def test_the_show_page_of_a_show_without_address_gets_the_servers_in_its_subscribe_block(served):
    output, port = served
    assert b"qr-code" not in (output / "index.html").read_bytes()  # the show has no address of its own
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        _, body = request(port, "/", headers={"Host": host})
        feed = f"http://127.0.0.1:{port}/feed.xml"
        assert b'class="qr-code"' in body
        assert f'href="{feed}"'.encode() in body and f'href="podcast://127.0.0.1:{port}/feed.xml"'.encode() in body
        assert b"works on this computer only" in body  # bound to 127.0.0.1: a phone cannot reach it
        assert body.count(b'id="subscribe-heading"') == 1 and b"Episodes, newest first" in body


def test_a_page_opened_on_the_computer_itself_gives_phones_the_network_address():
    addresses = Addresses("0.0.0.0", 8000)
    assert addresses.for_other_devices("http://localhost:8000/") == addresses.default
    assert addresses.for_other_devices("http://[::1]:8000/") == addresses.default
    assert addresses.for_other_devices("http://192.168.1.20:8000/") == "http://192.168.1.20:8000/"
    assert Addresses("127.0.0.1", 8000, "https://pods.example/").for_other_devices(
        "http://127.0.0.1:8000/") == "https://pods.example/"


def test_only_the_feeds_own_addresses_are_rewritten_never_article_text(tmp_path, speech_cache):
    article = write_article(tmp_path, "articles/quoting.md", "---\ntitle: Quoting\ndescription: "
                            "Our old server was http://localhost:8000/ on this machine.\n---\nText.\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        run("build", article, "-o", "output")
    server, port = start_server(tmp_path / "output", "--public-url", "https://tunnel.example/show")
    try:
        _, body = request(port, "/feed.xml", headers={"Host": "tunnel.example"})
        assert b"Our old server was http://localhost:8000/ on this machine." in body
        assert b'url="https://tunnel.example/show/quoting/quoting.mp3"' in body
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("path", ["/.audiogen.lock", "/show.json/../.audiogen.lock", "/serve-me/.hidden.part"])
def test_hidden_files_are_never_served(served, path):
    output, port = served
    (output / "serve-me" / ".hidden.part").write_text("half a file")
    assert request(port, path)[0].status == 404


@pytest.mark.parametrize("port, reason", [("0", "0 is not in the range 1<=x<=65535"),
                                          ("70000", "70000 is not in the range 1<=x<=65535"),
                                          ("http", "'http' is not a valid integer range"),
                                          ("-1", "-1 is not in the range 1<=x<=65535")])
def test_a_bad_port_is_refused_with_one_line(served, port, reason):
    result = run("serve", served[0], "--port", port, expect=2)
    assert result.stderr == f"Error: Invalid value for '--port': {reason}.\n"


def test_folders_are_listed_only_when_asked(served):
    output, _ = served
    server, port = start_server(output, "--list-folders")
    try:
        response, body = request(port, "/empty-folder/")
        assert response.status == 200 and b"<li>" not in body
        (output / "empty-folder" / "note.txt").write_text("x")
        (output / "empty-folder" / 'a "b" <c> & d?.txt').write_text("x")
        body = request(port, "/empty-folder/")[1]
        assert b'href="note.txt"' in body
        assert b'href="a%20%22b%22%20%3Cc%3E%20%26%20d%3F.txt">a &#34;b&#34; &lt;c&gt; &amp; d?.txt</a>' in body
        assert request(port, "/escape/")[0].status == 404
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_seeking_over_http_decodes_the_right_audio(served):
    """ffmpeg seeks with range requests, as podcast apps do; what it plays must be what is there."""
    output, port = served
    local = decode(output / "serve-me" / "serve-me.mp3").astype(int)
    result = subprocess.run([ffmpeg(), "-v", "error", "-ss", "8", "-i", f"http://127.0.0.1:{port}{EPISODE}",
                             "-t", "1", "-f", "s16le", "-ac", "1", "-ar", "44100", "-"], capture_output=True)
    assert result.returncode == 0 and not result.stderr
    remote = np.frombuffer(result.stdout, dtype=np.int16).astype(int)[2000:30000]
    start = 8 * 44100 + 2000
    assert min(np.abs(local[start + shift:start + shift + len(remote)] - remote).mean()
               for shift in range(-1200, 1200, 1)) < 5


@pytest.mark.validator
def test_a_real_podcast_client_subscribes_and_downloads_every_episode(served, tmp_path):
    require("gPodder's gpo", None if shutil.which("gpo") else "gpo is not installed (apt-get install gpodder)")
    output, port = served
    environment = {**os.environ, "GPODDER_HOME": str(tmp_path / "gpodder"),
                   "GPODDER_DOWNLOAD_DIR": str(tmp_path / "downloads")}
    for feed in ("/feed.xml", "/serve-me/feed.xml"):
        subprocess.run(["gpo", "subscribe", f"http://127.0.0.1:{port}{feed}"], env=environment, check=True,
                       capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    subprocess.run(["gpo", "download"], env=environment, check=True, capture_output=True,
                   stdin=subprocess.DEVNULL, timeout=120)
    downloaded = {path.name: path.read_bytes() for path in (tmp_path / "downloads").rglob("*.mp3")}
    manifest = manifest_of(output, "serve-me")
    names = [manifest["audio"]["file"], *(section["file"] for section in manifest["sections"])]
    published = {name: (output / "serve-me" / name).read_bytes() for name in names}
    assert downloaded == published


def raw_request(port, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        return connection.recv(1024)


@pytest.mark.parametrize("data", [b"GARBAGE\r\n\r\n", b"GET /feed.xml HTTP/1.1\r\n\r\n",  # no Host
                                  b"GET /feed.xml HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
                                  b"GET /feed.xml HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n",
                                  b"GET /feed.xml HTTP/1.1\r\n" + b"X: " + b"y" * 70000 + b"\r\n\r\n"])
def test_a_bad_request_gets_400_and_the_server_carries_on(served, data):
    output, port = served
    assert raw_request(port, data).startswith(b"HTTP/1.1 4")
    assert request(port, "/feed.xml")[0].status == 200


@pytest.mark.slow
def test_fifty_clients_making_range_requests_at_once_get_no_errors(served):
    output, port = served
    data = (output / "serve-me" / "serve-me.mp3").read_bytes()
    clients, requests_each = 50, 20

    def client(number):
        errors = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for step in range(requests_each):
            start = (number * 7919 + step * 104729) % (len(data) - 5000)
            connection.request("GET", EPISODE, headers={"Range": f"bytes={start}-{start + 4095}"})
            response = connection.getresponse()
            errors += response.status != 206 or response.read() != data[start:start + 4096]
        connection.close()
        return errors

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        errors = sum(pool.map(client, range(clients)))
    seconds = time.perf_counter() - started
    print(f"\n{clients} clients x {requests_each} range requests: {errors} errors, "
          f"{clients * requests_each / seconds:.0f} requests/s")
    assert errors == 0


def test_serve_says_it_is_serving_only_once_it_listens(served):
    output, port = served  # that port is taken by the fixture's server
    result = run("serve", output, "--port", port, expect=1)
    assert result.stdout == "" and result.stderr == (
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); choose another with --port\n")
