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

from audiogen.narration.verify import cue_spans, word_start_differences

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "articles" / "stem-cell-miracle.txt"
VTT_WORD_TIME = re.compile(r"<\d{2}:\d{2}:\d{2}\.\d{3}>")


def built(article: Path, output: Path) -> Path:
    subprocess.run([sys.executable, "-m", "audiogen", "build", str(article), "-o", str(output)], check=True,
                   capture_output=True)
    return next(output.glob("*/manifest.json")).parent


def cost(folder: Path) -> dict:
    """What word timings add: seconds to map them and write them, and bytes on disk."""
    from audiogen.model import Cue, Word
    from audiogen.narration.words import written_words
    from audiogen.podcast import transcripts

    segments = json.loads((folder / "transcript.json").read_text())["segments"]
    vtt = (folder / "transcript.vtt").read_text()
    sentences = cue_spans(vtt)
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
        found, left_out = word_start_differences(folder)
        absolute = sorted(abs(difference) for difference in found)
        sentences = len(cue_spans((folder / "transcript.vtt").read_text()))
        report = {"words": len(found), "sentences": sentences - left_out, "sentences_left_out": left_out,
                  "median_ms": round(1000 * statistics.median(absolute)),
                  "p90_ms": round(1000 * absolute[int(0.9 * (len(absolute) - 1))]),
                  "mean_signed_ms": round(1000 * statistics.mean(found)), "cost": cost(folder)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
