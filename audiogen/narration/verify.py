"""`audiogen verify`: an independent recogniser listens to every section.

CMU PocketSphinx (its English model ships in its wheel, so this runs offline)
transcribes each section's MP3; the word error rate against what the voice was
asked to say shows sections where speech was dropped, cut off or garbled.
"""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..audio import ffmpeg
from ..errors import AudiogenError
from ..model import Manifest

RATE = 16000
GARBLED_WER = 0.65
"""The recogniser's own errors stay under this on clean synthetic speech (0.21-0.46 on the shipped articles)."""
MISSING_SHARE = 0.5
"""Flag a section when fewer than this share of its words are heard right."""
SHORT_BY_SECONDS = 0.5
MIN_WORDS = 12
"""Below this, one misheard word swings the rate too far to judge by: only silence is flagged."""


@dataclass(frozen=True)
class SectionCheck:
    slug: str
    index: int
    title: str
    words: int
    heard: int
    """Words of the text that the recogniser heard right."""
    errors: int
    """Word-level substitutions, deletions and insertions."""
    problem: str
    """Empty when the section sounds as it should."""

    @property
    def wer(self) -> float:
        return self.errors / self.words if self.words else 0.0


def spoken_words(text: str) -> list[str]:
    """Lowercase words, dotted letters ("S.P.S.") apart, punctuation gone."""
    return re.findall(r"[a-z0-9']+", text.lower().replace(".", " ").replace("-", " "))


def recogniser():
    try:
        from pocketsphinx import Decoder
    except ImportError:
        raise AudiogenError("audiogen verify needs a speech recogniser: "
                            "pip install 'audiogen[verify]'") from None
    return Decoder(samprate=RATE, loglevel="FATAL")


DECODER = None


def transcribe(path: Path) -> tuple[str, float]:
    """What the recogniser hears in `path`, and the file's decoded length in seconds."""
    global DECODER
    if DECODER is None:
        DECODER = recogniser()
    pcm = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", str(RATE), "-"], capture_output=True).stdout
    DECODER.start_utt()
    DECODER.process_raw(pcm, full_utt=True)
    DECODER.end_utt()
    hypothesis = DECODER.hyp()
    return (hypothesis.hypstr if hypothesis else ""), len(pcm) / 2 / RATE


def alignment(reference: list[str], heard: list[str]) -> tuple[int, int]:
    """Words heard right, and word errors (substitutions, deletions, insertions)."""
    import jiwer

    if not reference:
        return 0, len(heard)
    output = jiwer.process_words(" ".join(reference), " ".join(heard))
    return output.hits, output.substitutions + output.deletions + output.insertions


def manifests(output: Path) -> list[Manifest]:
    found = []
    for path in sorted(output.glob("*/manifest.json")):
        try:
            found.append(Manifest.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, TypeError, KeyError):
            raise AudiogenError(f"{path}: not an audiogen manifest") from None
    if not found:
        raise AudiogenError(f"{output}: no narrated articles here (run audiogen build first)")
    return found


def verify(output: Path, jobs: int = 2) -> list[SectionCheck]:
    """Check every section of every article in `output`."""
    recogniser()  # fail early, and once, if the recogniser is not installed
    sections = [(manifest, section) for manifest in manifests(output) for section in manifest.sections]
    paths = [output / manifest.slug / section.file for manifest, section in sections]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        heard = list(pool.map(transcribe, paths))
    return [judge(manifest.slug, section, text, seconds)
            for (manifest, section), (text, seconds) in zip(sections, heard)]


def judge(slug: str, section, text: str, seconds: float) -> SectionCheck:
    reference = spoken_words(section.text)
    hits, errors = alignment(reference, spoken_words(text))
    judged = len(reference) >= MIN_WORDS
    if seconds < section.duration - SHORT_BY_SECONDS:
        problem = f"cut off: {seconds:.1f} s of {section.duration:.1f} s"
    elif hits == 0 or (judged and hits < MISSING_SHARE * len(reference)):
        problem = f"speech missing: heard {hits} of {len(reference)} words"
    elif judged and errors / len(reference) > GARBLED_WER:
        problem = "garbled"
    else:
        problem = ""
    return SectionCheck(slug, section.index, section.title, len(reference), hits, errors, problem)


def overall_wer(checks: list[SectionCheck]) -> float:
    words = sum(check.words for check in checks)
    return sum(check.errors for check in checks) / words if words else 0.0
