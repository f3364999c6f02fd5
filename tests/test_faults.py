"""Interruptions and faults: killed builds leave only whole files, full disks and unwritable
folders give one clear line and leave earlier outputs intact, gTTS retries before it gives up."""

import signal
import subprocess
import time

import pytest
import requests
import responses

from audiogen.narration.engines import gtts as gtts_module
from support import GOOGLE, ROOT, audiogen, google_answer, require, run, wait_for, work_done, write_article
from support.checks import check_every_file_is_whole

SHORTER_ARTICLES = ("clinic-visit.html", "everyday-tips.md")


@pytest.mark.slow
def test_builds_killed_at_any_moment_leave_whole_files_and_the_next_build_finishes(project_folder):
    for name in SHORTER_ARTICLES:  # the sample too would add half a minute of speech and show nothing more
        write_article(project_folder / "articles", name, (ROOT / "articles" / name).read_text())
    cache = project_folder / "cache"
    speech = cache / "audiogen" / "speech"
    for delay in (0.8, 2.5, 5.0, None):
        build = audiogen("build", "-o", "out", cwd=project_folder, cache=cache)
        if delay is None:  # the last is killed once it has spoken, however busy the machine
            wait_for(lambda: len(list(speech.rglob("*.json"))) >= 5, "five sentences spoken")
        else:
            time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        if (project_folder / "out").exists():
            check_every_file_is_whole(project_folder / "out")
    # A sentence's speech is whole once its words' timings (.json) are stored, last: a build killed
    # between its .pcm and its .json leaves a sentence that the next build speaks again.
    kept = len(list(speech.rglob("*.json")))
    finish = audiogen("build", "-o", "out", cwd=project_folder, cache=cache)
    stdout, stderr = finish.communicate(timeout=600)
    assert finish.returncode == 0, stderr
    # The killed builds' speech was kept and reused: only the rest was spoken.
    assert work_done(stdout)[0] == len(list(speech.rglob("*.json"))) - kept and kept >= 5
    assert check_every_file_is_whole(project_folder / "out") >= len(SHORTER_ARTICLES) * 9
    assert not list((project_folder / "out").rglob("*.part"))
    assert not list((cache / "audiogen" / "tmp").iterdir())


@pytest.fixture
def small_disk(tmp_path):
    """A 900 kB file system, so that a build can run out of room for real."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=900k", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    require("a small tmpfs (CI runs as root)", result.stderr.strip() if result.returncode else None)
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


@pytest.mark.slow
def test_a_full_disk_stops_the_build_clearly_and_keeps_earlier_outputs(project_folder, small_disk):
    write_article(project_folder, "articles/first.txt", "First\n\nThe first article fits on the disk.\n")
    output = small_disk / "out"
    run("build", "-o", output)
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    long_text = " ".join(f"Sentence number {n} of the second article is here." for n in range(40))
    write_article(project_folder, "articles/second.txt", f"Second\n\n{long_text}\n")
    result = run("build", "-o", output, expect=1)
    assert result.stderr.strip().endswith("cannot write (No space left on device)")
    assert result.stderr.count("Error:") == 1 and "Traceback" not in result.stderr
    assert {path: path.read_bytes() for path in output.rglob("*") if path.is_file()} == before


def test_an_unwritable_output_folder_is_one_clear_line(project_folder):
    write_article(project_folder, "articles/a.txt", "A\n\nText.\n")
    (project_folder / "a-file").write_text("not a folder")
    result = run("build", "-o", project_folder / "a-file" / "out", expect=1)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert errors == [f"Error: {project_folder / 'a-file' / 'out'}: cannot write (Not a directory)"]


def google_failing_on(word):
    """Google's endpoint, refusing (HTTP 500) every request whose text holds `word`."""
    def answer(request):
        if word in requests.utils.unquote(request.body):
            return 500, {}, "server error"
        return 200, {}, google_answer(0.5)
    return answer


@responses.activate
def test_gtts_errors_are_retried_then_fail_that_article_only(project_folder, monkeypatch):
    monkeypatch.setattr(gtts_module, "RETRY_DELAYS", (0, 0, 0))
    responses.add_callback(responses.POST, GOOGLE, callback=google_failing_on("Poison"))
    write_article(project_folder, "articles/bad.txt", "Bad\n\nPoison pills in this sentence.\n")
    write_article(project_folder, "articles/good.txt", "Good\n\nA healthy sentence about gardens.\n")
    result = run("build", "--engine", "gtts", "-o", "out", expect=1)
    assert ("Error: articles/bad.txt: gtts: Google's speech service refused the request "
            "(500 (Internal Server Error) from TTS API. Probable cause: Upstream API error. Try again later.)"
            ) in result.stderr
    assert sum("Poison" in requests.utils.unquote(call.request.body) for call in responses.calls) == 4
    assert (project_folder / "out" / "good" / "good.mp3").is_file()
    assert not (project_folder / "out" / "bad").exists()


@responses.activate
def test_gtts_recovers_when_a_retry_succeeds(project_folder, monkeypatch):
    monkeypatch.setattr(gtts_module, "RETRY_DELAYS", (0, 0, 0))
    answers = iter([(503, {}, "busy"), (503, {}, "busy")])
    responses.add_callback(responses.POST, GOOGLE,
                           callback=lambda request: next(answers, (200, {}, google_answer(0.5))))
    write_article(project_folder, "articles/flaky.txt", "Flaky\n\nThe network was flaky today.\n")
    run("build", "--engine", "gtts", "-o", "out")
    assert (project_folder / "out" / "flaky" / "flaky.mp3").is_file()
