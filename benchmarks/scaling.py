"""audiogen on a Dask cluster, on this machine. Run by `make bench-scaling`; not a test.

1. The sample article built locally, on `--scheduler local:2` (a LocalCluster started by the
   build, as a user would run it) and on an already running 2-worker LocalCluster, alternating
   rounds of fresh processes with no speech in the cache; the medians, and the overhead.
2. Per-task scheduling overhead: a task carrying a real section's script and settings that
   renders nothing, submitted and gathered many times.
3. A generated catalogue of short articles (every sentence new) built locally and on the running
   2-worker cluster: throughput, each worker's sections, audio seconds, CPU seconds and peak
   memory (from the scheduler's task stream and each worker process's resource usage), and the
   CPU seconds the building machine spends per article.
4. What writing the show's feed and page costs at 10,000 articles (the catalogue's manifests,
   copied), as they grow with the catalogue.

Prints Markdown for docs/scaling.md, then a JSON line with the raw numbers for a projection.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from bench import SAMPLE, audiogen, empty_cache, machine
from distributed import Client, LocalCluster, get_task_stream

from audiogen import config
from audiogen.build import read, script_writer
from audiogen.layout import read_manifest
from audiogen.narration.voices import Voices
from audiogen.reading.sources import FileOrigin
from audiogen.show import PUBLISH_SECONDS, Show
from audiogen.speech.lexicon import Lexicons


def with_cache(work: Path, cache: Path, voice_threads: int = 0) -> list[str]:
    """Options naming `cache` in a settings file, so that the running cluster's workers use it too,
    and the threads each voice computes on (0: one per core)."""
    settings = work / f"{cache.name}-{voice_threads}.toml"
    settings.write_text(f'cache_dir = "{cache / "audiogen"}"\nvoice_threads = {voice_threads}\n')
    return ["--config", str(settings)]


def sample_builds(work: Path, scheduler: str, rounds: int) -> dict[str, list[float]]:
    found = {"local": [], "local:2": [], "running": []}
    for number in range(rounds):
        for name, options in (("local", with_cache(work, work / "cache")),
                              ("local:2", ["--scheduler", "local:2", *with_cache(work, work / "cache")]),
                              ("running", ["--scheduler", scheduler, *with_cache(work, work / "cache", 1)])):
            empty_cache(work / "cache")
            found[name].append(audiogen("build", str(SAMPLE), "-o", str(work / f"sample-{name}-{number}"), *options,
                                        cache=work / "cache")[0])
    return found


def nothing(script, language, settings, version) -> int:
    """A task as heavy to send as a section's rendering, that renders nothing."""
    return len(script.heard)


def task_overhead(client: Client, count: int) -> float:
    """Seconds per task, submitted and gathered in batches as a build does."""
    settings = config.load(None)
    voices = Voices(settings)
    article = read(FileOrigin(SAMPLE), settings)
    writer, _ = script_writer(article, settings, voices, Lexicons())
    scripts = [writer.section(section) for section in article.sections]
    started = time.perf_counter()
    tasks = [client.submit(nothing, scripts[n % len(scripts)], "en", settings, str(n), pure=False)
             for n in range(count)]
    client.gather(tasks)
    return (time.perf_counter() - started) / count


def catalogue(folder: Path, count: int) -> Path:
    """`count` short articles of three sections made of the sample's sentences, each sentence
    given its article's number so that every one is synthesised afresh."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(SAMPLE.read_text().split()[20:])) if len(s) > 30]
    folder.mkdir(parents=True)
    for number in range(1, count + 1):
        picked = [sentences[(number * 7 + offset) % len(sentences)] for offset in range(6)]
        parts = [f"In item {number}, {sentence[0].lower()}{sentence[1:]}" for sentence in picked]
        (folder / f"item-{number:04}.md").write_text(
            f"---\ntitle: Catalogue item {number}\ndate: 2025-01-{1 + number % 28:02}\n---\n\n"
            f"{parts[0]} {parts[1]}\n\n## Findings\n\n{parts[2]} {parts[3]}\n\n## Next\n\n{parts[4]} {parts[5]}\n")
    return folder


def worker_usage() -> dict:
    """This worker process's CPU seconds (with its ffmpeg children's) and peak memory."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
            "rss_mb": own.ru_maxrss // 1024}


def catalogue_builds(work: Path, client: Client, articles: Path) -> dict:
    local = audiogen("build", str(articles), "-o", str(work / "catalogue-local"),
                     *with_cache(work, work / "local-cache"), cache=work / "local-cache")
    before, client_before = client.run(worker_usage), children_cpu()
    with get_task_stream(client) as stream:
        seconds, client_rss = audiogen("build", str(articles), "-o", str(work / "catalogue-cluster"),
                                       "--scheduler", client.scheduler.address,
                                       *with_cache(work, work / "cluster-cache", 1), cache=work / "cluster-cache")
    after, client_cpu = client.run(worker_usage), children_cpu() - client_before
    workers = {}
    for task in stream.data:
        if not task["key"].startswith("section-"):
            continue
        timing = work / "cluster-cache" / "audiogen" / "audio" / task["key"][8:10] / f"{task['key'][8:]}.json"
        worker = workers.setdefault(task["worker"], {"sections": 0, "audio": 0.0, "compute": []})
        worker["sections"] += 1
        worker["audio"] += json.loads(timing.read_text())["duration"]
        worker["compute"] += [stop - start for part, start, stop in
                              ((s["action"], s["start"], s["stop"]) for s in task["startstops"]) if part == "compute"]
    for address, worker in workers.items():
        worker["cpu"] = after[address]["cpu"] - before[address]["cpu"]
        worker["rss_mb"] = after[address]["rss_mb"]
    audio = sum(json.loads(path.read_text())["audio"]["duration"]
                for path in (work / "catalogue-cluster").glob("*/manifest.json"))
    return {"local": local[0], "local_rss_mb": local[1], "cluster": seconds, "client_rss_mb": client_rss,
            "client_cpu": client_cpu, "audio": audio, "workers": workers}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def show_files_seconds(output: Path, count: int) -> float:
    """Seconds to make the show's files (feed, page) once it has `count` articles."""
    manifests = [read_manifest(path.parent) for path in sorted(output.glob("*/manifest.json"))]
    show = Show(output, config.load(None), print)
    show.manifests = {f"{n}": replace(manifests[n % len(manifests)], slug=f"{n}", guid=str(uuid.uuid4()))
                      for n in range(count)}
    started = time.perf_counter()
    show.show_files()
    return time.perf_counter() - started


def report(sample: dict, overhead: float, built: dict, count: int, show_seconds: float) -> str:
    median = statistics.median
    local, own, running = (median(sample[name]) for name in ("local", "local:2", "running"))
    rounds = "; ".join(f"{a:.1f} / {b:.1f} / {c:.1f} s" for a, b, c in zip(*sample.values()))
    sections = sum(worker["sections"] for worker in built["workers"].values())
    computes = sorted(c for worker in built["workers"].values() for c in worker["compute"])
    lines = [f"Measured on {machine()}. `local:2` gives each worker's voice one of the two cores; on the "
             "running cluster, `voice_threads = 1` does the same.", "",
             f"### The sample article (medians of {len(sample['local'])} rounds, fresh speech cache)", "",
             "| Build | Seconds | Against local |", "|---|---|---|",
             f"| Local (`audiogen build`) | {local:.1f} | 1.000 |",
             f"| `--scheduler local:2` (starts its cluster) | {own:.1f} | {own / local:.3f} |",
             f"| `--scheduler tcp://…` (a running 2-worker LocalCluster) | {running:.1f} | {running / local:.3f} |",
             "", f"Rounds (local / local:2 / running): {rounds}.", "",
             "### Per task", "",
             f"Scheduling overhead: {overhead * 1000:.1f} ms per task (a section's script and settings sent, "
             f"nothing rendered, gathered), against a median section rendering of {median(computes):.2f} s "
             f"in the catalogue: {100 * overhead / median(computes):.2f}%.", "",
             f"### A catalogue of {count} generated articles ({built['audio'] / 3600:.2f} h of audio, "
             f"{sections} sections)", "",
             "| Build | Seconds | Audio hours per hour | Articles per hour |", "|---|---|---|---|"]
    for name, seconds in (("Local", built["local"]), ("Running 2-worker LocalCluster", built["cluster"])):
        lines.append(f"| {name} | {seconds:.0f} | {built['audio'] / seconds:.1f} | {count * 3600 / seconds:.0f} |")
    lines += ["", "| Worker | Sections | Audio s | Compute s | CPU s | Audio s per CPU s | Peak RSS |",
              "|---|---|---|---|---|---|---|"]
    for address, worker in sorted(built["workers"].items()):
        lines.append(f"| {address} | {worker['sections']} | {worker['audio']:.0f} | {sum(worker['compute']):.0f} | "
                     f"{worker['cpu']:.0f} | {worker['audio'] / worker['cpu']:.1f} | "
                     f"{worker['rss_mb']} MB |")
    lines += ["", f"The building machine (the Dask client): {built['client_cpu'] / count:.3f} CPU s per article, "
              f"peak RSS {built['client_rss_mb']} MB (a local build: {built['local_rss_mb']} MB). The show's feed and "
              f"page for 10,000 articles take {show_seconds:.1f} s to make; new articles are added to them at most "
              f"every {PUBLISH_SECONDS:.0f} s and at the end of the build."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=500)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="audiogen-scaling-") as folder, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        work = Path(folder)
        sample = sample_builds(work, cluster.scheduler_address, options.rounds)
        overhead = task_overhead(client, options.tasks)
        built = catalogue_builds(work, client, catalogue(work / "catalogue", options.articles))
        show_seconds = show_files_seconds(work / "catalogue-cluster", 10_000)
        print(report(sample, overhead, built, options.articles, show_seconds))
        print(json.dumps({"sample": sample, "overhead": overhead, "catalogue": built, "show_seconds": show_seconds},
                         default=str), file=sys.stderr)


if __name__ == "__main__":
    main()
