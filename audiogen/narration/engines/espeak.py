"""eSpeak NG: a voice for about a hundred languages, offline. Robotic, but in the right language.

The `espeakng-loader` wheel carries the library and its data, so nothing needs installing;
it is driven through ctypes (speak_lib.h), synchronously, one sentence at a time.
"""

from __future__ import annotations

import ctypes
import threading
from functools import lru_cache

from ...config import Settings
from ...errors import EngineError, SpeechError
from ...languages import is_language_tag, primary
from . import Speech

SYNCHRONOUS = 2
"""espeak_AUDIO_OUTPUT: AUDIO_OUTPUT_SYNCHRONOUS, audio handed to the callback."""
DONT_EXIT = 0x8000
CHARACTERS_UTF8 = 1
POSITION_CHARACTER = 1
RATE = 1
"""espeak_PARAMETER espeakRATE, in words per minute."""
WORDS_PER_MINUTE = 165
LOCK = threading.Lock()
ALIASES = {"zh": "cmn", "zh-cn": "cmn", "zh-tw": "cmn", "zh-hans": "cmn", "zh-hant": "cmn", "zh-hk": "yue",
           "nb": "nb", "no": "nb"}
"""Tags articles use that eSpeak NG names otherwise (Mandarin is "cmn", Cantonese "yue")."""
WORD_EVENT = 1
"""espeak_EVENT_TYPE espeakEVENT_WORD: a word starts; 0 ends the list of events."""


class EspeakEvent(ctypes.Structure):
    """speak_lib.h's espeak_EVENT (the union at its end as its largest member)."""

    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(EspeakEvent))


class EspeakVoice(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_char_p), ("identifier", ctypes.c_char_p),
                ("gender", ctypes.c_ubyte), ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte),
                ("xx1", ctypes.c_ubyte), ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


@lru_cache(maxsize=1)
def library() -> tuple[ctypes.CDLL, int]:
    """The eSpeak NG library, initialised once per process, and its sample rate."""
    try:
        import espeakng_loader
    except ImportError:
        raise EngineError("espeak: eSpeak NG is not installed (pip install espeakng-loader)") from None
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(EspeakVoice))
    rate = lib.espeak_Initialize(SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), DONT_EXIT)
    if rate <= 0:
        raise EngineError("espeak: eSpeak NG could not start")
    return lib, rate


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """Every language (BCP 47, lowercase) eSpeak NG has a voice for."""
    lib, _ = library()
    found, voices = set(), lib.espeak_ListVoices(None)
    index = 0
    while voices[index]:
        data = ctypes.string_at(voices[index].contents.languages, 200)
        position = 0
        while position < len(data) and data[position] != 0:  # (priority byte, name) pairs
            name = data[position + 1:data.index(b"\0", position + 1)]
            if is_language_tag(name.decode("ascii", errors="replace")):
                found.add(name.decode().lower())
            position += len(name) + 2
        index += 1
    return frozenset(found)


def espeak_voice(language: str) -> str | None:
    """eSpeak NG's voice for `language`: the tag ("pt-br"), else its language ("pt"), else one of
    that language's regional voices ("en" gives "en-gb"); None when it has none."""
    tag = ALIASES.get(language.lower(), language.lower())
    language = primary(tag)
    regional = sorted((name for name in languages() if name.startswith(language + "-")),
                      key=lambda name: (len(name), name))
    return next((candidate for candidate in (tag, language, *regional[:1]) if candidate in languages()), None)


class EspeakEngine:
    name = "espeak"
    phonemes = False

    def __init__(self, settings: Settings, voice: str | None = None, language: str = ""):
        language = language or settings.language
        self.voice = espeak_voice(voice or language)
        if self.voice is None:
            raise EngineError(f"espeak: eSpeak NG has no voice for '{language}'")
        _, self.sample_rate = library()
        self.words_per_minute = round(WORDS_PER_MINUTE * settings.speed)
        self.identity = f"espeak:{self.voice}:{self.words_per_minute}"
        self.narrator = f"eSpeak NG voice {self.voice}, synthetic"
        self.languages = (primary(self.voice),)

    @classmethod
    def describe(cls) -> str:
        return "eSpeak NG, offline, robotic; a voice for about 100 languages (the fallback for languages with no other)"

    def synthesize(self, text: str) -> Speech:
        lib, _ = library()
        chunks: list[bytes] = []
        starts: list[float] = []

        def collect(samples, count, events) -> int:
            if count > 0:
                chunks.append(ctypes.string_at(samples, count * 2))
            index = 0
            while events and events[index].type != 0:  # eSpeak NG tells where each word starts
                if events[index].type == WORD_EVENT:
                    starts.append(events[index].audio_position / 1000)
                index += 1
            return 0

        callback = Callback(collect)
        data = text.encode("utf-8") + b"\0"
        with LOCK:  # eSpeak NG keeps one voice and one callback for the whole process
            lib.espeak_SetSynthCallback(callback)
            if lib.espeak_SetVoiceByName(self.voice.encode()) != 0:
                raise SpeechError(f"espeak: cannot use the voice {self.voice}")
            lib.espeak_SetParameter(RATE, self.words_per_minute, 0)
            status = lib.espeak_Synth(data, len(data), 0, POSITION_CHARACTER, 0, CHARACTERS_UTF8, None, None)
            lib.espeak_Synchronize()
        if status != 0:
            raise SpeechError(f"espeak could not speak {text[:40]!r} (error {status})")
        pcm = b"".join(chunks)
        ends = starts[1:] + [len(pcm) / 2 / self.sample_rate]
        return Speech(pcm, tuple((round(start, 3), round(end, 3)) for start, end in zip(starts, ends)))
