"""Which voice reads which language: never one that does not speak it.

For a language ("es-mx"): the `[voices]` setting's voice for it, else for its language
("es"); else the show's own voice (`engine` and `voice`), if it speaks that language; else
eSpeak NG, which speaks about a hundred (robotic, and the build's summary says so), unless
`strict_voices` is set. A voice in `[voices]` is named as:

    "bundled"            the bundled Piper voice (en_US joe)
    "voices/es.onnx"     a Piper voice file (its .onnx.json beside it)
    "es_ES-davefx-medium" a Piper voice installed with `audiogen voices install`
    "espeak", "espeak:es-419"   eSpeak NG (its voice for the language, or the one named)
    "gtts"               Google's voice, online
"""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..errors import EngineError, SpeechError
from ..languages import is_language_tag, primary
from .engines import Engine, load_engine, registered

SAMPLES = {"en": "Hello. This is how I sound, reading your articles aloud.",
           "es": "Hola. Así sueno cuando leo sus artículos en voz alta.",
           "de": "Hallo. So klinge ich, wenn ich Ihre Artikel vorlese.",
           "fr": "Bonjour. Voici ma voix quand je lis vos articles à haute voix.",
           "it": "Ciao. Questa è la mia voce quando leggo i vostri articoli ad alta voce.",
           "pt": "Olá. É assim que eu soo quando leio os seus artigos em voz alta.",
           "nl": "Hallo. Zo klink ik als ik uw artikelen voorlees."}


def speaks(engine: Engine, language: str) -> bool:
    return "*" in engine.languages or primary(language) in engine.languages


def spec_parts(spec: str, settings: Settings) -> tuple[str, str]:
    """A `[voices]` value as an engine's name and that engine's voice."""
    engine, _, voice = spec.partition(":")
    if engine in ("espeak", "gtts") and engine in registered():
        return engine, voice
    if spec in ("bundled", "piper"):
        return "piper", ""
    if spec.endswith(".onnx"):
        return "piper", spec
    installed = settings.voices_path / f"{spec}.onnx"
    if installed.is_file():
        return "piper", str(installed)
    raise EngineError(f"voice '{spec}' is neither a voice file, an installed voice (audiogen voices install "
                      f"{spec}), 'bundled', 'espeak' nor 'gtts'")


class Voices:
    """The voices of one build, each made once."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.made: dict[tuple[str, str, str], Engine] = {}
        self.fallbacks: set[str] = set()
        """Languages read by eSpeak NG because no voice was configured for them."""

    def default(self) -> Engine:
        key = (self.settings.engine, self.settings.voice, "")
        if key not in self.made:
            self.made[key] = load_engine(self.settings)
        return self.made[key]

    def engine(self, spec: str, language: str) -> Engine:
        name, voice = spec_parts(spec, self.settings)
        key = (name, voice, language if name != "piper" else "")
        if key not in self.made:
            self.made[key] = registered()[name](self.settings, voice or None, language)
        return self.made[key]

    def check(self) -> None:
        """Every configured voice can be made: a missing file is found before anything is narrated."""
        self.default()
        for language, spec in self.settings.voices.items():
            engine = self.engine(spec, language)
            if not speaks(engine, language):
                raise EngineError(f"[voices] {language} = {spec!r}: that voice speaks {', '.join(engine.languages)}, "
                                  f"not {language}")

    def for_language(self, language: str) -> Engine:
        """The voice that reads `language`."""
        tag = (language or self.settings.language).lower()
        for key in (tag, primary(tag)):
            if key in self.settings.voices:
                return self.engine(self.settings.voices[key], tag)
        if speaks(self.default(), tag):
            return self.default()
        if self.settings.strict_voices:
            raise SpeechError(f"no voice is configured for '{tag}' (add one under [voices] in audiogen.toml, "
                              "or leave out --strict-voices to read it with eSpeak NG)")
        try:
            engine = self.engine("espeak", tag)
        except EngineError:
            raise SpeechError(f"no voice speaks '{tag}': not the show's, and not eSpeak NG") from None
        self.fallbacks.add(tag)
        return engine


def sample(name: str, text: str | None, output: Path, settings: Settings) -> str:
    """Write an MP3 of the voice `name` (a language, or a voice as [voices] names one) reading
    `text` (a sentence in its language when None); return the voice's name."""
    from .. import audio
    from ..files import atomic_path

    chosen = Voices(settings)
    is_language = is_language_tag(name) and not (settings.voices_path / f"{name}.onnx").is_file() \
        and name not in ("espeak", "gtts", "bundled", "piper")
    voice = chosen.for_language(name) if is_language else chosen.engine(name, settings.language)
    language = name if is_language else next((tag for tag in voice.languages if tag != "*"), settings.language)
    pcm = voice.synthesize(text or SAMPLES.get(primary(language), SAMPLES["en"])).pcm
    with atomic_path(output) as temporary:
        raw = temporary.with_suffix(".pcm")
        raw.write_bytes(audio.silence(0.3, voice.sample_rate) + pcm + audio.silence(0.5, voice.sample_rate))
        try:
            audio.encode(raw, voice.sample_rate, temporary, settings)
        finally:
            raw.unlink(missing_ok=True)
    return voice.narrator
