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
from support import decode


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


def bursts_of_noise(seed, path):
    """A quiet tone with loud bursts of noise, as raw 22,050 Hz PCM: at 48 kbit/s, MP3's
    quantisation lifts its peaks well past the limiter."""
    rate = 22050
    seconds = np.arange(3 * rate) / rate
    bursts = (seconds % 0.5 < 0.05) * np.random.default_rng(seed).uniform(-0.9, 0.9, seconds.size)
    signal = np.sin(2 * np.pi * 180 * seconds) * 0.05 + bursts
    path.write_bytes((signal * 32767).astype(np.int16).tobytes())
    return path


def encode_once_and_for_real(seed, tmp_path):
    """The loudness and true peak of the signal encoded once, then as audiogen encodes it."""
    pcm = bursts_of_noise(seed, tmp_path / "voice.pcm")
    settings = dataclasses.replace(Settings(), bitrate=48)
    gain = settings.loudness - audio.compressed_loudness(pcm, 22050) + audio.LAME_LOSS
    audio.encode_limited(pcm, 22050, tmp_path / "once.mp3", settings, gain, settings.true_peak - 1.0)
    audio.encode(pcm, 22050, tmp_path / "voice.mp3", settings)
    return ebur128(tmp_path / "once.mp3"), ebur128(tmp_path / "voice.mp3")


def test_a_peak_the_mp3_encoder_overshoots_is_encoded_again_lower_and_as_loud(tmp_path):
    """A section of the real voice once reached -0.6 dBTP at 64 kbit/s. Here a lower limit
    brings the peaks under -1 dBTP, and gain keeps the loudness at the target."""
    (loudness_once, peak_once), (loudness, peak) = encode_once_and_for_real(3, tmp_path)
    assert peak_once > -1.0
    assert peak <= -1.0 and abs(loudness - -16) <= audio.LOUDNESS_TOLERANCE + 0.1


def test_peaks_the_limit_cannot_bring_down_are_brought_down_by_less_gain(tmp_path):
    """Here the encoder's own noise makes the peaks, whatever the limit: the true-peak ceiling
    is kept, and loudness pays for it."""
    (loudness_once, peak_once), (loudness, peak) = encode_once_and_for_real(5, tmp_path)
    assert peak_once > -1.0
    assert peak <= -1.0 and loudness_once - 2.5 < loudness < loudness_once - 0.5
