"""Shared fixtures: an isolated speech cache and project folder, and real builds that read-only tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support import SAMPLE, SHORT_ARTICLE, SHOW_SETTINGS, run, write_article
from support.webserver import Authority, Site


@pytest.fixture(scope="session", autouse=True)
def speech_cache(tmp_path_factory) -> Path:
    """One cache and one data folder (voices as audiogen runs them) for the whole session, shared
    by pytest-xdist's workers (`make check`) as builds on one machine share them: tests reuse each
    other's speech, and never touch the user's."""
    session = tmp_path_factory.getbasetemp()
    shared = session.parent if os.environ.get("PYTEST_XDIST_WORKER") else session
    path, data = shared / "xdg-cache", shared / "xdg-data"
    for folder in (path, data):
        folder.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(path))
        patch.setenv("XDG_DATA_HOME", str(data))
        yield path / "audiogen"


@pytest.fixture(autouse=True)
def project_folder(tmp_path, monkeypatch) -> Path:
    """Each test runs in an empty folder, so the repository's audiogen.toml does not apply."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture(scope="session")
def built_short(tmp_path_factory, speech_cache) -> Path:
    """A real build of a two-section article with the default voice, shared by read-only tests."""
    folder = tmp_path_factory.mktemp("short")
    article = write_article(folder / "articles", "two-short-parts.md", SHORT_ARTICLE)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        run("build", article, "-o", folder / "output")
    return folder / "output"


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


@pytest.fixture(scope="session")
def authority(tmp_path_factory) -> Authority:
    """A certificate authority of the tests' own, for HTTPS servers on loopback."""
    return Authority(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trusted(authority, monkeypatch) -> Authority:
    """audiogen trusting the tests' authority (and only it) for HTTPS, as it trusts the system's."""
    from audiogen.reading import fetch as web

    monkeypatch.setenv("SSL_CERT_FILE", str(authority.ca_file))
    web.tls_context.cache_clear()
    yield authority
    web.tls_context.cache_clear()


@pytest.fixture
def site():
    """A real web server on loopback, serving the pages and feeds a test adds to it."""
    server = Site()
    yield server
    server.close()
