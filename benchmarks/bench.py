"""How fast audiogen is, against the floor the voice itself sets. Run by `make bench`; not a test.

1. The sample article's full build time divided by the floor's (benchmarks/floor.py: the same
   Piper voice reading the same spoken text straight to WAV, then ffmpeg to MP3), in alternating
   pairs of fresh processes; the median of the pairs.
2. A rebuild after changing one sentence, as a fraction of a full build.
3. A rebuild with nothing changed, of the shipped articles, in seconds.
4. Peak memory (RSS) of a build of a generated 50,000-word article, and of the sample.

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


def audiogen(*arguments: str, cache: Path) -> tuple[float, int]:
    return run([sys.executable, "-m", "audiogen", *arguments], {"XDG_CACHE_HOME": str(cache)})


def spoken_text(output: Path, slug: str) -> str:
    """Everything the build narrated for one article, as one text."""
    manifest = json.loads((output / slug / "manifest.json").read_text())
    return "\n".join([manifest["contents"], *(section["text"] for section in manifest["sections"])])


def floor(text_file: Path, work: Path) -> tuple[float, int]:
    return run([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(text_file), str(work / "floor")])


def full_builds(work: Path, pairs: int) -> dict:
    """Alternating pairs: floor then build, each in a fresh process with an empty cache."""
    audiogen("build", str(SAMPLE), "-o", str(work / "first"), cache=work / "first-cache")
    text_file = work / "spoken.txt"
    text_file.write_text(spoken_text(work / "first", SAMPLE.stem))
    ratios, builds, floors, rss = [], [], [], []
    for pair in range(pairs):
        floor_seconds, _ = floor(text_file, work)
        shutil.rmtree(work / "cache", ignore_errors=True)
        build_seconds, build_rss = audiogen("build", str(SAMPLE), "-o", str(work / f"out{pair}"), cache=work / "cache")
        ratios.append(build_seconds / floor_seconds)
        builds.append(build_seconds)
        floors.append(floor_seconds)
        rss.append(build_rss)
    return {"ratios": ratios, "builds": builds, "floors": floors, "sample_rss": max(rss)}


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
            for _ in range(3)]


def book(work: Path, words: int) -> dict:
    article = work / "book.md"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "book.py"), str(words), str(article)], check=True)
    seconds, rss = audiogen("build", str(article), "-o", str(work / "book"), cache=work / "book-cache")
    text_file = work / "book-spoken.txt"
    text_file.write_text(spoken_text(work / "book", "book"))
    floor_seconds, floor_rss = floor(text_file, work)
    manifest = json.loads((work / "book" / "book" / "manifest.json").read_text())
    return {"words": words, "seconds": seconds, "rss": rss, "floor_seconds": floor_seconds,
            "floor_rss": floor_rss, "audio_hours": manifest["audio"]["duration"] / 3600}


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{model}, {os.cpu_count()} cores, {memory} GiB, Python {platform.python_version()}, {platform.system()}"


def report(full: dict, edits: list[float], no_ops: list[float], big: dict | None) -> str:
    pairs = "; ".join(f"{b:.2f} s / {f:.2f} s = {r:.3f}"
                      for b, f, r in zip(full["builds"], full["floors"], full["ratios"]))
    lines = [f"Measured {datetime.date.today().isoformat()} on {machine()}.", "",
             "| Measure | Result | Goal |", "|---|---|---|",
             f"| Full build of the sample / floor (median of {len(full['ratios'])} pairs) | "
             f"{statistics.median(full['ratios']):.3f} | ≤ 1.10 |",
             f"| Rebuild after a one-sentence edit / full build (median of {len(edits)}) | "
             f"{statistics.median(edits):.3f} | ≤ 0.15 |",
             f"| No-op rebuild of the shipped articles (median of {len(no_ops)}) | "
             f"{statistics.median(no_ops):.2f} s | < 1 s |",
             f"| Peak RSS, sample build | {full['sample_rss']} MB | |"]
    if big:
        lines.append(f"| Peak RSS, {big['words']:,}-word article ({big['audio_hours']:.1f} h of audio) | "
                     f"{big['rss']} MB (floor on the same text: {big['floor_rss']} MB) | < 400 MB |")
        lines.append(f"| Build time, {big['words']:,}-word article / floor | {big['seconds']:.0f} s / "
                     f"{big['floor_seconds']:.0f} s = {big['seconds'] / big['floor_seconds']:.3f} | |")
    lines += ["", f"Pairs (build / floor): {pairs}.", "One-sentence edits: "
              + ", ".join(f"{fraction:.3f}" for fraction in edits) + ".",
              "No-op rebuilds: " + ", ".join(f"{seconds:.2f} s" for seconds in no_ops) + "."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--book-words", type=int, default=50_000, help="0 skips the book-length build")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="audiogen-bench-") as folder:
        work = Path(folder)
        full = full_builds(work, options.pairs)
        edits = one_sentence_edits(work, statistics.median(full["builds"]))
        no_ops = no_op_rebuilds(work)
        big = book(work, options.book_words) if options.book_words else None
    print(report(full, edits, no_ops, big))


if __name__ == "__main__":
    main()
