"""How close audiogen's word timings (from the voice's own phoneme durations) are to an
independent aligner's: PocketSphinx's forced alignment of the same audio and the same words.

    python benchmarks/alignment.py [ARTICLE]     (default: the sample article)

Builds the article (from the cache when it is warm), then, sentence by sentence, has PocketSphinx
align the sentence's words to its clip of the episode and compares each word's start with the
one in `transcript.json`. Sentences with a word PocketSphinx's dictionary lacks, or whose words
as written are not the words spoken (numbers, abbreviations), are left out and counted. Prints
the median and 90th percentile of the differences, and what word timings cost: the time to map
the voice's timings to the written words and write them out, and the bytes they add.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from pocketsphinx import Decoder

from audiogen.audio import ffmpeg

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "articles" / "stem-cell-miracle.txt"
RATE = 16000
FRAMES_PER_SECOND = 100
MARGIN = 0.25
"""Seconds of audio on each side of a sentence's cue given to the aligner."""
VTT_WORD_TIME = re.compile(r"<\d{2}:\d{2}:\d{2}\.\d{3}>")


def built(article: Path, output: Path) -> Path:
    subprocess.run([sys.executable, "-m", "audiogen", "build", str(article), "-o", str(output)], check=True,
                   capture_output=True)
    return next(output.glob("*/manifest.json")).parent


def decoded(mp3: Path) -> np.ndarray:
    pcm = subprocess.run([ffmpeg(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype=np.int16)


def seconds(stamp: str) -> float:
    clock, millis = stamp.split(".")
    hours, minutes, rest = map(int, clock.split(":"))
    return hours * 3600 + minutes * 60 + rest + int(millis) / 1000


def cues(vtt: str) -> list[tuple[float, float]]:
    found = []
    for block in vtt.split("\n\n")[1:]:
        timing = block.splitlines()[1]
        found.append(tuple(seconds(part) for part in timing.split(" --> ")))
    return found


def plain(word: str) -> str:
    return re.sub(r"[^a-z']", "", word.lower()).strip("'")


def aligned_starts(decoder: Decoder, clip: np.ndarray, words: list[str]) -> list[float] | None:
    """Each word's start in the clip as PocketSphinx aligns it, or None if it cannot."""
    decoder.set_align_text(" ".join(words))
    decoder.start_utt()
    decoder.process_raw(clip.tobytes(), full_utt=True)
    decoder.end_utt()
    found = [segment for segment in decoder.seg() if segment.word not in ("<s>", "</s>", "<sil>", "(NULL)")]
    if [re.sub(r"\(\d+\)$", "", segment.word) for segment in found] != words:
        return None
    return [segment.start_frame / FRAMES_PER_SECOND for segment in found]


def differences(folder: Path) -> tuple[list[float], int, int]:
    manifest = json.loads((folder / "manifest.json").read_text())
    audio = decoded(folder / manifest["audio"]["file"])
    segments = json.loads((folder / "transcript.json").read_text())["segments"]
    decoder = Decoder(samprate=RATE)
    found, left_out, sentences = [], 0, cues((folder / "transcript.vtt").read_text())
    for start, end in sentences:
        timed = [segment for segment in segments if start <= segment["startTime"] < end]
        words = [plain(segment["body"]) for segment in timed]
        if not words or not all(words) or any(decoder.lookup_word(word) is None for word in words):
            left_out += 1
            continue
        first = max(start - MARGIN, 0.0)
        clip = audio[int(first * RATE):int((end + MARGIN) * RATE)]
        starts = aligned_starts(decoder, clip, words)
        if starts is None:
            left_out += 1
            continue
        found += [first + aligned - segment["startTime"] for aligned, segment in zip(starts, timed)]
    return found, len(sentences) - left_out, left_out


def cost(folder: Path) -> dict:
    """What word timings add: seconds to map them and write them, and bytes on disk."""
    from audiogen.model import Cue, Word
    from audiogen.narration.words import written_words
    from audiogen.podcast import transcripts

    segments = json.loads((folder / "transcript.json").read_text())["segments"]
    vtt = (folder / "transcript.vtt").read_text()
    sentences = cues(vtt)
    timed = [[segment for segment in segments if start <= segment["startTime"] < end] for start, end in sentences]
    started = time.perf_counter()
    for words in timed:
        text = " ".join(segment["body"] for segment in words)
        written_words(text, text, tuple((segment["startTime"], segment["endTime"]) for segment in words), 0.0)
    cue_list = [Cue(start, end, " ".join(s["body"] for s in words),
                    tuple(Word(s["startTime"], s["endTime"], s["body"]) for s in words))
                for (start, end), words in zip(sentences, timed)]
    transcripts.json_transcript(cue_list)
    transcripts.webvtt(cue_list)
    seconds_spent = time.perf_counter() - started
    page = (folder / "index.html").read_text()
    return {"seconds": seconds_spent, "words": len(segments),
            "json_bytes": (folder / "transcript.json").stat().st_size,
            "vtt_bytes_added": len(vtt.encode()) - len(VTT_WORD_TIME.sub("", vtt).encode()),
            "page_bytes_added": sum(len(match.encode()) for match in re.findall(r' data-words="[^"]*"', page))}


def main() -> None:
    article = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    with tempfile.TemporaryDirectory() as work:
        folder = built(article, Path(work) / "output")
        found, used, left_out = differences(folder)
        absolute = sorted(abs(difference) for difference in found)
        report = {"words": len(found), "sentences": used, "sentences_left_out": left_out,
                  "median_ms": round(1000 * statistics.median(absolute)),
                  "p90_ms": round(1000 * absolute[int(0.9 * (len(absolute) - 1))]),
                  "mean_signed_ms": round(1000 * statistics.mean(found)), "cost": cost(folder)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
