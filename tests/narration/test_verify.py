"""`audiogen verify`: an offline recogniser checks that every section says what was written."""

import shutil
import statistics
import subprocess

import pytest

from audiogen.audio import ffmpeg
from audiogen.narration.verify import word_start_differences
from support import manifest_of, run, write_article

SECTION = "two-short-parts/02-first-part.mp3"


@pytest.mark.slow
def test_the_sample_is_understood_by_an_independent_recogniser(built_sample):
    result = run("verify", built_sample)
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["Article", "#", "Section", "Words"] and len(lines) == 8
    overall = float(lines[-1].split("rate: ")[1].split()[0])
    # The voice's noise makes each synthesis differ: 40 fresh ones measured 0.27 to 0.34 (the
    # recogniser's own errors); speech dropped or garbled anywhere flags its section instead.
    assert overall <= 0.40 and lines[-1].endswith("0 sections flagged.")


@pytest.mark.slow
def test_word_timings_agree_with_an_independent_forced_aligner(built_sample):
    """PocketSphinx aligns the same words to the same audio (docs/performance.md: its starts sit
    about 50 ms before the voice's on average, while the voice's match the signal's onsets at
    sentence starts to about 15 ms)."""
    differences, left_out = word_start_differences(built_sample / "stem-cell-miracle")
    assert len(differences) > 200 and left_out < 25
    absolute = sorted(abs(difference) for difference in differences)
    assert statistics.median(absolute) < 0.09 and absolute[int(0.9 * len(absolute))] < 0.3


@pytest.mark.slow
def test_a_truncated_section_is_flagged(built_short, tmp_path):
    output = shutil.copytree(built_short, tmp_path / "output")
    path = output / SECTION
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    result = run("verify", output, expect=1)
    flagged = [line for line in result.stdout.splitlines() if "cut off" in line]
    assert len(flagged) == 1 and " 2  First part" in flagged[0]
    assert result.stderr == "Error: 1 section may not say what was written\n"


@pytest.mark.slow
def test_a_section_whose_speech_was_dropped_is_flagged(built_short, tmp_path):
    output = shutil.copytree(built_short, tmp_path / "output")
    seconds = manifest_of(output, "two-short-parts")["sections"][1]["duration"]
    subprocess.run([ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i", f"anullsrc=r=44100:cl=mono:d={seconds}",
                    "-c:a", "libmp3lame", "-b:a", "64k", str(output / SECTION)], check=True)
    result = run("verify", output, expect=1)
    assert any("speech missing" in line and "First part" in line for line in result.stdout.splitlines())


@pytest.mark.slow
def test_a_language_the_recogniser_does_not_know_is_reported_as_not_checked(project_folder):
    write_article(project_folder, "articles/es.md", "---\ntitle: Prueba\nlanguage: es\n---\n\nUna frase corta.\n")
    write_article(project_folder, "articles/en.md", "---\ntitle: A test\n---\n\nA short sentence.\n")
    run("build", "-o", "out")
    result = run("verify", project_folder / "out")
    assert any(line.startswith("es ") and line.endswith("not checked: no recogniser for es")
               for line in result.stdout.splitlines())
    assert result.stdout.rstrip().endswith("0 sections flagged; 1 section not checked (no recogniser for es).")
