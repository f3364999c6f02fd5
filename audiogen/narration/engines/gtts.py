"""gTTS: Google Translate's voice. Needs the network; retries with backoff."""

from __future__ import annotations

import io
import time

from ...config import Settings
from ...errors import EngineError, SpeechError
from ...languages import primary
from . import Speech

RETRY_DELAYS = (1.0, 2.0, 4.0)
"""Seconds to wait before each retry of a failed request."""


class GttsEngine:
    name = "gtts"
    phonemes = False
    sample_rate = 24000

    languages = ("*",)
    """Google's voice speaks whatever language it is asked to."""

    def __init__(self, settings: Settings, voice: str | None = None, language: str = ""):
        self.language = primary(language or settings.language) or "en"
        self.identity = f"gtts:{self.language}"
        self.narrator = f"Google Translate's voice ({self.language}), synthetic"

    @classmethod
    def describe(cls) -> str:
        return "Google Translate's voice; online only, needs a network connection"

    def synthesize(self, text: str) -> Speech:
        """The sentence as Google speaks it; Google tells nothing of when each word is heard."""
        from gtts import gTTS, gTTSError

        for delay in (*RETRY_DELAYS, None):
            try:
                mp3 = io.BytesIO()
                gTTS(text, lang=self.language, lang_check=False).write_to_fp(mp3)
                return Speech(decode(mp3.getvalue(), self.sample_rate))
            except gTTSError as error:
                if delay is None:
                    raise failure(error) from None
                time.sleep(delay)
        raise AssertionError("unreachable")


def failure(error) -> EngineError:
    if getattr(error, "rsp", None) is None:
        return EngineError("gtts: cannot reach Google's speech service (no network?); "
                           "use --engine piper to narrate offline")
    # Google answered, but not with speech, even after retries: this article fails.
    return SpeechError(f"gtts: Google's speech service refused the request ({error.msg})")


def decode(mp3: bytes, sample_rate: int) -> bytes:
    from ...audio import decode_mp3

    segment = decode_mp3(mp3)
    return segment.set_channels(1).set_frame_rate(sample_rate).set_sample_width(2).raw_data
