"""Narration on a real Dask LocalCluster of two worker processes, shared by these tests."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sys
import threading
from contextlib import contextmanager

import pytest

from support import PATIENCE, audiogen, decoded_seconds, manifest_of, run, tree, wait_for, work_done, write_article
from support.checks import VTT_WORD_TIME, check_every_file_is_whole

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.cluster


def article(number: int, sentences: int = 2) -> str:
    body = " ".join(f"Sentence {word} of this part." for word in ["one", "two", "three", "four"][:sentences])
    return (f"---\ntitle: Cluster article {number}\nauthor: A. Writer\ndate: 2025-0{1 + number % 9}-02\n---\n\n"
            f"An opening for article {number}.\n\n## Middle {number}\n\n{body}\n\n## End {number}\n\nThe end.\n")


@contextmanager
def running_cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  scheduler_port=0) as local, distributed.Client(local) as client:
        client.wait_for_workers(2, timeout=PATIENCE)
        yield client


@pytest.fixture(scope="module")
def client():
    with running_cluster() as client:
        yield client


@pytest.fixture
def doomed_client():
    """A cluster of its own, for a test that kills one of its workers: the nanny's replacement
    worker may never arrive on a busy machine (seen in CI), and must not hold up the other tests."""
    with running_cluster() as client:
        yield client


def set_allowed_failures(count: int, dask_scheduler=None) -> None:
    dask_scheduler.allowed_failures = count


def settings(folder, cache, client=None) -> None:
    """audiogen.toml: the cache, the cluster (if any), and a base URL, which makes the show's
    identity the same in every output folder."""
    scheduler = f'scheduler = "{client.scheduler.address}"\n' if client else ""
    write_article(folder, "audiogen.toml",
                  f'{scheduler}cache_dir = "{cache}"\nbase_url = "https://example.org/show/"\n')


def sections_rendered(stdout: str) -> dict[str, int]:
    line = re.search(r"Sections rendered on each worker: (.*)\.", stdout).group(1)
    return {worker: int(count) for worker, count in (part.rsplit(" ", 1) for part in line.split(", "))}


def test_a_cluster_build_writes_what_a_local_build_writes_and_a_bad_article_fails_alone(project_folder, client):
    for number in (1, 2, 3):
        write_article(project_folder, f"articles/a{number}.md", article(number))
    (project_folder / "articles" / "broken.md").write_bytes(b"\x00\xff\xfe binary, not an article\x00")
    settings(project_folder, project_folder / "local-cache")
    local = run("build", "-o", "local", expect=1)
    # The cluster encodes again, from the same speech: what a worker encodes is what this machine did.
    shutil.copytree(project_folder / "local-cache", project_folder / "cluster-cache")
    shutil.rmtree(project_folder / "cluster-cache" / "audio")
    settings(project_folder, project_folder / "cluster-cache", client)
    clustered = run("build", "-o", "cluster", expect=1)
    assert tree(project_folder / "cluster") == tree(project_folder / "local")
    assert work_done(clustered.stdout) == (0, 12)  # 3 articles: 3 sections and the spoken contents each
    assert sum(sections_rendered(clustered.stdout).values()) == 12
    for result in (local, clustered):
        assert [line for line in result.stderr.splitlines() if line.startswith("Error")] == [
            "Error: articles/broken.md: is not a text file (it holds binary data)",
            "Error: 1 article could not be built (see above)"]
        assert "Traceback" not in result.stderr
    assert len(manifest_of(project_folder / "cluster", "a2")["sections"]) == 3


def test_an_edit_renders_one_section_on_the_cluster_whose_workers_keep_their_voices(project_folder, client):
    path = write_article(project_folder, "articles/edited.md", article(4))
    settings(project_folder, project_folder / "cache", client)
    run("build", "-o", "out")
    voices = client.run(loaded_voices)
    path.write_text(article(4).replace("Sentence two", "Sentence twelve"))
    edited = run("build", "-o", "out")
    assert work_done(edited.stdout) == (1, 1)
    assert sum(sections_rendered(edited.stdout).values()) == 1
    assert client.run(loaded_voices) == voices  # loaded once per worker process, not per task
    vtt = (project_folder / "out" / "edited" / "transcript.vtt").read_text()
    assert "Sentence twelve of this part." in VTT_WORD_TIME.sub("", vtt)


def loaded_voices() -> list[int]:
    from audiogen.narration import cluster

    return [id(narrator.voices) for narrator in cluster.narrators.values()]


def building_while(action, client, *arguments):
    """Run `audiogen build` in a thread; do `action(client)` once a worker is rendering."""
    results = []
    builder = threading.Thread(target=lambda: results.append(run("build", *arguments, expect=None)))
    builder.start()
    wait_for(lambda: any(client.processing().values()), "a worker rendering")
    action(client)
    builder.join(timeout=300)
    return results[0]


def kill_a_rendering_worker(client) -> None:
    busy = next(worker for worker, tasks in client.processing().items() if tasks)
    os.kill(client.run(os.getpid, workers=[busy])[busy], signal.SIGKILL)


def test_a_worker_killed_mid_build_has_its_sections_rendered_elsewhere(project_folder, doomed_client):
    for number in range(1, 7):
        write_article(project_folder, f"articles/k{number}.md", article(number, sentences=4))
    settings(project_folder, project_folder / "cache", doomed_client)
    result = building_while(kill_a_rendering_worker, doomed_client, "-o", "out")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    for number in range(1, 7):
        chapters = manifest_of(project_folder / "out", f"k{number}")["sections"]
        assert len(chapters) == 3
    assert decoded_seconds(project_folder / "out" / "k6" / "k6.mp3") > 5
    # The same result as a local build: it finds every section rendered, and writes the same files.
    settings(project_folder, project_folder / "cache")
    local = run("build", "-o", "local")
    assert work_done(local.stdout) == (0, 0)
    assert tree(project_folder / "local") == tree(project_folder / "out")


def test_an_article_whose_section_kills_its_worker_fails_alone(project_folder, doomed_client):
    for number in range(1, 7):
        write_article(project_folder, f"articles/p{number}.md", article(number + 10, sentences=4))
    settings(project_folder, project_folder / "cache", doomed_client)
    doomed_client.run_on_scheduler(set_allowed_failures, 0)  # as if each retry had died too
    result = building_while(kill_a_rendering_worker, doomed_client, "-o", "out")
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if "ended each worker that rendered it" in line]
    built = [number for number in range(1, 7) if (project_folder / "out" / f"p{number}" / "manifest.json").exists()]
    assert failed and built and len(failed) + len(built) == 6, result.stderr
    assert "Traceback" not in result.stderr


def test_a_client_killed_mid_build_resumes_from_the_cache(project_folder, client):
    for number in range(1, 7):
        write_article(project_folder, f"articles/c{number}.md", article(number + 20, sentences=4))
    settings(project_folder, project_folder / "cache", client)
    killed = audiogen("build", "-o", "out", cwd=project_folder, cache=project_folder / "unused")
    rendered = project_folder / "cache" / "audio"
    wait_for(lambda: len(list(rendered.rglob("*.json"))) >= 4, "four sections rendered")
    killed.kill()
    assert killed.wait() == -signal.SIGKILL
    check_every_file_is_whole(project_folder / "out")
    resumed = run("build", "-o", "out")
    assert sum(sections_rendered(resumed.stdout).values()) <= 24 - 4  # 6 articles: 3 sections and contents each
    assert check_every_file_is_whole(project_folder / "out") > 6 * 3


def test_a_shared_cache_serves_another_machine(project_folder, client, monkeypatch, tmp_path):
    write_article(project_folder, "articles/shared.md", article(5))
    shared = f"file://{tmp_path / 'shared store'}"
    settings(project_folder, shared, client)
    run("build", "-o", "cluster")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another machine"))
    settings(project_folder, shared)
    elsewhere = run("build", "-o", "elsewhere")
    assert work_done(elsewhere.stdout) == (0, 0)
    assert tree(project_folder / "elsewhere") == tree(project_folder / "cluster")


def test_a_worker_on_another_audiogen_version_is_one_line(project_folder, client):
    write_article(project_folder, "articles/version.md", article(6))
    settings(project_folder, project_folder / "cache", client)
    client.run(set_worker_version, "0.0.1")
    try:
        result = run("build", "-o", "out", expect=1)
    finally:
        client.run(set_worker_version, None)
    assert re.fullmatch(r"Error: worker tcp://\S+: runs audiogen 0\.0\.1, and this build audiogen \S+: "
                        r"install the same version\n", result.stderr)
    assert not (project_folder / "out" / "version").exists()


def set_worker_version(version: str | None) -> None:
    import audiogen
    from audiogen.narration import cluster

    cluster.__version__ = version or audiogen.__version__


def test_an_unreachable_scheduler_is_one_line(project_folder):
    write_article(project_folder, "articles/alone.md", article(7))
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    write_article(project_folder, "audiogen.toml", "timeout = 2\n")
    result = run("build", "-o", "out", "--scheduler", f"tcp://127.0.0.1:{port}", expect=1)
    assert result.stderr.startswith(f"Error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}")
    assert result.stderr.count("\n") == 1 and not (project_folder / "out" / "alone").exists()


def test_local_n_starts_its_own_cluster(project_folder):
    write_article(project_folder, "articles/own.md", article(8))
    result = run("build", "-o", "out", "--scheduler", "local:1")
    (worker, count), = sections_rendered(result.stdout).items()
    assert worker.startswith("tcp://127.0.0.1:") and count == 4  # 3 sections, and the spoken contents
    assert decoded_seconds(project_folder / "out" / "own" / "own.mp3") > 3


def test_a_build_without_dask_says_how_to_get_it(project_folder, monkeypatch):
    write_article(project_folder, "articles/nodask.md", article(9))
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    result = run("build", "-o", "out", "--scheduler", "local:2", expect=1)
    assert result.stderr == "Error: --scheduler needs Dask: pip install 'audiogen[cluster]'\n"
