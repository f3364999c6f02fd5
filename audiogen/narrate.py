"""Speak a Script: sentences from the cache or the engine, pauses and tones between them.

Narration (the voice) runs in the calling thread, one sentence at a time, and
streams PCM to a temporary file; encoding it (ffmpeg) runs in a worker thread,
so the next section is being spoken while this one is encoded.
"""

from __future__ import annotations

import json
from collections import deque
from concurrent.futures import Executor, Future
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from . import audio
from .cache import Cache, key
from .config import Settings
from .engines import Engine
from .model import Cue, Pause, Rendering, Script, Sentence, Tone

RENDERING_VERSION = 4
"""Bump when the audio chain changes, so that old encodings are not reused."""


@dataclass(frozen=True)
class Pending:
    """A script narrated, its encoding possibly still under way."""

    narrated: float
    """Seconds of narrated audio, known at once."""
    rendering: Future
    """The Rendering, once encoded."""


class Renderer:
    def __init__(self, engine: Engine, cache: Cache, settings: Settings, pool: Executor):
        self.engine = engine
        self.cache = cache
        self.settings = settings
        self.pool = pool
        self.synthesised = 0
        """Sentences the voice spoke (the others came from the cache)."""
        self.encoded = 0
        """Scripts (sections, contents) sent to the encoder."""
        self.encoding: deque[Future] = deque()
        cache.sweep()

    def render(self, script: Script) -> Pending:
        """Narrate `script` (or find it in the cache) and start encoding it."""
        entry = self.rendering_key(script)
        found = self.cached(entry)
        if found:
            future: Future = Future()
            future.set_result(found)
            return Pending(found.narrated, future)
        self.wait_for_encoder()
        pcm_path = self.cache.scratch_file("narration.pcm")
        try:
            with pcm_path.open("wb") as pcm:
                cues = self.narrate(script, pcm)
                narrated = pcm.tell() / 2 / self.engine.sample_rate
        except BaseException:
            pcm_path.unlink(missing_ok=True)
            raise
        self.encoded += 1
        self.encoding.append(self.pool.submit(self.encode, entry, pcm_path, cues, narrated))
        return Pending(narrated, self.encoding[-1])

    def wait_for_encoder(self) -> None:
        """Narrate ahead of the encoder by at most a section per worker, so that the narrated
        audio waiting on disk stays bounded when speech comes from the cache much faster
        than it can be encoded."""
        while self.encoding and self.encoding[0].done():
            self.encoding.popleft()
        while len(self.encoding) > self.settings.jobs:
            self.encoding.popleft().exception()

    def rendering_key(self, script: Script) -> str:
        parts = [[type(part).__name__, getattr(part, "spoken", getattr(part, "seconds", ""))]
                 for part in script.heard]
        return key(RENDERING_VERSION, self.engine.identity, parts, audio.COMPRESSOR,
                   self.settings.loudness, self.settings.true_peak, self.settings.bitrate)

    def cached(self, entry: str) -> Rendering | None:
        timing = self.cache.find("audio", entry, ".json")
        frames = self.cache.find("audio", entry, ".mp3")
        if not (timing and frames):
            return None
        data = json.loads(timing.read_text())
        return Rendering(frames, data["duration"], tuple(Cue(**cue) for cue in data["cues"]), data["narrated"])

    def narrate(self, script: Script, pcm: BinaryIO) -> tuple[Cue, ...]:
        """Write the script's audio to `pcm`; return when each sentence is heard."""
        rate = self.engine.sample_rate
        cues, samples = [], 0
        for part in script.heard:
            if isinstance(part, Sentence):
                speech = self.speech(part.spoken)
                start = samples / rate + audio.ENCODER_DELAY
                cues.append(Cue(round(start, 3), round(start + len(speech) / 2 / rate, 3), part.written))
            elif isinstance(part, Pause):
                speech = audio.silence(part.seconds, rate)
            elif isinstance(part, Tone):
                speech = audio.earcon(rate)
            pcm.write(speech)
            samples += len(speech) // 2
        return tuple(cues)

    def speech(self, spoken: str) -> bytes:
        """One sentence of PCM, synthesised only if no earlier build has."""
        entry = key(self.engine.identity, spoken)
        found = self.cache.find("speech", entry, ".pcm")
        if found:
            return found.read_bytes()
        pcm = self.engine.synthesize(spoken)
        self.synthesised += 1
        self.cache.store("speech", entry, ".pcm", pcm)
        return pcm

    def encode(self, entry: str, pcm: Path, cues: tuple[Cue, ...], narrated: float) -> Rendering:
        try:
            with self.cache.slot("audio", entry, ".mp3") as mp3:
                audio.encode(pcm, self.engine.sample_rate, mp3, self.settings)
                duration = audio.frames_duration(mp3.stat().st_size, self.settings.bitrate)
        finally:
            pcm.unlink(missing_ok=True)
        # The timing is stored last: a cache entry with timing has its frames whole.
        timing = {"duration": duration, "narrated": narrated, "cues": [asdict(cue) for cue in cues]}
        self.cache.store("audio", entry, ".json", json.dumps(timing).encode())
        return Rendering(self.cache.path("audio", entry, ".mp3"), duration, cues, narrated)
