"""End to end with the real default voice: every MP3 is decoded and checked against the manifest."""

import json
import subprocess
import sys

import numpy as np
import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3

from support import decode, decoded_seconds, manifest_of, run, work_done, write_article
from support.checks import VTT_WORD_TIME

SLUG = "two-short-parts"


def test_build_writes_chapters_episode_and_manifest(built_short):
    folder = built_short / SLUG
    assert sorted(p.name for p in folder.glob("*.mp3")) == [
        "01-introduction.mp3", "02-first-part.mp3", "03-second-part.mp3", f"{SLUG}.mp3"]
    manifest = manifest_of(built_short, SLUG)
    assert {k: manifest[k] for k in ("title", "slug", "author", "date", "language")} == {
        "title": "Two Short Parts", "slug": SLUG, "author": "Test Author", "date": "2024-02-03",
        "language": "en-us"}
    assert manifest["source"].endswith("two-short-parts.md")
    assert [s["title"] for s in manifest["sections"]] == ["Introduction", "First part", "Second part"]
    assert manifest["sections"][1]["text"] == "First part. Sentence one. Sentence two."
    assert [s["index"] for s in manifest["sections"]] == [1, 2, 3]


def test_every_mp3_decodes_to_the_duration_the_manifest_gives(built_short):
    manifest = manifest_of(built_short, SLUG)
    folder = built_short / SLUG
    episode = folder / manifest["audio"]["file"]
    assert episode.stat().st_size == manifest["audio"]["bytes"]
    assert abs(decoded_seconds(episode) - manifest["audio"]["duration"]) < 0.03
    for section in manifest["sections"]:
        assert abs(decoded_seconds(folder / section["file"]) - section["duration"]) < 0.03
    assert manifest["sections"][0]["start"] == 0.0
    starts = [s["start"] for s in manifest["sections"]]
    assert starts == sorted(starts) and starts[-1] < manifest["audio"]["duration"]


def test_mp3s_are_constant_bit_rate_mono_44k_and_hold_speech(built_short):
    for path in (built_short / SLUG).glob("*.mp3"):
        info = MP3(path).info
        assert (info.bitrate, info.sample_rate, info.channels) == (64000, 44100, 1)
        samples = decode(path).astype(np.float64) / 32768
        assert np.sqrt(np.mean(samples ** 2)) > 0.02, f"{path.name} is (nearly) silent"


def test_every_file_is_tagged(built_short):
    folder = built_short / SLUG
    for index, name in enumerate(["01-introduction.mp3", "02-first-part.mp3", "03-second-part.mp3"], 1):
        tag = ID3(folder / name)
        assert str(tag["TRCK"]) == f"{index}/3"
        assert str(tag["TALB"]) == "Two Short Parts" and str(tag["TPE1"]) == "Test Author"
        assert str(tag["TDRC"]) == "2024-02-03" and str(tag["TLAN"]) == "eng"
    assert str(ID3(folder / "02-first-part.mp3")["TIT2"]) == "First part"


def test_the_episode_has_one_chapter_per_section_in_time_order(built_short):
    manifest = manifest_of(built_short, SLUG)
    tag = ID3(built_short / SLUG / f"{SLUG}.mp3")
    chapters = sorted(tag.getall("CHAP"), key=lambda chap: chap.start_time)
    assert [str(chap.sub_frames["TIT2"]) for chap in chapters] == [s["title"] for s in manifest["sections"]]
    assert [chap.start_time for chap in chapters] == [round(s["start"] * 1000) for s in manifest["sections"]]
    assert all(a.end_time == b.start_time for a, b in zip(chapters, chapters[1:]))
    assert chapters[-1].end_time == round(manifest["audio"]["duration"] * 1000)
    toc = tag.getall("CTOC")[0]
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == [chap.element_id for chap in chapters]


def test_each_chapter_of_the_episode_is_its_section_file(built_short):
    """The episode is made of the sections' own frames, so a chapter sounds exactly like its file."""
    manifest = manifest_of(built_short, SLUG)
    episode = decode(built_short / SLUG / f"{SLUG}.mp3").astype(int)
    skip = 2 * 1152  # the first frames decode differently after other audio
    for section in manifest["sections"][1:]:
        alone = decode(built_short / SLUG / section["file"]).astype(int)[skip:-skip]
        start = round(section["start"] * 44100) + skip
        # Start times are given to the millisecond: look within half of one (22 samples).
        error = min(np.abs(episode[start + shift:start + shift + len(alone)] - alone).max()
                    for shift in range(-22, 23))
        assert error <= 2


def test_build_reports_a_summary(project_folder):
    article = write_article(project_folder, "articles/one.txt", "One\n\nA single sentence.\n")
    result = run("build", article.parent, "-o", project_folder / "out")
    assert result.stdout.startswith("Built 1 article, 1 section, ")
    assert "minutes of audio in" in result.stdout


@pytest.mark.slow
def test_sample_article_builds_with_six_chapters(built_sample):
    manifest = manifest_of(built_sample, "stem-cell-miracle")
    assert len(manifest["sections"]) == 6 and 180 < manifest["audio"]["duration"] < 320
    episode = built_sample / "stem-cell-miracle" / "stem-cell-miracle.mp3"
    assert len(ID3(episode).getall("CHAP")) == 6
    assert abs(decoded_seconds(episode) - manifest["audio"]["duration"]) < 0.03


def test_earcons_chime_at_the_start_of_every_section(project_folder):
    write_article(project_folder, "articles/chimes.md", "# Chimes\n\nOpening words.\n\n## Next\n\nMore words.\n")
    run("build", "--earcons", "-o", "out")
    for name in ("01-introduction.mp3", "02-next.mp3"):
        samples = decode(project_folder / "out" / "chimes" / name).astype(float)
        chime = samples[int(0.5 * 44100):int(0.64 * 44100)]  # after the lead-in, the first note
        spectrum = np.abs(np.fft.rfft(chime * np.hanning(len(chime))))
        assert abs(np.argmax(spectrum) * 44100 / len(chime) - 880) < 15


ARTICLE = """---
title: Incremental
---

The opening sentence stays. A second sentence stays too.

## Middle

This sentence will be edited. Its neighbour does not change.

## End

The last words.
"""


def test_a_rebuild_with_nothing_changed_synthesises_and_encodes_nothing(project_folder):
    write_article(project_folder, "articles/incremental.md", ARTICLE)
    run("build", "-o", "out")
    before = {p: p.stat().st_mtime_ns for p in (project_folder / "out").rglob("*") if p.is_file()}
    assert work_done(run("build", "-o", "out").stdout) == (0, 0)
    assert {p: p.stat().st_mtime_ns for p in (project_folder / "out").rglob("*") if p.is_file()} == before


STAGES = ["audiogen.build", "audiogen.reading.readers", "audiogen.narration.narrator", "audiogen.books.epub",
          "audiogen.web.pages", "trafilatura", "onnxruntime"]
LOADED_STAGES = "import json, sys; print(json.dumps([name for name in {stages} if name in sys.modules]))"


def stages_loaded_by(project_folder, *arguments) -> tuple[list[str], str]:
    """The stages an audiogen command, run as a process, loaded; and what it printed."""
    code = (f"from audiogen.cli import main\ntry:\n    main({list(arguments)})\nexcept SystemExit:\n    pass\n"
            + LOADED_STAGES.format(stages=STAGES))
    result = subprocess.run([sys.executable, "-c", code], cwd=project_folder, capture_output=True, text=True,
                            check=True)
    *printed, loaded = result.stdout.strip().splitlines()
    return json.loads(loaded), "\n".join(printed)


def test_a_rebuild_with_nothing_changed_loads_no_stage_and_anything_touched_builds(project_folder):
    write_article(project_folder, "articles/incremental.md", ARTICLE)
    run("build", "-o", "out")
    loaded, printed = stages_loaded_by(project_folder, "build", "-o", "out")
    assert loaded == [] and work_done(printed) == (0, 0)
    assert stages_loaded_by(project_folder, "--help")[0] == []
    (project_folder / "out" / "incremental" / "transcript.vtt").unlink()
    loaded, _ = stages_loaded_by(project_folder, "build", "-o", "out")
    assert "audiogen.build" in loaded and (project_folder / "out" / "incremental" / "transcript.vtt").is_file()
    write_article(project_folder, "audiogen.toml", "earcons = true\n")
    assert work_done(run("build", "-o", "out").stdout)[1] > 0  # a setting changed: every section again


def test_one_edited_sentence_is_the_only_one_spoken_again(project_folder):
    path = write_article(project_folder, "articles/incremental.md", ARTICLE)
    run("build", "-o", "out")
    path.write_text(ARTICLE.replace("will be edited", "has been edited"))
    result = run("build", "-o", "out")
    assert work_done(result.stdout) == (1, 1)  # the sentence, then its section
    manifest = (project_folder / "out" / "incremental" / "manifest.json").read_text()
    assert "This sentence has been edited." in manifest
    vtt = (project_folder / "out" / "incremental" / "transcript.vtt").read_text()
    assert "This sentence has been edited." in VTT_WORD_TIME.sub("", vtt)
