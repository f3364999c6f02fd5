"""The documentation: a site MkDocs builds with --strict (broken links fail), its command and
settings references written from the code, and a README that stays a README."""

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from audiogen.cli import main
from audiogen.config import reference
from support import ROOT

README = (ROOT / "README.md").read_text()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    return folder


def text_of(page: Path) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.read_text())).split())


def test_every_command_and_option_is_in_the_generated_reference(site):
    commands = text_of(site / "commands" / "index.html")
    for name, command in main.commands.items():
        assert f"audiogen {name}" in commands, name
        for option in command.params:
            for flag in option.opts if option.param_type_name == "option" else ():
                assert flag in commands, (name, flag)
            if option.param_type_name == "option":  # with what it does
                assert option.help and " ".join(option.help.split()) in commands, (name, option.opts)


def test_every_setting_is_in_the_generated_reference_with_what_it_does(site):
    settings = text_of(site / "settings" / "index.html")
    letters = re.sub(r"\W", "", settings)
    for name, _, text in reference():
        assert name in settings and text, name
        assert re.sub(r"\W", "", text) in letters, name


def test_the_readme_is_short_and_says_how_to_start():
    assert len(README.splitlines()) <= 120 and len(README) < 7000
    for claim in ("make demo", "make test", ".venv/bin/audiogen", "audiogen serve", "docs/index.md"):
        assert claim in README, claim
    for link in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / link).is_file(), link
