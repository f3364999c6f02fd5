"""Narration on a Dask cluster: `audiogen build --scheduler tcp://host:8786` (or `local:N`).

The unit of work is a section's rendering: `Narrator.render` on a worker, the same
function a local build pipelines. Its MP3 frames and sentence timings come back to the
client, which stores them in its own cache and writes `output/` exactly as a local build
does. Each worker process keeps one Narrator, its voices loaded once, for the build's
settings; on one machine (`local:N`) each worker's voice computes on its share of the
cores. Dask reruns elsewhere the tasks of a worker that dies; a client that dies resumes
from its cache, and from the workers' if they share one (`cache_dir`).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field, replace

from .. import __version__
from ..cache import Cache
from ..config import Settings, usable_cores
from ..errors import AudiogenError, ClusterError, SpeechError
from ..model import Rendering, Script
from .narrator import Narrator, Pending, done
from .voices import Voices

WORKERS_SECONDS = 60
"""How long a build waits for a scheduler to have at least one worker."""


@dataclass(frozen=True)
class Rendered:
    """A section rendered on a worker, as it travels back to the client."""

    frames: bytes
    timing: Rendering
    """The rendering as the worker has it: its duration, cues and narrated length (its frames'
    path is the worker's)."""
    synthesised: int
    """Sentences the worker's voice spoke (the others came from its cache)."""
    encoded: int
    worker: str


@dataclass
class ClusterRenderer:
    """A build's narration on a Dask cluster: each section a task, `ahead` articles in flight."""

    narrator: Narrator
    """The client's: its cache keeps what comes back, and says what need not be sent."""
    client: object
    settings: Settings
    """The build's settings, as the workers use them."""
    ahead: int
    sections_by_worker: Counter = field(default_factory=Counter)

    def render(self, script: Script, language: str) -> Pending:
        voice = self.narrator.voices.for_language(language)
        entry = self.narrator.key(script, voice)
        found = self.narrator.cached(entry)
        if found:
            return Pending(lambda: (found.narrated, done(found)))
        task = self.client.submit(render_section, script, language, self.settings, __version__,
                                  key=f"section-{entry}")
        return Pending(lambda: self.receive(entry, script, task))

    def receive(self, entry: str, script: Script, task) -> tuple[float, object]:
        """Wait for a section's task; keep what it rendered in the client's cache."""
        from distributed.scheduler import KilledWorker

        try:
            rendered: Rendered = task.result()
        except KilledWorker:
            raise SpeechError(f"section '{script.title}' ended each worker that rendered it (out of memory?)") from None
        except Exception as error:
            if task.status == "error":
                raise  # the rendering's own error, as a local build would meet it
            raise ClusterError(f"lost the Dask scheduler at {self.settings.scheduler} ({type(error).__name__}: "
                               f"{error}); what was rendered is in the cache: build again to carry on") from None
        self.sections_by_worker[rendered.worker] += 1
        self.narrator.synthesised += rendered.synthesised
        self.narrator.encoded += rendered.encoded
        # Kept from what came back, not looked up: a shared cache would be read again for it.
        self.narrator.cache.store("audio", entry, ".mp3", rendered.frames, share=False)
        timing = rendered.timing
        rendering = self.narrator.stored_timing(entry, timing.duration, timing.narrated, timing.cues, share=False)
        return rendering.narrated, done(rendering)

    def close(self) -> None:
        cluster = getattr(self.client, "cluster", None)
        self.client.close()
        if cluster is not None:
            cluster.close()


def cluster_renderer(narrator: Narrator, settings: Settings) -> ClusterRenderer:
    """Connect to the scheduler (or start a local cluster) and check every worker can render."""
    narrator.cache.sweep()
    client = connect(settings.scheduler, settings.timeout)
    if settings.scheduler.startswith("local:") and not settings.voice_threads:
        # Worker processes sharing this machine share its cores; each voice computing on all of
        # them would make the processes take turns (measured in docs/scaling.md).
        cores = usable_cores() // int(settings.scheduler.split(":")[1])
        settings = replace(settings, voice_threads=max(1, cores))
    try:
        workers = checked_workers(client, settings)
    except BaseException:
        client.close()
        raise
    # Twice the workers' threads in articles, plus two: enough queued that no worker waits
    # while the client writes an article, not so many that results pile up unwritten.
    return ClusterRenderer(narrator, client, settings, ahead=2 * workers + 2)


def connect(address: str, timeout: float):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise AudiogenError("--scheduler needs Dask: pip install 'audiogen[cluster]'") from None
    if address.startswith("local:"):
        # One thread per worker process: the voice already uses every core it is given. Everything
        # listens on loopback only: whoever reaches a scheduler runs code on its workers.
        cluster = LocalCluster(n_workers=int(address.split(":")[1]), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
        return Client(cluster)
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({error}); is `dask scheduler` "
                           "running there, and the port open?") from None


def checked_workers(client, settings: Settings) -> int:
    """How many threads the cluster's workers have, once each is found able to render: the
    same audiogen as this client, and the build's voices."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except TimeoutError:
        raise ClusterError(f"no Dask worker joined the scheduler at {settings.scheduler} within "
                           f"{WORKERS_SECONDS} s; start some with `dask worker {settings.scheduler}`") from None
    answers = client.run(worker_problem, settings, __version__, on_error="return")
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            answer = (f"cannot run audiogen ({type(answer).__name__}: {answer}); install audiogen[cluster] "
                      f"{__version__} there")
        if answer:
            raise ClusterError(f"worker {worker}: {answer}")
    return sum(client.nthreads().values())


def worker_problem(settings: Settings, version: str) -> str | None:
    """What keeps this worker from rendering the build's sections, if anything."""
    if version != __version__:
        return f"runs audiogen {__version__}, and this build audiogen {version}: install the same version"
    try:
        worker_narrator(settings)
    except AudiogenError as error:
        return error.message
    return None


def render_section(script: Script, language: str, settings: Settings, version: str) -> Rendered:
    """A Dask task: render one section on this worker."""
    from distributed import get_worker

    if version != __version__:
        raise ClusterError(f"worker {get_worker().address} runs audiogen {__version__}, and the build {version}")
    narrator = worker_narrator(settings)
    with narrator_lock:
        synthesised, encoded = narrator.synthesised, narrator.encoded
        rendering = narrator.render(script, narrator.voices.for_language(language))
        return Rendered(rendering.frames.read_bytes(), rendering, narrator.synthesised - synthesised,
                        narrator.encoded - encoded, get_worker().address)


narrators: dict[str, Narrator] = {}
"""This worker process's Narrator for each build's settings: its voices are loaded once."""
narrator_lock = threading.Lock()


def worker_narrator(settings: Settings) -> Narrator:
    with narrator_lock:
        found = narrators.get(repr(settings))
        if found is None:
            voices = Voices(settings)
            voices.check()
            found = Narrator(voices, Cache.of(settings), settings)
            found.cache.sweep()
            narrators.clear()  # one build's voices at a time
            narrators[repr(settings)] = found
        return found
