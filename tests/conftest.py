"""Shared fixtures: an isolated speech cache, a CLI runner, and real MP3 decoding."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from audiogen.audio import ffmpeg
from audiogen.cli import main

ROOT = Path(__file__).resolve().parent.parent
EDGE_CASES = Path(__file__).resolve().parent / "articles"
SAMPLE = ROOT / "articles" / "stem-cell-miracle.txt"


@pytest.fixture(scope="session", autouse=True)
def speech_cache(tmp_path_factory) -> Path:
    """One cache for the whole session (tests reuse each other's speech), never the user's."""
    path = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(path))
        yield path / "audiogen"


@pytest.fixture(autouse=True)
def project_folder(tmp_path, monkeypatch) -> Path:
    """Each test runs in an empty folder, so the repository's audiogen.toml does not apply."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def run(*arguments, expect: int | None = 0):
    """Run the audiogen CLI in-process and check its exit status (unless `expect` is None)."""
    result = CliRunner(mix_stderr=False).invoke(main, [str(a) for a in arguments])
    assert expect is None or result.exit_code == expect, (result.output, result.stderr, result.exception)
    return result


def decode(path: Path, rate: int = 44100) -> np.ndarray:
    """Decode an MP3 with ffmpeg; any decoder complaint fails the test."""
    result = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                             "-ar", str(rate), "-"], capture_output=True)
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    return np.frombuffer(result.stdout, dtype=np.int16)


def decoded_seconds(path: Path) -> float:
    return len(decode(path)) / 44100


def manifest_of(output: Path, slug: str) -> dict:
    return json.loads((output / slug / "manifest.json").read_text())


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SHORT_ARTICLE = """---
title: Two Short Parts
author: Test Author
date: 2024-02-03
---

A one-line opening.

## First part

Sentence one. Sentence two.

## Second part

The end.
"""


@pytest.fixture(scope="session")
def built_short(tmp_path_factory, speech_cache) -> Path:
    """A real build of a two-section article with the default voice, shared by read-only tests."""
    folder = tmp_path_factory.mktemp("short")
    article = write_article(folder / "articles", "two-short-parts.md", SHORT_ARTICLE)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        run("build", article, "-o", folder / "output")
    return folder / "output"


SHOW_SETTINGS = """
title = "Test Show"
author = "Show Author"
description = "A show made by the tests."
language = "en-us"
category = "Health & Fitness/Medicine"
explicit = false
owner_name = "Owner Name"
owner_email = "owner@example.org"
base_url = "https://podcasts.example.org/show"
"""


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, speech_cache) -> Path:
    """Two articles built with show settings from audiogen.toml (the build runs twice, as producers do)."""
    folder = tmp_path_factory.mktemp("site")
    write_article(folder, "audiogen.toml", SHOW_SETTINGS)
    write_article(folder / "articles", "two-short-parts.md", SHORT_ARTICLE)
    write_article(folder / "articles", "undated.txt", "An Undated Note\n\nIt has no date & one <b>section</b>.\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        run("build", "-o", "output")
    return folder / "output"


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory, speech_cache) -> Path:
    """The sample article narrated with the default voice."""
    folder = tmp_path_factory.mktemp("sample")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        run("build", SAMPLE, "-o", folder / "output")
    return folder / "output"
