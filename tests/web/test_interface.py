"""The player's own words in the listener's language: every catalogue whole, and Spanish and German
pages with no English label left (device and offline messages included)."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from support import CHROMIUM, ROOT, browser_missing, require, run, start_server, write_article

WEB = ROOT / "audiogen" / "web"
LANGUAGES = ("de", "es", "fr", "it", "nl", "pt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")

ENGLISH_LABELS = [
    "Play", "Pause", "Listen", "Speed", "Back 15 seconds", "Forward 30 seconds", "Previous chapter", "Next chapter",
    "Sleep timer", "Off", "Chapters", "Transcript", "Resume", "Start from the beginning", "Keyboard shortcuts",
    "Downloads and feeds", "Subscribe", "On this device", "Keep for offline", "Remove from this device",
    "Forget what this device remembers", "Skip to main content", "Episodes, newest first", "About the show",
    "Played", "Kept for offline", "Now playing", "You stopped at", "By", "Added", "minutes", "seconds", "chapters",
    "Download", "Timed transcript", "Talking book", "Read the original", "Skip the contents", "starts at",
]
"""What an English page says on its controls and in its messages: none may appear on another's."""


def template_messages() -> set[str]:
    with open(ROOT / "babel.cfg") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    return {message if isinstance(message, str) else message[0]
            for _, _, message, _, _ in extract_from_dir(str(WEB), method_map, options_map)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_player_is_translated(language):
    with open(WEB / "locales" / language / "LC_MESSAGES" / "audiogen.po", "rb") as source:
        catalogue = read_po(source)
    translated = {message.id if isinstance(message.id, str) else message.id[0]: message
                  for message in catalogue if message.id}
    assert set(translated) == template_messages(), "run `make messages` and translate what is new"
    for message in translated.values():
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not message.fuzzy and all(forms), message.id
        for form in forms:  # what the page puts into a message must have its place in the translation
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(english[-1])), (message.id, form)


def test_the_template_catalogue_holds_what_the_templates_say():
    with open(WEB / "locales" / "audiogen.pot", "rb") as source:
        template = read_po(source)
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id} == template_messages()


SPANISH = """---
title: Vivir con rigidez
author: Ana García
language: es
date: 2024-05-03
---

El síndrome de la persona rígida es raro.

## Un día con el síndrome

Camine un kilómetro al día.
"""

GERMAN = """---
title: Leben mit Steifheit
language: de
date: 2024-03-05
---

Das Stiff-Person-Syndrom ist selten.

## Ein Tag

Am Morgen ist es schwer.
"""


@pytest.fixture(scope="module")
def german_show(tmp_path_factory) -> Path:
    """A German show (its page in German) of a Spanish and a German article, read by eSpeak NG."""
    folder = tmp_path_factory.mktemp("sendung")
    write_article(folder, "audiogen.toml", 'title = "Leben mit SPS"\nlanguage = "de"\n'
                                           'base_url = "https://example.org/sendung/"\n')
    write_article(folder / "articles", "vivir.md", SPANISH)
    write_article(folder / "articles", "leben.md", GERMAN)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        run("build", "-o", "out")
    return folder / "out"


def what_a_listener_meets(path: Path) -> tuple[BeautifulSoup, str]:
    """The page, and every word of the interface on it: text (hidden parts too, which scripts show),
    names and labels in attributes, and the messages the scripts show."""
    page = BeautifulSoup(path.read_text(), "html.parser")
    messages = json.loads(page.find("script", id="messages").string)
    for element in page(["script", "style"]):
        element.decompose()
    named = [element.get(name) for element in page.find_all(True)
             for name in ("aria-label", "data-play-label", "data-pause-label", "label", "alt", "title")
             if element.get(name)]
    return page, " ".join([page.get_text(" "), *named, *(PLACEHOLDER.sub("", text) for text in messages.values())])


@pytest.mark.parametrize("slug, language, date", [("vivir", "es", "3 de mayo de 2024"),
                                                   ("leben", "de", "5. März 2024")])
def test_an_episode_page_speaks_its_articles_language(german_show, slug, language, date):
    page, words = what_a_listener_meets(german_show / slug / "index.html")
    assert page.html["lang"] == language
    assert page.find("header").a["lang"] == "de"  # the show's name, in the show's language
    assert date in words
    english = [label for label in ENGLISH_LABELS if re.search(rf"\b{label}\b", words)]
    assert not english, f"English on the {language} page: {english}"


def test_the_shows_page_speaks_the_shows_language_and_marks_each_episodes(german_show):
    page, words = what_a_listener_meets(german_show / "index.html")
    assert page.html["lang"] == "de"
    assert "Folgen, neueste zuerst" in words and "Abonnieren" in words and "2 Kapitel" in words
    english = [label for label in ENGLISH_LABELS if re.search(rf"\b{label}\b", words)]
    assert not english, f"English on the German show's page: {english}"
    titles = {heading.get_text(strip=True): heading["lang"] for heading in page.select("li[data-slug] h3")}
    assert titles == {"Vivir con rigidez": "es", "Leben mit Steifheit": "de"}


@pytest.mark.browser
def test_the_pages_speak_their_language_in_a_real_browser(german_show):
    """Played, and the device's memory forgotten: what the scripts write is in the page's language."""
    require("the browser tests", browser_missing())
    server, port = start_server(german_show)
    try:
        result = subprocess.run(
            ["node", "--test", "--test-reporter=spec", str(ROOT / "tests" / "browser" / "language.test.mjs")],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ, "AUDIOGEN_URL": f"http://127.0.0.1:{port}/", "CHROMIUM": CHROMIUM,
                 "AUDIOGEN_PAGES": json.dumps({"vivir/index.html": "es", "leben/index.html": "de", "index.html": "de"}),
                 "AUDIOGEN_ENGLISH": json.dumps(ENGLISH_LABELS)})
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
