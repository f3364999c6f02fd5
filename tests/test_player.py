"""The web player: static pages made by every build, checked as HTML here and in a real browser."""

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EDGE_CASES, ROOT, manifest_of, run
from test_serve import start_server

NODE_TESTS = ROOT / "tests" / "browser" / "player.test.mjs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class Page(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.links, self.text = [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attributes):
        self.tags.append((tag, dict(attributes)))
        if tag == "a":
            self.links.append(dict(attributes)["href"])

    def handle_data(self, data):
        self.text.append(data)


def page(path) -> Page:
    return Page(path.read_text())


def test_every_build_writes_an_index_and_a_player_per_article(built_site):
    index = page(built_site / "index.html")
    assert [href for href in index.links if href.endswith("/index.html")] == [
        "undated/index.html", "two-short-parts/index.html"]  # newest first
    assert "feed.xml" in index.links and ("html", {"lang": "en-us"}) in index.tags
    for name in ("player.css", "player.js", "two-short-parts/index.html"):
        assert (built_site / name).is_file()


def test_the_player_page_has_audio_chapters_transcript_and_downloads(built_site):
    folder = built_site / "two-short-parts"
    player = page(folder / "index.html")
    audio = next(attributes for tag, attributes in player.tags if tag == "audio")
    assert audio["src"] == "two-short-parts.mp3" and "controls" in audio and "autoplay" not in audio
    chapters = [attributes for tag, attributes in player.tags if tag == "a" and attributes.get("class") == "chapter"]
    manifest = manifest_of(built_site, "two-short-parts")
    assert [float(c["data-start"]) for c in chapters] == [s["start"] for s in manifest["sections"]]
    cues = [attributes for tag, attributes in player.tags if tag == "span" and attributes.get("class") == "cue"]
    vtt_cues = (folder / "transcript.vtt").read_text().count(" --> ")
    assert len(cues) == vtt_cues and "Sentence one." in "".join(player.text)
    for href in ["two-short-parts.mp3", "01-introduction.mp3", "transcript.vtt", "transcript.srt", "feed.xml"]:
        assert href in player.links and (folder / href).is_file()
    assert "../feed.xml" in player.links and "../index.html" in player.links


def test_everything_from_an_article_is_escaped_in_the_pages(project_folder):
    shutil.copy(EDGE_CASES / "html_hostile_markup.html", project_folder / "hostile.html")
    run("build", "hostile.html", "-o", "out")
    for path in (project_folder / "out" / "index.html", project_folder / "out" / "hostile" / "index.html"):
        html = path.read_text()
        assert "Title with &lt;b&gt;escaped&lt;/b&gt; &amp; ../../etc/passwd" in html
        assert "<b>escaped" not in html and "alert" not in html
        assert len(re.findall(r"<script\b", html)) == (1 if path.parent.name == "hostile" else 0)


def browser_available() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not shutil.which("node"):
        return "Node.js is not installed"
    if not (ROOT / "node_modules" / "playwright-core").is_dir():
        return "npm packages are not installed (npm ci)"
    if not Path(CHROMIUM).is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def served_sample(built_sample):
    server, port = start_server(built_sample)
    yield f"http://127.0.0.1:{port}/"
    server.terminate()
    server.wait(timeout=10)


def test_the_player_in_a_real_browser(served_sample):
    """axe-core (WCAG 2.2 A and AA, light and dark), keyboard-only use, reflow, no JavaScript."""
    missing = browser_available()
    if missing and os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {missing}")
    if missing:
        pytest.skip(f"browser tests skipped: {missing}")
    result = subprocess.run(["node", "--test", "--test-reporter=spec", str(NODE_TESTS)], cwd=ROOT,
                            env={**os.environ, "AUDIOGEN_URL": served_sample, "AUDIOGEN_SLUG": "stem-cell-miracle",
                                 "CHROMIUM": CHROMIUM},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
