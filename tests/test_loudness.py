"""Every MP3 meets the podcast norm: -16 LUFS integrated (±1) and true peak at most -1 dBTP."""

import dataclasses
import re
import subprocess

import numpy as np
import pyloudnorm
import pytest

from audiogen import audio
from audiogen.audio import ffmpeg
from audiogen.config import Settings
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


def test_a_peak_the_mp3_encoder_overshoots_is_encoded_again_lower(tmp_path):
    """MP3 quantisation can push a peak well past the limiter (a section of the real voice once
    reached -0.6 dBTP). This signal, a quiet tone with loud bursts of noise, reaches -0.3 dBTP at
    48 kbit/s when encoded once; audiogen measures the encoded frames and encodes them again, lower."""
    rate = 22050
    seconds = np.arange(3 * rate) / rate
    bursts = (seconds % 0.5 < 0.05) * np.random.default_rng(3).uniform(-0.9, 0.9, seconds.size)
    signal = np.sin(2 * np.pi * 180 * seconds) * 0.05 + bursts
    pcm = tmp_path / "voice.pcm"
    pcm.write_bytes((signal * 32767).astype(np.int16).tobytes())
    settings = dataclasses.replace(Settings(), bitrate=48)
    gain = settings.loudness - audio.compressed_loudness(pcm, rate)

    audio.encode_limited(pcm, rate, tmp_path / "once.mp3", settings, gain, settings.true_peak - 1.0)
    assert ebur128(tmp_path / "once.mp3")[1] > -1.0

    audio.encode(pcm, rate, tmp_path / "voice.mp3", settings)
    loudness, peak = ebur128(tmp_path / "voice.mp3")
    assert peak <= -1.0 and -17 <= loudness <= -15
