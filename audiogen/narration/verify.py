"""`audiogen verify`: an independent recogniser listens to every section.

CMU PocketSphinx (its English model ships in its wheel, so this runs offline)
transcribes each section's MP3; the word error rate against what the voice was
asked to say shows sections where speech was dropped, cut off or garbled. The same
recogniser, as a forced aligner, checks the word timings (`word_start_differences`).
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
from ..languages import primary
from ..model import Manifest

RATE = 16000
RECOGNISED_LANGUAGES = ("en",)
"""The languages of the recogniser's models (PocketSphinx's wheel ships US English)."""
GARBLED_WER = 0.65
"""The recogniser's own errors stay under this on clean synthetic speech (0.21-0.46 on the shipped articles)."""
MISSING_SHARE = 0.5
"""Flag a section when fewer than this share of its words are heard right."""
SHORT_BY_SECONDS = 0.5
MIN_WORDS = 12
"""Below this, one misheard word swings the rate too far to judge by: only silence is flagged."""
ALIGNER_FRAMES_PER_SECOND = 100
ALIGN_MARGIN = 0.25
"""Seconds of audio on each side of a sentence's cue given to the aligner."""
VTT_CUE_TIMING = re.compile(r"^(\d+):(\d\d):(\d\d\.\d{3}) --> (\d+):(\d\d):(\d\d\.\d{3})$", re.M)


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
    unchecked: str = ""
    """Why the section could not be checked (a language the recogniser does not know), if so."""

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
    pcm = decoded(path)
    DECODER.start_utt()
    DECODER.process_raw(pcm, full_utt=True)
    DECODER.end_utt()
    hypothesis = DECODER.hyp()
    return (hypothesis.hypstr if hypothesis else ""), len(pcm) / 2 / RATE


def decoded(path: Path) -> bytes:
    """`path` as 16-bit mono PCM at the recogniser's rate."""
    return subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                           "-ar", str(RATE), "-"], capture_output=True).stdout


def word_start_differences(folder: Path) -> tuple[list[float], int]:
    """For an article's folder: how far each word's start in `transcript.json` is from where
    PocketSphinx's forced alignment of the same words to the same audio puts it (seconds, the
    aligner's less ours), sentence by sentence; and how many sentences were left out (a word its
    dictionary lacks, a word written otherwise than spoken, or no alignment)."""
    manifest = Manifest.from_dict(json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
    pcm = decoded(folder / manifest.audio.file)
    segments = json.loads((folder / manifest.words).read_text(encoding="utf-8"))["segments"]
    decoder, found, left_out = recogniser(), [], 0
    for start, end in cue_spans((folder / "transcript.vtt").read_text(encoding="utf-8")):
        timed = [segment for segment in segments if start <= segment["startTime"] < end]
        words = [" ".join(spoken_words(segment["body"])) for segment in timed]
        if not words or not all(word.isalpha() for word in words) or any(
                decoder.lookup_word(word) is None for word in words):
            left_out += 1
            continue
        first = max(start - ALIGN_MARGIN, 0.0)
        starts = aligned_starts(decoder, pcm[int(first * RATE) * 2:int((end + ALIGN_MARGIN) * RATE) * 2], words)
        if starts is None:
            left_out += 1
            continue
        found += [first + aligned - segment["startTime"] for aligned, segment in zip(starts, timed)]
    return found, left_out


def cue_spans(vtt: str) -> list[tuple[float, float]]:
    """Each cue's start and end in a WebVTT file, in seconds."""
    return [(int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]),
             int(match[4]) * 3600 + int(match[5]) * 60 + float(match[6])) for match in VTT_CUE_TIMING.finditer(vtt)]


def aligned_starts(decoder, pcm: bytes, words: list[str]) -> list[float] | None:
    """Each word's start in `pcm` as the recogniser aligns it, or None if it cannot."""
    decoder.set_align_text(" ".join(words))
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    found = [segment for segment in decoder.seg() if segment.word not in ("<s>", "</s>", "<sil>", "(NULL)")]
    if [re.sub(r"\(\d+\)$", "", segment.word) for segment in found] != words:
        return None
    return [segment.start_frame / ALIGNER_FRAMES_PER_SECOND for segment in found]


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
    """Check every section of every article in `output` whose language the recogniser knows;
    the others are reported as not checked."""
    recogniser()  # fail early, and once, if the recogniser is not installed
    everything = [(manifest, section) for manifest in manifests(output) for section in manifest.sections]
    sections = [(manifest, section) for manifest, section in everything
                if primary(manifest.language) in RECOGNISED_LANGUAGES]
    paths = [output / manifest.slug / section.file for manifest, section in sections]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        heard = dict(zip(map(id, (section for _, section in sections)), pool.map(transcribe, paths)))
    return [judge(manifest.slug, section, *heard[id(section)]) if id(section) in heard else
            SectionCheck(manifest.slug, section.index, section.title, len(spoken_words(section.text)), 0, 0, "",
                         f"no recogniser for {primary(manifest.language)}")
            for manifest, section in everything]


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
    """The word error rate over the sections that were checked."""
    words = sum(check.words for check in checks if not check.unchecked)
    return sum(check.errors for check in checks if not check.unchecked) / words if words else 0.0
