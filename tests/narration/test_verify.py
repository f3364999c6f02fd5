"""`audiogen verify`: an offline recogniser checks that every section says what was written."""

import shutil
import subprocess

import pytest

from audiogen.audio import ffmpeg
from support import manifest_of, run

SECTION = "two-short-parts/02-first-part.mp3"


@pytest.mark.slow
def test_the_sample_is_understood_by_an_independent_recogniser(built_sample):
    result = run("verify", built_sample)
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["Article", "#", "Section", "Words"] and len(lines) == 8
    overall = float(lines[-1].split("rate: ")[1].split()[0])
    assert overall <= 0.35 and lines[-1].endswith("0 sections flagged.")


def test_a_truncated_section_is_flagged(built_short, tmp_path):
    output = shutil.copytree(built_short, tmp_path / "output")
    path = output / SECTION
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    result = run("verify", output, expect=1)
    flagged = [line for line in result.stdout.splitlines() if "cut off" in line]
    assert len(flagged) == 1 and " 2  First part" in flagged[0]
    assert result.stderr == "Error: 1 section may not say what was written\n"


def test_a_section_whose_speech_was_dropped_is_flagged(built_short, tmp_path):
    output = shutil.copytree(built_short, tmp_path / "output")
    seconds = manifest_of(output, "two-short-parts")["sections"][1]["duration"]
    subprocess.run([ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i", f"anullsrc=r=44100:cl=mono:d={seconds}",
                    "-c:a", "libmp3lame", "-b:a", "64k", str(output / SECTION)], check=True)
    result = run("verify", output, expect=1)
    assert any("speech missing" in line and "First part" in line for line in result.stdout.splitlines())
