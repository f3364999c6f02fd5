"""Every MP3 meets the podcast norm: -16 LUFS integrated (±1) and true peak at most -1 dBTP."""

import re
import subprocess

import numpy as np
import pyloudnorm
import pytest

from audiogen.audio import ffmpeg
from conftest import decode


def integrated_loudness(path):
    """ITU-R BS.1770 loudness, measured by pyloudnorm on the decoded file."""
    samples = decode(path).astype(np.float64) / 32768
    return pyloudnorm.Meter(44100).integrated_loudness(samples)


def ebur128(path):
    """Integrated loudness and true peak, measured by ffmpeg's ebur128 filter."""
    report = subprocess.run([ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-af",
                             "ebur128=peak=true:framelog=quiet", "-f", "null", "-"],
                            capture_output=True, text=True).stderr
    summary = report[report.rfind("Summary:"):]
    loudness = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return loudness, peak


def files(output):
    return sorted(output.rglob("*.mp3"))


@pytest.mark.parametrize("fixture", ["built_short", "built_sample"])
def test_every_file_is_at_minus_16_lufs_with_true_peaks_below_minus_1(fixture, request):
    output = request.getfixturevalue(fixture)
    for path in files(output):
        loudness, peak = ebur128(path)
        assert -17 <= integrated_loudness(path) <= -15, path.name
        assert -17 <= loudness <= -15 and peak <= -1.0, (path.name, loudness, peak)


def test_sections_and_the_episode_sound_equally_loud(built_sample):
    """Normalised as whole files, the sections do not jump in level from one to the next."""
    levels = [integrated_loudness(path) for path in files(built_sample)]
    assert max(levels) - min(levels) < 0.5
