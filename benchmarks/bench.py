"""How fast audiogen is, against the floor the voice itself sets. Run by `make bench`; not a test.

1. The sample article's full build time divided by the floor's (benchmarks/floor.py: the same
   Piper voice reading the same spoken text straight to WAV, then ffmpeg to MP3), in alternating
   rounds of fresh processes (floor, build, build with every sentence run whole as stock Piper
   runs it), each build from an empty cache; the medians. The voice as audiogen runs it is made
   by a first build before the rounds, once, as on a producer's machine.
2. A rebuild after changing one sentence, as a fraction of a full build.
3. A rebuild with nothing changed, of the shipped articles, and `audiogen --help`, in seconds.
4. Peak memory (RSS) of builds of the sample and of a generated 50,000-word article, with the
   voice in two parts and whole; the time the 50,000-word article's talking books (EPUB and
   DAISY) take to write, as a fraction of its build.
5. The voice's quality gate (benchmarks/voice.py): audiogen's voice against stock Piper on the
   sample's sentences, noise off: sample differences, at the joins too, log-spectral distance,
   and a recogniser's word error rate on each.

Prints Markdown for docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "articles" / "stem-cell-miracle.txt"
EDITS = [("Several research studies", "Many research studies"),
         ("Real-life stories", "True stories"),
         ("Despite the encouraging progress", "Despite the good progress")]


def run(command: list[str], environment: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of a command in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, **(environment or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def audiogen(*arguments: str, cache: Path, whole: bool = False) -> tuple[float, int]:
    """audiogen in a fresh process, with a cache of its own and the user's data (the voice as
    audiogen runs it, made by the first build) beside it."""
    environment = {"XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(cache.parent / "data"),
                   **({"AUDIOGEN_WHOLE_VOICE": "1"} if whole else {})}
    return run([sys.executable, "-m", "audiogen", *arguments], environment)


def empty_cache(cache: Path) -> None:
    """No speech and no encodings in the cache."""
    for kind in ("speech", "audio", "tmp"):
        shutil.rmtree(cache / "audiogen" / kind, ignore_errors=True)


def spoken_text(output: Path, slug: str) -> str:
    """Everything the build narrated for one article, as one text."""
    manifest = json.loads((output / slug / "manifest.json").read_text())
    return "\n".join([manifest["contents"], *(section["text"] for section in manifest["sections"])])


def floor(text_file: Path, work: Path) -> tuple[float, int]:
    return run([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(text_file), str(work / "floor")])


def full_builds(work: Path, rounds: int) -> dict:
    """Alternating rounds: the floor, then a build, then a build with the voice whole, each in a
    fresh process with no speech in its cache."""
    audiogen("build", str(SAMPLE), "-o", str(work / "first"), cache=work / "cache")
    text_file = work / "spoken.txt"
    text_file.write_text(spoken_text(work / "first", SAMPLE.stem))
    found = {"floors": [], "builds": [], "wholes": [], "rss": [], "whole_rss": []}
    for number in range(rounds):
        found["floors"].append(floor(text_file, work)[0])
        for whole, times, rss in ((False, "builds", "rss"), (True, "wholes", "whole_rss")):
            empty_cache(work / "cache")
            seconds, peak = audiogen("build", str(SAMPLE), "-o", str(work / f"out{number}{whole}"),
                                     cache=work / "cache", whole=whole)
            found[times].append(seconds)
            found[rss].append(peak)
    found["ratios"] = [build / floor_ for build, floor_ in zip(found["builds"], found["floors"])]
    found["whole_ratios"] = [build / floor_ for build, floor_ in zip(found["wholes"], found["floors"])]
    return found


def one_sentence_edits(work: Path, full_seconds: float) -> list[float]:
    """Rebuild after changing one sentence, warm cache, as a fraction of a full build."""
    folder = work / "edits"
    folder.mkdir()
    article = folder / SAMPLE.name
    text = SAMPLE.read_text()
    article.write_text(text)
    audiogen("build", str(article), "-o", str(folder / "out"), cache=work / "cache")
    fractions = []
    for old, new in EDITS:
        article.write_text(text.replace(old, new, 1))
        seconds, _ = audiogen("build", str(article), "-o", str(folder / "out"), cache=work / "cache")
        fractions.append(seconds / full_seconds)
        article.write_text(text)
        audiogen("build", str(article), "-o", str(folder / "out"), cache=work / "cache")
    return fractions


def no_op_rebuilds(work: Path) -> list[float]:
    output = work / "shipped"
    audiogen("build", str(ROOT / "articles"), "-o", str(output), cache=work / "cache")
    return [audiogen("build", str(ROOT / "articles"), "-o", str(output), cache=work / "cache")[0]
            for _ in range(5)]


def help_runs(work: Path) -> list[float]:
    return [audiogen("--help", cache=work / "cache")[0] for _ in range(5)]


def book(work: Path, words: int) -> dict:
    article = work / "book.md"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "book.py"), str(words), str(article)], check=True)
    found = {"words": words}
    for whole in (False, True):
        cache = work / ("book-whole-cache" if whole else "book-cache")
        found["whole" if whole else "split"] = audiogen("build", str(article), "-o", str(work / f"book{whole}"),
                                                        cache=cache, whole=whole)
    found.update(packaging(work / "bookFalse", article, work / "book-cache"))
    found["m4b"] = m4b_seconds(work / "bookFalse" / "book")
    text_file = work / "book-spoken.txt"
    text_file.write_text(spoken_text(work / "bookFalse", "book"))
    found["floor"] = floor(text_file, work)
    manifest = json.loads((work / "bookFalse" / "book" / "manifest.json").read_text())
    found["audio_hours"] = manifest["audio"]["duration"] / 3600
    return found


def packaging(output: Path, article: Path, cache: Path) -> dict:
    """Seconds to write an article's talking books: a rebuild with them deleted, less a rebuild
    that writes nothing but the SubRip transcript (deleted, so that the build runs whole rather
    than finding nothing to do); medians of 3."""
    with_books, nothing = [], []
    for _ in range(3):
        for path in [*output.glob("*/*.epub"), *output.glob("*/*-daisy.zip")]:
            path.unlink()
        shutil.rmtree(output / "book" / "daisy", ignore_errors=True)
        with_books.append(audiogen("build", str(article), "-o", str(output), cache=cache)[0])
        (output / "book" / "transcript.srt").unlink()
        nothing.append(audiogen("build", str(article), "-o", str(output), cache=cache)[0])
    return {"packaging": statistics.median(with_books) - statistics.median(nothing)}


def m4b_seconds(folder: Path) -> float:
    """Seconds to make the article's M4B from its episode (audiobook.write: the AAC encoding,
    chapters, tags), in this process."""
    from audiogen.books import audiobook
    from audiogen.model import Manifest
    from audiogen.podcast.chapters import chapter_list
    from audiogen.podcast.cover import cover

    manifest = Manifest.from_dict(json.loads((folder / "manifest.json").read_text()))
    book = audiobook.Audiobook(manifest.title, manifest.author, manifest.voice, "2026", manifest.description,
                               tuple(chapter_list(manifest.sections, manifest.audio.duration)),
                               (folder / manifest.audio.file,), cover("", manifest.title))
    started = time.monotonic()
    audiobook.write(book, 64, folder / "timed.m4b")
    return time.monotonic() - started


def voice_gate(work: Path) -> dict:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "voice.py"), str(work / "spoken.txt")],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{model}, {os.cpu_count()} cores, {memory} GiB, Python {platform.python_version()}, {platform.system()}"


def report(full: dict, edits: list[float], no_ops: list[float], helps: list[float], big: dict | None,
           gate: dict) -> str:
    rounds = "; ".join(f"{floor:.2f} / {build:.2f} / {whole:.2f} s"
                       for floor, build, whole in zip(full["floors"], full["builds"], full["wholes"]))
    median = statistics.median
    lines = [f"Measured {datetime.date.today().isoformat()} on {machine()}.", "",
             "| Measure | Before (voice whole) | After (voice in two parts) | Goal |", "|---|---|---|---|",
             f"| Full build of the sample / floor (median of {len(full['ratios'])} rounds) | "
             f"{median(full['whole_ratios']):.3f} | {median(full['ratios']):.3f} | ≤ 1.05 |",
             f"| Peak RSS, sample build | {max(full['whole_rss'])} MB | {max(full['rss'])} MB | < 300 MB |"]
    if big:
        lines += [f"| Peak RSS, {big['words']:,}-word article ({big['audio_hours']:.1f} h of audio) | "
                  f"{big['whole'][1]} MB | {big['split'][1]} MB (floor: {big['floor'][1]} MB) | < 400 MB (300) |",
                  f"| Build time, {big['words']:,}-word article / floor | {big['whole'][0] / big['floor'][0]:.3f} | "
                  f"{big['split'][0] / big['floor'][0]:.3f} ({big['split'][0]:.0f} s / {big['floor'][0]:.0f} s) | |",
                  f"| Writing its EPUB and DAISY books / its build | | {big['packaging']:.1f} s = "
                  f"{100 * big['packaging'] / big['split'][0]:.2f}% | < 3% |",
                  f"| Making its M4B audiobook / its build | | {big['m4b']:.1f} s = "
                  f"{100 * big['m4b'] / big['split'][0]:.2f}% | < 3% |"]
    lines += [f"| Rebuild after a one-sentence edit / full build (median of {len(edits)}) | | "
              f"{median(edits):.3f} | ≤ 0.15 |",
              f"| No-op rebuild of the shipped articles (median of {len(no_ops)}) | | {median(no_ops):.2f} s | "
              "< 0.4 s |",
              f"| `audiogen --help` (median of {len(helps)}) | | {median(helps):.2f} s | < 0.2 s |",
              "", "Quality gate, the sample's sentences with the voice's noise off, audiogen's voice against "
              f"stock Piper ({gate['sentences']} sentences): largest sample difference {gate['largest_difference']} "
              f"in 32767 ({gate['at_joins']} within 10 ms of a join), level {gate['level_db']} dB, length "
              f"{gate['length_samples']} samples apart, log-spectral distance {gate['log_spectral_distance_db']} dB; "
              f"recogniser word error rate {gate['wer_stock']} (stock) and {gate['wer_new']} (audiogen).",
              "", f"Rounds (floor / build / build with the voice whole): {rounds}.", "One-sentence edits: "
              + ", ".join(f"{fraction:.3f}" for fraction in edits) + ".",
              "No-op rebuilds: " + ", ".join(f"{seconds:.2f} s" for seconds in no_ops) + ".",
              "`--help`: " + ", ".join(f"{seconds:.2f} s" for seconds in helps) + "."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--book-words", type=int, default=50_000, help="0 skips the book-length builds")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="audiogen-bench-") as folder:
        work = Path(folder)
        full = full_builds(work, options.rounds)
        edits = one_sentence_edits(work, statistics.median(full["builds"]))
        no_ops, helps = no_op_rebuilds(work), help_runs(work)
        gate = voice_gate(work)
        big = book(work, options.book_words) if options.book_words else None
    print(report(full, edits, no_ops, helps, big, gate))


if __name__ == "__main__":
    main()
