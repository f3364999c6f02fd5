"""Speak a Script: sentences from the cache or the voice, pauses and tones between them.

A section's rendering (its sentences synthesised and encoded) is a function of its
script, its voice and the settings: `Narrator.render` does it whole, as a cluster
worker does (cluster.py). A local build pipelines the same two steps (`Renderer`):
narration (the voice) runs in the calling thread, one sentence at a time, streaming
PCM to a temporary file, and encoding (ffmpeg) runs in a worker thread, so that the
next section is spoken while this one is encoded. Either way a section is `Pending`
until the build asks for it.
"""

from __future__ import annotations

import json
from collections import deque
from concurrent.futures import Executor, Future
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from .. import audio
from ..cache import Cache, key
from ..config import Settings
from ..model import Cue, Pause, Rendering, Script, Sentence, Tone
from ..typed import typed
from .ahead import Ahead
from .engines import Engine, Speech
from .voices import Voices
from .words import written_words

RENDERING_VERSION = 5
"""Bump when the audio chain (or what a rendering keeps) changes, so that old ones are not reused."""
SPEECH_VERSION = 2
"""Bump when what is kept of a sentence's speech changes (2: its words' timings)."""


@dataclass(frozen=True)
class Narration:
    """A script spoken into a temporary PCM file, not yet encoded."""

    pcm: Path
    sample_rate: int
    cues: tuple[Cue, ...]
    seconds: float
    synthesised: int
    """Sentences the voice spoke; the others came from the cache."""


def speech_entry(spoken: str, voice: Engine) -> str:
    """The cache entry of a sentence's speech: its `.pcm` and its words' timings, `.json`."""
    return key(SPEECH_VERSION, voice.identity, spoken)


@dataclass
class Narrator:
    """What rendering a script needs: the voices, the speech cache and the settings."""

    voices: Voices
    cache: Cache
    settings: Settings
    synthesised: int = 0
    encoded: int = 0
    ahead: Ahead = field(init=False)
    """Speaks the sentences of the scripts expected, ahead of the narration that needs them."""

    def __post_init__(self) -> None:
        self.ahead = Ahead(self.speech)

    def key(self, script: Script, voice: Engine) -> str:
        """Everything the script's audio is made from; passages in another language name their voice."""
        parts = [[type(part).__name__, getattr(part, "spoken", getattr(part, "seconds", ""))]
                 + ([self.voices.for_language(part.language).identity] if getattr(part, "language", "") else [])
                 for part in script.heard]
        return key(RENDERING_VERSION, voice.identity, parts, audio.COMPRESSOR,
                   self.settings.loudness, self.settings.true_peak, self.settings.bitrate)

    def cached(self, entry: str) -> Rendering | None:
        timing = self.cache.find("audio", entry, ".json")
        frames = self.cache.find("audio", entry, ".mp3")
        if not (timing and frames):
            return None
        data = json.loads(timing.read_text())
        return Rendering(frames, data["duration"], tuple(typed(Cue, cue) for cue in data["cues"]), data["narrated"])

    def render(self, script: Script, voice: Engine) -> Rendering:
        """The script's rendering: from the cache, else narrated and encoded."""
        entry = self.key(script, voice)
        found = self.cached(entry)
        if found:
            return found
        self.encoded += 1
        self.expect(script, voice)
        return self.encode(entry, self.narrate(script, voice))

    def expect(self, script: Script, voice: Engine) -> None:
        """`script` will be narrated: its sentences are spoken ahead, and the voice, if it wants
        to know, is told what it will be asked to say (Piper loads its model to suit; it reads
        the sentences only if it needs them)."""
        if hasattr(voice, "expect"):
            voice.expect(sentence.spoken for sentence in script.sentences
                         if not sentence.language and not self.cached_speech(sentence.spoken, voice))
        self.ahead.expect((sentence.spoken, self.reader(sentence, voice)) for sentence in script.sentences)

    def narrate(self, script: Script, voice: Engine) -> Narration:
        """Speak the script into a temporary PCM file, at its voice's sample rate."""
        path = self.cache.scratch_file("narration.pcm")
        try:
            with path.open("wb") as pcm:
                cues, spoken = self.speak(script, voice, pcm)
                seconds = pcm.tell() / 2 / voice.sample_rate
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self.synthesised += spoken
        return Narration(path, voice.sample_rate, cues, seconds, spoken)

    def speak(self, script: Script, voice: Engine, pcm: BinaryIO) -> tuple[tuple[Cue, ...], int]:
        """Write the script's audio to `pcm`; return when each sentence is heard, and how many
        sentences the voices spoke."""
        rate = voice.sample_rate
        cues, samples, spoken = [], 0, 0
        speeches = self.speeches(script, voice)
        for part in script.heard:
            if isinstance(part, Sentence):
                reader, said, fresh = next(speeches)
                speech, spoken = audio.resampled(said.pcm, reader.sample_rate, rate), spoken + fresh
                start = samples / rate + audio.ENCODER_DELAY
                cues.append(Cue(round(start, 3), round(start + len(speech) / 2 / rate, 3), part.written,
                                written_words(part.written, part.spoken, said.words, start)))
            elif isinstance(part, Pause):
                speech = audio.silence(part.seconds, rate)
            elif isinstance(part, Tone):
                speech = audio.earcon(rate)
            pcm.write(speech)
            samples += len(speech) // 2
        return tuple(cues), spoken

    def speeches(self, script: Script, voice: Engine) -> Iterator[tuple[Engine, Speech, bool]]:
        """Each sentence's reader, speech and whether it was spoken now (not cached), in order."""
        for sentence in script.sentences:
            reader = self.reader(sentence, voice)
            yield reader, *self.ahead.speech(sentence.spoken, reader)

    def reader(self, sentence: Sentence, voice: Engine) -> Engine:
        """The voice of a passage in another language, else the script's."""
        return self.voices.for_language(sentence.language) if sentence.language else voice

    def cached_speech(self, spoken: str, voice: Engine) -> tuple[Path, Path] | None:
        """A sentence's speech in the cache: its PCM and its words' timings."""
        entry = speech_entry(spoken, voice)
        pcm, words = (self.cache.find("speech", entry, suffix) for suffix in (".pcm", ".json"))
        return (pcm, words) if pcm and words else None

    def speech(self, spoken: str, voice: Engine) -> tuple[Speech, bool]:
        """One sentence spoken, and whether the voice had to speak it (no earlier build had)."""
        found = self.cached_speech(spoken, voice)
        if found:
            pcm, words = found
            return Speech(pcm.read_bytes(), tuple(tuple(word) for word in json.loads(words.read_text()))), False
        entry = speech_entry(spoken, voice)
        speech = voice.synthesize(spoken)
        self.cache.store("speech", entry, ".pcm", speech.pcm)
        # Last: speech whose words are kept is whole.
        self.cache.store("speech", entry, ".json", json.dumps(speech.words).encode())
        return speech, True

    def encode(self, entry: str, narration: Narration) -> Rendering:
        try:
            with self.cache.slot("audio", entry, ".mp3") as mp3:
                audio.encode(narration.pcm, narration.sample_rate, mp3, self.settings)
                duration = audio.frames_duration(mp3.stat().st_size, self.settings.bitrate)
        finally:
            narration.pcm.unlink(missing_ok=True)
        return self.stored_timing(entry, duration, narration.seconds, narration.cues)

    def stored_timing(self, entry: str, duration: float, narrated: float, cues: tuple[Cue, ...],
                      share: bool = True) -> Rendering:
        """The rendering whose frames are in the cache as `entry`, its timing stored with them:
        last, as a cache entry with timing has its frames whole."""
        timing = {"duration": duration, "narrated": narrated, "cues": [asdict(cue) for cue in cues]}
        self.cache.store("audio", entry, ".json", json.dumps(timing).encode(), share)
        return Rendering(self.cache.path("audio", entry, ".mp3"), duration, cues, narrated)


class Pending:
    """A section on its way to a Rendering. Its narration is started (or waited for) when the
    build first asks how long it is, so that each can be reported; encoding may go on after."""

    def __init__(self, start: Callable[[], tuple[float, Future]]):
        self.start = start
        self.started: tuple[float, Future] | None = None

    def narrated(self) -> float:
        """Seconds of narrated audio."""
        if self.started is None:
            self.started = self.start()
        return self.started[0]

    def rendering(self) -> Rendering:
        self.narrated()
        return self.started[1].result()


def done(rendering: Rendering) -> Future:
    future: Future = Future()
    future.set_result(rendering)
    return future


@dataclass
class Renderer:
    """A local build's narration: the voice speaks the next section while ffmpeg encodes this one."""

    narrator: Narrator
    pool: Executor
    encoding: deque = field(default_factory=deque)
    ahead = 0
    """Articles read and started before the one being written: none, as the voice runs here."""

    def __post_init__(self) -> None:
        self.narrator.cache.sweep()

    def render(self, script: Script, language: str) -> Pending:
        """`script`, read by the voice of `language`, on its way: from the cache, or its sentences
        expected now (before the first section is narrated, so that the voice goes on from one
        section into the next) and narrated when the build asks."""
        narrator, voice = self.narrator, self.narrator.voices.for_language(language)
        entry = narrator.key(script, voice)
        found = narrator.cached(entry)
        if found:
            return Pending(lambda: (found.narrated, done(found)))
        narrator.expect(script, voice)
        return Pending(lambda: self.start(entry, script, voice))

    def start(self, entry: str, script: Script, voice: Engine) -> tuple[float, Future]:
        """Narrate `script` and start encoding it into the cache's `entry`."""
        self.wait_for_encoder()
        narration = self.narrator.narrate(script, voice)
        self.narrator.encoded += 1
        self.encoding.append(self.pool.submit(self.narrator.encode, entry, narration))
        return narration.seconds, self.encoding[-1]

    def close(self) -> None:
        self.narrator.ahead.close()
        self.pool.shutdown(cancel_futures=True)

    def wait_for_encoder(self) -> None:
        """Narrate ahead of the encoder by at most a section per worker, so that the narrated
        audio waiting on disk stays bounded when speech comes from the cache much faster
        than it can be encoded."""
        while self.encoding and self.encoding[0].done():
            self.encoding.popleft()
        while len(self.encoding) > self.narrator.settings.jobs:
            self.encoding.popleft().exception()
