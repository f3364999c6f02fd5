"""What the tests share: running audiogen (in-process or as a real process), decoding what it
wrote, waiting for a state without racing the clock, and the outside tools (a browser, checkers)
that CI must have and a developer's machine may lack. Fixtures are in conftest.py; checks of
every output file in checks.py; a real HTTP server for pages and feeds in webserver.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
from click.testing import CliRunner

from audiogen.audio import ffmpeg
from audiogen.cli import main

ROOT = Path(__file__).resolve().parents[2]
EDGE_CASES = ROOT / "tests" / "articles"
SAMPLE = ROOT / "articles" / "stem-cell-miracle.txt"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PATIENCE = 120.0
"""Seconds a test waits for a state before it fails: long enough for a busy 2-core machine."""

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
license = "CC-BY-4.0"
m4b = true
audiobook_shelf = true
"""


def run(*arguments, expect: int | None = 0):
    """Run the audiogen CLI in-process and check its exit status (unless `expect` is None)."""
    result = CliRunner(mix_stderr=False).invoke(main, [str(a) for a in arguments])
    assert expect is None or result.exit_code == expect, (result.output, result.stderr, result.exception)
    return result


def audiogen(*arguments, cwd: Path, cache: Path | None = None, **options) -> subprocess.Popen:
    """audiogen as a process of its own (to be killed, interrupted or left running), with text pipes
    unless `options` say otherwise."""
    environment = {**os.environ, **({"XDG_CACHE_HOME": str(cache)} if cache else {})}
    return subprocess.Popen([sys.executable, "-m", "audiogen", *map(str, arguments)], cwd=cwd, env=environment,
                            **{"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **options},
                            preexec_fn=interruptible)


def interruptible() -> None:
    """Ctrl+C as a terminal sends it reaches the process, even when the tests themselves run
    where it is ignored (a CI runner, a job started in the background by a script)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(condition: Callable[[], object], what: str = "the expected state", seconds: float = PATIENCE):
    """Poll `condition` until it holds (and return what it gave); fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out after {seconds:g} s waiting for {what}"
        time.sleep(0.02)
    return found


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def manifest_of(output: Path, slug: str) -> dict:
    return json.loads((output / slug / "manifest.json").read_text())


def decode(path: Path, rate: int = 44100) -> np.ndarray:
    """Decode an MP3 with ffmpeg; any decoder complaint fails the test."""
    result = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                             "-ar", str(rate), "-"], capture_output=True)
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    return np.frombuffer(result.stdout, dtype=np.int16)


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBFS) of any audio file, measured by ffmpeg's
    ebur128 filter."""
    report = subprocess.run([ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a", "-af",
                             "ebur128=peak=true:framelog=quiet", "-f", "null", "-"],
                            capture_output=True, text=True).stderr
    summary = report[report.rfind("Summary:"):]
    loudness = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return loudness, peak


def word_f1(found: str, reference: str) -> float:
    """How much of `reference` `found` says and how little else, by words (lowercase, counted as
    a bag): the harmonic mean of precision and recall, as the extraction benchmark scores."""
    from collections import Counter

    found_words, reference_words = (Counter(re.findall(r"[a-z0-9']+", text.lower())) for text in (found, reference))
    common = sum((found_words & reference_words).values())
    if not common:
        return 0.0
    precision, recall = common / sum(found_words.values()), common / sum(reference_words.values())
    return 2 * precision * recall / (precision + recall)


def decoded_seconds(path: Path) -> float:
    return len(decode(path)) / 44100


def work_done(stdout: str) -> tuple[int, int]:
    """Sentences synthesised and files encoded, as a build's summary reports them."""
    match = re.search(r"\((\d+) sentences? synthesised, (\d+) files? encoded", stdout)
    return int(match.group(1)), int(match.group(2))


def tree(output: Path) -> dict:
    """Every file under `output`, by relative path, with its bytes."""
    return {path.relative_to(output): path.read_bytes() for path in sorted(output.rglob("*"))
            if path.is_file() and not path.name.startswith(".")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(folder: Path, *options, cwd: Path | None = None) -> tuple[subprocess.Popen, int]:
    """`audiogen serve folder` (run in `cwd`) on a free port, once it accepts connections."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "audiogen", "serve", str(folder), "--port", str(port),
                               *map(str, options)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)

    def listening() -> bool:
        assert server.poll() is None, server.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    wait_for(listening, f"audiogen serve on port {port}")
    return server, port


def require(name: str, missing: str | None) -> None:
    """An outside tool the tests need: in CI (CI=true), its absence fails the test; elsewhere it
    skips it, saying why. `missing` is why it cannot run here, or None when it can."""
    if missing and os.environ.get("CI"):
        pytest.fail(f"{name} must run in CI: {missing} (make test installs it)")
    if missing:
        pytest.skip(f"{name} skipped: {missing}")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not shutil.which("node"):
        return "Node.js is not installed"
    if not (ROOT / "node_modules" / "playwright-core").is_dir():
        return "npm packages are not installed (npm ci)"
    if not Path(CHROMIUM).is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def file_missing(path: Path) -> str | None:
    return None if path.exists() else f"nothing at {path}"


GOOGLE = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
"""Where gTTS asks Google for speech: the one address the tests mock (with `responses`)."""


def google_answer(seconds: float = 1.0) -> str:
    """What Google's batchexecute endpoint returns: the MP3 base64-encoded in an RPC line."""
    import base64

    mp3 = subprocess.run([ffmpeg(), "-v", "error", "-f", "lavfi", "-i", f"sine=frequency=300:duration={seconds}",
                          "-ar", "24000", "-ac", "1", "-c:a", "libmp3lame", "-f", "mp3", "-"],
                         capture_output=True, check=True).stdout
    return ')]}\'\n\n123\n[["wrb.fr","jQ1olc","[\\"' + base64.b64encode(mp3).decode() + '\\"]",null]]\n'
