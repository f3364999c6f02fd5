"""PCM to loudness-normalised, constant-bit-rate MP3, with the ffmpeg of imageio-ffmpeg.

A file is normalised as a whole, never sentence by sentence (levelling each
sentence makes speech pump): a compressor evens out the voice, one gain brings
the whole file to the target loudness, and a limiter keeps true peaks down.
The frames are written with no Xing header and no tag, so that files made of
them can be joined byte for byte: a full episode is its sections, concatenated.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import threading
import warnings
from functools import lru_cache
from pathlib import Path

import imageio_ffmpeg

from .config import Settings
from .errors import EncodingError

log = logging.getLogger(__name__)

SAMPLE_RATE = 44100
SAMPLES_PER_FRAME = 1152
AAC_SAMPLE_RATE = 22050
"""The audiobooks' rate: the voices' own (MP3 runs at 44.1 kHz only for its bit rates)."""
AAC_MOST_BITRATE = 48
"""kbit/s beyond which AAC-LC adds nothing to mono speech at 22.05 kHz."""
ENCODER_DELAY = 1105 / SAMPLE_RATE
"""LAME's delay plus the decoder's: every file starts this much later than its PCM."""
COMPRESSOR = "acompressor=threshold=-30dB:ratio=4:attack=2:release=50"
SILENCE_LUFS = -60.0
TRUE_PEAK_METER = "ebur128=framelog=quiet:peak=true"
"""Loudness and true peak (the signal oversampled four times, as ITU-R BS.1770 measures it) in one
filter: what the tests and podcast tools measure with (a separate 4x resampler cost as much again)."""
PEAK_MARGIN = 0.2
"""dB kept below the true-peak target, for the meter's rounding and the joins of a full episode."""
LAME_LOSS = 0.4
"""dB of loudness LAME's encoding takes at these bit rates (measured: 0.3 to 0.5), given in advance."""
LOUDNESS_TOLERANCE = 0.5
"""dB an encoded file may be from the target before it is encoded again with the gain corrected."""
LIMIT_ATTEMPTS = 4
"""Encodings that may lower the limiter before the gain is lowered instead."""
MOST_CORRECTION = 4.0
"""dB the gain may move from its first estimate to meet the loudness target (the limiter and LAME
take 0.3 to 2 dB from speech)."""
LOUDNESS_ATTEMPTS = 8
"""Encodings after which a file whose peaks fit is kept, however far its loudness is from the target."""
GAIN_STEP_GROWTH = 0.5
"""dB each step of lowering the gain adds to the one before, so that peaks that do not fall in
step with the gain (the encoder's noise) are brought under the ceiling all the same."""
MOST_ATTEMPTS = 40
"""A bound that is never met: after the limit's 4 attempts, 36 growing steps lower the gain by
more than 300 dB, which any peak fits under."""


@lru_cache(maxsize=1)
def ffmpeg() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


@lru_cache(maxsize=1)
def pydub_audio_segment():
    """pydub's AudioSegment, pointed at the bundled ffmpeg (no system install needed)."""
    with warnings.catch_warnings():
        # pydub looks for ffmpeg on PATH when imported and warns that it is not there.
        warnings.filterwarnings("ignore", message="Couldn't find ff", category=RuntimeWarning)
        from pydub import AudioSegment
    AudioSegment.converter = ffmpeg()
    return AudioSegment


def decode_mp3(data: bytes):
    """MP3 bytes as a pydub AudioSegment. Naming the codec spares pydub a call to
    ffprobe, which imageio-ffmpeg does not ship."""
    return pydub_audio_segment().from_file(io.BytesIO(data), format="mp3", codec="mp3")


def run_ffmpeg(*arguments: str, feed: tuple[Path, ...] = ()) -> str:
    """Run ffmpeg, the files of `feed` (if any) one after another on its input; return what it
    printed. ffmpeg exits 0 on some errors, so stderr counts too."""
    with tempfile.TemporaryFile() as printed:  # a file, not a pipe: nothing waits on it while feeding
        process = subprocess.Popen([ffmpeg(), "-hide_banner", *([] if feed else ["-nostdin"]), "-nostats",
                                    *arguments], stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=printed)
        with RUNNING_LOCK:
            RUNNING.add(process)
        try:
            if feed:
                copy_into(feed, process.stdin)
            process.wait()
        finally:
            if process.poll() is None:  # interrupted while feeding
                process.kill()
            with RUNNING_LOCK:
                RUNNING.discard(process)
        printed.seek(0)
        report = printed.read().decode("utf-8", errors="replace")
    if process.returncode != 0:
        last_line = (report.strip().splitlines() or ["no message"])[-1]
        raise EncodingError(f"ffmpeg could not encode: {last_line}")
    return report


def copy_into(paths: tuple[Path, ...], pipe) -> None:
    try:
        for path in paths:
            with path.open("rb") as source:
                shutil.copyfileobj(source, pipe, 1 << 20)
        pipe.close()
    except BrokenPipeError:  # ffmpeg stopped reading: what it printed says why
        pass


def encode_aac(mp3_frames: tuple[Path, ...], chapters: Path, bitrate: int, m4b: Path) -> None:
    """MP3 frames (the files of `mp3_frames`, heard one after another) as AAC-LC, mono, at the
    voices' own 22.05 kHz, in an MPEG-4 audiobook with the chapters of the ffmetadata file
    `chapters`. Nothing is measured or levelled again: the frames are at the loudness norm.
    ffmpeg's fast AAC coder: three times the speed of its default, which speech does not need."""
    run_ffmpeg("-v", "error", "-f", "mp3", "-i", "pipe:0", "-i", str(chapters), "-map", "0:a",
               "-map_metadata", "1", "-map_chapters", "1", "-c:a", "aac", "-aac_coder", "fast",
               "-b:a", f"{bitrate}k", "-ar", str(AAC_SAMPLE_RATE), "-ac", "1",
               "-brand", "M4B ", "-movflags", "+faststart", "-f", "ipod", "-y", str(m4b), feed=mp3_frames)


RUNNING: set[subprocess.Popen] = set()
RUNNING_LOCK = threading.Lock()


def stop_encoders() -> None:
    """Stop every ffmpeg under way (when the build is interrupted), so that it ends at once."""
    with RUNNING_LOCK:
        for process in RUNNING:
            process.kill()


def raw_input(pcm: Path, sample_rate: int) -> list[str]:
    return ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", str(pcm)]


def integrated_loudness(report: str) -> float:
    """The integrated loudness in the summary ffmpeg's ebur128 filter printed."""
    summary = report[report.rfind("Summary:"):]
    match = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    return float(match.group(1)) if match and match.group(1) != "-inf" else float("-inf")


def true_peak(report: str) -> float:
    """The true peak in the summary ffmpeg's ebur128 filter printed (dBFS; -inf for silence)."""
    summary = report[report.rfind("Summary:"):]
    match = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return float(match.group(1)) if match and match.group(1) != "-inf" else float("-inf")


def compressed_loudness(pcm: Path, sample_rate: int) -> float:
    """Integrated loudness (ITU-R BS.1770, ffmpeg's ebur128) of the compressed voice."""
    return integrated_loudness(run_ffmpeg(*raw_input(pcm, sample_rate), "-af",
                                          f"{COMPRESSOR},ebur128=framelog=quiet", "-f", "null", "-"))


def encode(pcm: Path, sample_rate: int, mp3: Path, settings: Settings) -> None:
    """Encode raw 16-bit mono PCM into headerless CBR MP3 frames at `settings.loudness`,
    with true peaks at most `settings.true_peak`.

    The encoded frames are decoded in the same ffmpeg run and measured. MP3's quantisation
    can lift a peak past the limiter (once in a while by well over a decibel at 64 kbit/s),
    and the limiter can take loudness from a short, dense file: either way the file is
    encoded again, with a lower limit or a corrected gain. Where the encoder's own noise
    makes the peaks, they do not fall with the limit (at low bit rates, often): only less
    gain brings them down, in steps that grow until the peaks fit, and then the true-peak
    ceiling wins over loudness (`--debug` tells of each attempt).
    """
    loudness = compressed_loudness(pcm, sample_rate)
    first_gain = gain = settings.loudness - loudness + LAME_LOSS if loudness > SILENCE_LUFS else 0.0
    # The limiter works on samples, so it is set a decibel below the target for the peaks between them.
    limit = settings.true_peak - 1.0
    ceiling = settings.true_peak - PEAK_MARGIN
    peak_bound = False
    for attempt in range(MOST_ATTEMPTS):
        peak, measured = encode_limited(pcm, sample_rate, mp3, settings, gain, limit)
        if peak > ceiling:
            if attempt < LIMIT_ATTEMPTS:
                limit -= overshoot(peak, ceiling)
            else:
                gain, peak_bound = gain - overshoot(peak, ceiling) - GAIN_STEP_GROWTH * (attempt - LIMIT_ATTEMPTS), True
            log.debug("%s: true peak %.2f dBTP at %d kbit/s is over %.2f; encoding again with the limit at "
                      "%.2f dBFS and the gain at %+.2f dB", pcm.name, peak, settings.bitrate, ceiling, limit, gain)
            continue
        # Under the silence gate (or shorter than the 0.4 s a loudness is measured over) there is
        # no loudness to chase; nor past what the encoder can take (a tone its low-pass removes).
        corrected = min(max(gain + settings.loudness - measured, first_gain - MOST_CORRECTION),
                        first_gain + MOST_CORRECTION) if measured > SILENCE_LUFS else gain
        if (abs(corrected - gain) <= LOUDNESS_TOLERANCE or (peak_bound and corrected > gain)
                or attempt >= LOUDNESS_ATTEMPTS):
            if peak_bound:
                log.debug("%s: true peak %.2f dBTP kept under the ceiling at %.1f LUFS (less gain)",
                          pcm.name, peak, measured)
            return
        gain = corrected
    raise EncodingError(f"ffmpeg could not keep true peaks under {settings.true_peak} dBTP "
                        f"in {MOST_ATTEMPTS} encodings (the last peaked at {peak:.2f} dBTP)")


def overshoot(peak: float, ceiling: float) -> float:
    """How far to lower a level so that `peak` lands a margin under `ceiling`."""
    return max(peak - (ceiling - PEAK_MARGIN), 0.0)


def encode_limited(pcm: Path, sample_rate: int, mp3: Path, settings: Settings, gain: float,
                   limit: float) -> tuple[float, float]:
    """Encode with the limiter at `limit` dBFS; return the true peak and integrated loudness
    of the decoded frames."""
    chain = (f"{COMPRESSOR},volume={gain:.2f}dB,aresample={SAMPLE_RATE},"
             f"alimiter=limit={10 ** (limit / 20):.4f}:attack=1:release=20:level=false")
    report = run_ffmpeg(*raw_input(pcm, sample_rate), "-filter_complex", f"[0:a]{chain}[limited]",
                        "-map", "[limited]", "-ac", "1", "-c:a", "libmp3lame", "-b:a", f"{settings.bitrate}k",
                        "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "-y", str(mp3),
                        # A loopback decoder reads back what was just encoded, in the same run.
                        "-dec", "0:0", "-filter_complex",
                        f"[dec:0]{TRUE_PEAK_METER}[measured]",
                        "-map", "[measured]", "-f", "null", "-")
    return true_peak(report), integrated_loudness(report)


def frames_duration(size: int, bitrate: int) -> float:
    """Seconds of audio in `size` bytes of CBR frames at 44.1 kHz.

    A CBR frame is 144 * bitrate / rate bytes on average (LAME pads some by one
    byte to keep that exact), so the frame count is the nearest whole number.
    """
    frames = round(size / (144 * bitrate * 1000 / SAMPLE_RATE))
    return frames * SAMPLES_PER_FRAME / SAMPLE_RATE


def resampled(pcm: bytes, rate: int, wanted: int) -> bytes:
    """16-bit mono PCM at `rate` as PCM at `wanted` (a passage read by a voice of another rate)."""
    if rate == wanted:
        return pcm
    segment = pydub_audio_segment()(data=pcm, sample_width=2, frame_rate=rate, channels=1)
    return segment.set_frame_rate(wanted).raw_data


def silence(seconds: float, sample_rate: int) -> bytes:
    return bytes(2 * round(seconds * sample_rate))


@lru_cache(maxsize=4)
def earcon(sample_rate: int) -> bytes:
    """A soft two-note chime (A5 then E6, 0.35 s), the same at every section boundary."""
    pydub_audio_segment()
    from pydub.generators import Sine

    first = Sine(880, sample_rate=sample_rate).to_audio_segment(duration=140, volume=-30)
    second = Sine(1318.5, sample_rate=sample_rate).to_audio_segment(duration=210, volume=-32)
    chime = first.fade_in(10).fade_out(60) + second.fade_in(10).fade_out(150)
    return chime.set_channels(1).set_sample_width(2).raw_data
