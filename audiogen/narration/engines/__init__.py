"""Voice engines behind one small interface, registered by name through entry points.

An engine is a class taking Settings (and, optionally, a voice of its own and the language it
must speak), with:
    name: str           how `--engine` calls it
    sample_rate: int    of the PCM it returns
    phonemes: bool      whether it reads IPA written as [[...]]
    identity: str       the voice and its settings, so cached speech is never mixed up
    narrator: str       the voice named for listeners, in manifests, feeds and talking books
    languages: tuple    the languages it speaks ("en", "es"...), or ("*",) for any
    synthesize(text) -> Speech   one sentence as 16-bit mono PCM, and when each word of it is heard
    describe() -> str   (classmethod) one line for `audiogen voices`
and, optionally (Piper has them all):
    expect(texts)       the sentences it is about to be asked for, a section at a time (an
                        iterable), before any of them is: it loads its model to suit
    at_once: int        how many sentences it may be asked to speak at once, from as many
                        threads (1 if absent)
    rest()              nothing is being spoken, nor will be for a while: give back working memory
Adding an engine is adding a module and one line in pyproject.toml's
[project.entry-points."audiogen.engines"].
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Protocol

from ...config import Settings
from ...errors import EngineError

GROUP = "audiogen.engines"


@dataclass(frozen=True)
class Speech:
    """One sentence spoken: its PCM, and when each of its words is heard, in seconds from its
    start, in the order the voice said them (empty for a voice that cannot tell: gTTS)."""

    pcm: bytes
    words: tuple[tuple[float, float], ...] = ()


class Engine(Protocol):
    name: str
    sample_rate: int
    phonemes: bool
    identity: str
    narrator: str
    languages: tuple[str, ...]

    def synthesize(self, text: str) -> Speech: ...


def registered() -> dict[str, type]:
    """Engine classes by name."""
    return {point.name: point.load() for point in entry_points(group=GROUP)}


def load_engine(settings: Settings) -> Engine:
    engines = registered()
    if settings.engine not in engines:
        raise EngineError(f"unknown engine '{settings.engine}' (available: {', '.join(sorted(engines))})")
    return engines[settings.engine](settings)
