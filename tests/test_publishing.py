"""Publishing that is always consistent: feeds that match the files at every moment, one build
per output folder, Ctrl+C stopping at once, leftovers swept, the same bytes on another day."""

import json
import os
import signal
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree

import pytest
import time_machine

from audiogen.files import HOST
from support import audiogen, manifest_of, run, tree, wait_for, write_article
from support.checks import check_every_file_is_whole, check_output

LONG = "Long\n\n" + "\n\n".join(f"Paragraph {n} has a sentence in it, and then another one after it."
                                 for n in range(24)) + "\n"


@pytest.mark.slow
def test_the_feed_is_published_with_each_article_and_matches_the_files_when_a_build_is_killed(project_folder):
    """A build killed after re-narrating the first article, while the second is being spoken:
    the feed already gives the first article's new files, with their new sizes."""
    cache = project_folder / "cache"
    first = write_article(project_folder, "articles/a-first.txt", "First\n\nThe first version.\n")
    write_article(project_folder, "articles/b-long.txt", "Long\n\nShort for now.\n")
    assert audiogen("build", "-o", "out", cwd=project_folder, cache=cache).wait() == 0
    old_key = manifest_of(project_folder / "out", "a-first")["key"]
    first.write_text("First\n\nThe second version, which is longer than the first one was.\n")
    write_article(project_folder, "articles/b-long.txt", LONG)
    build = audiogen("build", "-o", "out", cwd=project_folder, cache=cache)
    wait_for(lambda: manifest_of(project_folder / "out", "a-first")["key"] != old_key)
    build.send_signal(signal.SIGKILL)
    build.wait()
    check_output(project_folder / "out")  # which checks every enclosure's length against its file


def test_a_second_build_in_the_same_folder_is_refused_with_one_line(project_folder):
    write_article(project_folder, "articles/long.txt", LONG)
    build = audiogen("build", "-o", "out", cwd=project_folder, cache=project_folder / "cache")
    wait_for(lambda: any((project_folder / "cache" / "audiogen" / "speech").rglob("*.pcm")), "the first build")
    result = run("build", "-o", "out", expect=1)
    assert result.stderr == "Error: out: another build is writing here; run this one when it has finished\n"
    build.kill()
    build.wait()


@pytest.mark.slow
def test_ctrl_c_stops_a_build_at_once_and_leaves_a_consistent_tree(project_folder):
    """Interrupted while the long article is being spoken, the build stops there: the long
    article (a minute of speech) is never finished, and what was written is whole."""
    write_article(project_folder, "articles/a.txt", "A\n\nA first, short article.\n")
    write_article(project_folder, "articles/long.txt", LONG)
    speech = project_folder / "cache" / "audiogen" / "speech"
    build = audiogen("build", "-o", "out", cwd=project_folder, cache=project_folder / "cache")
    wait_for(lambda: (project_folder / "out" / "a" / "manifest.json").exists(), "the short article")
    spoken = len(list(speech.rglob("*.pcm")))
    wait_for(lambda: len(list(speech.rglob("*.pcm"))) > spoken, "the long article being spoken")
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 130 and "Traceback" not in stderr
    assert not (project_folder / "out" / "long").exists()
    assert stderr.strip().splitlines()[-1].startswith("Interrupted:")
    check_every_file_is_whole(project_folder / "out")
    check_output(project_folder / "out")
    assert not list((project_folder / "out").rglob("*.part"))


def test_leftovers_of_killed_builds_are_swept_wherever_they_are(project_folder, monkeypatch):
    dead, host = 4_000_000, HOST  # a pid above any Linux gives out
    leftovers = [project_folder / "out" / f".feed.xml.{dead}@{host}.x1.part",
                 project_folder / "out" / "a" / f".a.mp3.{dead}@{host}.x2.part",
                 project_folder / "cache" / "audiogen" / "tmp" / f".narration.pcm.{dead}@{host}.x3.part"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    alive = project_folder / "cache" / "audiogen" / "tmp" / f".x.pcm.{os.getpid()}@{host}.x4.part"
    alive.write_bytes(b"being written")
    write_article(project_folder, "articles/a.txt", "A\n\nText.\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(project_folder / "cache"))
    run("build", "-o", "out")
    assert not any(path.exists() for path in leftovers) and alive.exists()


@pytest.mark.slow
def test_narration_waits_for_the_encoder_instead_of_piling_up_audio(project_folder):
    """With every sentence cached and a new bit rate, narration is instant and encoding is not:
    at most one section per encoding job waits on disk (in a cache of its own, which no other
    build writes in meanwhile)."""
    write_article(project_folder, "articles/many.md", "\n\n".join(
        f"## Part {n}\n\nThe words of part {n} are these." for n in range(12)))
    write_article(project_folder, "audiogen.toml", 'cache_dir = "cache"\n')
    run("build", "-o", "out")
    scratch = project_folder / "cache" / "tmp"
    most, done = 0, threading.Event()

    def watch():
        nonlocal most
        while not done.is_set():
            most = max(most, len(list(scratch.glob(".narration.pcm.*"))))
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    write_article(project_folder, "audiogen.toml", 'cache_dir = "cache"\nbitrate = 48\n')
    try:
        run("build", "-o", "out")
    finally:
        done.set()
        watcher.join()
    assert 1 <= most <= 2  # one being encoded (jobs = 1), one narrated ahead


def test_a_rebuild_on_another_day_is_byte_identical_and_partial_dates_stay_partial(project_folder):
    write_article(project_folder, "articles/year.md", "---\ntitle: A Year\ndate: 2024\n---\nText of a year.\n")
    write_article(project_folder, "articles/month.md", "---\ntitle: A Month\ndate: 2024-03\n---\nText.\n")
    write_article(project_folder, "articles/undated.txt", "Undated\n\nNo date at all.\n")
    with time_machine.travel("2027-01-15 09:00", tick=True):
        run("build", "-o", "out")
    before = tree(project_folder / "out")
    with time_machine.travel("2031-08-02 23:30", tick=True):
        run("build", "-o", "out")
    assert tree(project_folder / "out") == before
    assert manifest_of(project_folder / "out", "year")["date"] == "2024"
    items = {item.find("title").text: item.find("pubDate").text
             for item in ElementTree.parse(project_folder / "out" / "feed.xml").getroot().iter("item")}
    assert items["A Year"] == "Mon, 01 Jan 2024 00:00:00 +0000"
    assert items["A Month"] == "Fri, 01 Mar 2024 00:00:00 +0000"
    assert items["Undated"].startswith("Fri, 15 Jan 2027 09:00:")  # when it was first built


def test_each_show_has_its_own_guid_kept_across_builds_and_episode_guids_differ_between_shows(project_folder):
    write_article(project_folder, "articles/same.txt", "Same\n\nThe same article in two shows.\n")
    run("build", "-o", "one")
    run("build", "-o", "two")
    guids = [json.loads((project_folder / name / "show.json").read_text())["guid"] for name in ("one", "two")]
    assert guids[0] != guids[1] and all(uuid.UUID(guid) for guid in guids)
    episodes = [manifest_of(project_folder / name, "same")["guid"] for name in ("one", "two")]
    assert episodes[0] != episodes[1]
    run("build", "-o", "one", "--base-url", "https://example.org/show/")
    channel = ElementTree.parse(project_folder / "one" / "feed.xml").getroot().find("channel")
    assert channel.find("{https://podcastindex.org/namespace/1.0}guid").text == guids[0]
    assert channel.find("item/guid").text == episodes[0]


def test_the_manifest_never_publishes_the_producers_own_paths(project_folder, tmp_path):
    elsewhere = write_article(tmp_path / "private" / "home", "note.txt", "Note\n\nPrivate path.\n")
    run("build", elsewhere.resolve(), "-o", "out")
    assert manifest_of(project_folder / "out", "note")["source"] == "note.txt"
    assert str(tmp_path) not in "".join(path.read_text(errors="ignore")
                                        for path in (project_folder / "out").rglob("*") if path.is_file())
