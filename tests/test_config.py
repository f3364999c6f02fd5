"""Settings: read from audiogen.toml and the command line, every value checked before anything is
narrated, each error one line."""

import podcastparser
import pytest
from PIL import Image

from support import manifest_of, run, write_article


@pytest.mark.parametrize("settings, message", [
    ('engine = "festival"\n', "audiogen.toml: 'engine' must be one of espeak, gtts, piper, not 'festival'"),
    ('titel = "A Show"\n', "audiogen.toml: 'titel' is not a setting; did you mean 'title'?"),
    ('[pauses]\nparagraf = 1\n', "audiogen.toml: 'pauses.paragraf' is not a setting; did you mean 'paragraph'?"),
    ('category = "Helth & Fitness"\n', "audiogen.toml: 'category' must be one of Apple Podcasts' categories (Arts, "
                                      "Business, Comedy,"),
    ('category = "Health & Fitness/Medecine"\n', "audiogen.toml: 'category' has no subcategory 'Medecine' under "
                                                "'Health & Fitness': it has Alternative Health, Fitness, Medicine,"),
    ('voice = "voices/nowhere.onnx"\n', "voices/nowhere.onnx: no such voice file (give a Piper .onnx voice)"),
    ('speed = "fast"\n', "audiogen.toml: 'speed' must be a number, not 'fast'"),
    ('[pauses]\nparagraph = "long"\n', "audiogen.toml: 'pauses.paragraph' must be a number, not 'long'"),
    ('bitrate = 65\n', "audiogen.toml: 'bitrate' must be one of 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, "
                       "224, 256, 320, not 65"),
    ('bitrate = 0\n', "audiogen.toml: 'bitrate' must be one of 32,"),
    ('speed = -1.0\n', "audiogen.toml: 'speed' must be from 0.5 to 2.0, not -1.0"),
    ('loudness = 3\n', "audiogen.toml: 'loudness' must be from -30.0 to -10.0, not 3.0"),
    ('jobs = 0\n', "audiogen.toml: 'jobs' must be from 1 to 16, not 0"),
    ('[pauses]\ntitle = -1\n', "audiogen.toml: 'pauses.title' must be from 0 to 10.0 seconds"),
    ('title = "unclosed\n', "audiogen.toml: not valid TOML"),
])
def test_bad_settings_stop_the_build_with_one_line(project_folder, settings, message):
    write_article(project_folder, "articles/a.txt", "A\n\nText.\n")
    write_article(project_folder, "audiogen.toml", settings)
    result = run("build", "-o", "out", expect=1)
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1
    assert not (project_folder / "out").exists()


@pytest.mark.parametrize("settings, message", [
    ('base_url = "example.org/podcast"\n',
     "'base_url' must be an http:// or https:// address, not 'example.org/podcast'"),
    ('link = "javascript:alert(1)"\n', "'link' must be an http:// or https:// address"),
    ('language = "english please"\n', "'language' must be a language code such as 'en-us' or 'es'"),
    ('owner_email = "nobody"\n', "'owner_email' must be an e-mail address, not 'nobody'"),
    ('guid = "not-a-uuid"\n', "'guid' must be a UUID"),
    ('title = "  "\n', "'title' must not be empty"),
    ('image = "missing.png"\n', "missing.png: not a usable cover image"),
    ('medium = "radio"\n', "'medium' must be one of podcast, audiobook, blog, newsletter, not 'radio'"),
    ('license_url = "https://example.org/licence"\n', "'license_url' names a licence's text, but 'license' gives"),
    ('license = "Mine"\nlicense_url = "ftp://example.org/l"\n', "'license_url' must be an http:// or https://"),
])
def test_every_setting_is_checked_before_anything_is_narrated(project_folder, settings, message):
    write_article(project_folder, "articles/a.txt", "A\n\nText never spoken.\n")
    write_article(project_folder, "audiogen.toml", settings)
    result = run("build", "-o", "out", expect=1)
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not (project_folder / "out").exists()


def test_relative_paths_in_the_settings_file_are_taken_from_its_folder(project_folder, tmp_path):
    show = tmp_path / "show"
    (show / "art").mkdir(parents=True)
    Image.new("RGB", (1400, 1400), "navy").save(show / "art" / "cover.png")
    write_article(show, "words.toml", 'Okafor = "oh kah for"\n')
    write_article(show, "audiogen.toml", 'image = "art/cover.png"\nlexicon = "words.toml"\n')
    article = write_article(project_folder, "articles/a.txt", "A\n\nDoctor Okafor called.\n")
    run("build", article, "-o", "out", "--config", show / "audiogen.toml")
    assert (project_folder / "out" / "cover.png").read_bytes() == (show / "art" / "cover.png").read_bytes()
    assert "oh kah for" in manifest_of(project_folder / "out", "a")["sections"][0]["text"]


BASE = "https://podcasts.example.org/show/"


def test_command_line_overrides_audiogen_toml(project_folder):
    write_article(project_folder, "audiogen.toml", 'title = "From File"\nbase_url = "https://a.example/"\n')
    write_article(project_folder, "articles/one.txt", "One\n\nA sentence.\n")
    run("build", "--base-url", "https://b.example/casts", "-o", "out")
    podcast = podcastparser.parse("x", (project_folder / "out" / "feed.xml").open("rb"))
    assert podcast["title"] == "From File"
    assert podcast["episodes"][0]["enclosures"][0]["url"] == "https://b.example/casts/one/one.mp3"


def test_bad_settings_are_one_line_errors(project_folder):
    write_article(project_folder, "articles/one.txt", "One\n\nA sentence.\n")
    write_article(project_folder, "audiogen.toml", 'category = "Cooking"\n')
    assert run("build", expect=1).stderr == (
        "Error: audiogen.toml: 'category' must be one of Apple Podcasts' categories (Arts, Business, Comedy, "
        "Education, Fiction, Government, History, Health & Fitness, Kids & Family, Leisure, Music, News, Religion & "
        "Spirituality, Science, Society & Culture, Sports, Technology, True Crime, TV & Film; a subcategory follows a "
        "slash, as in 'Health & Fitness/Medicine'), not 'Cooking'\n")
    write_article(project_folder, "audiogen.toml", 'explicit = "maybe"\n')
    assert run("build", expect=1).stderr == "Error: audiogen.toml: 'explicit' must be true or false, not 'maybe'\n"
    write_article(project_folder, "audiogen.toml", 'colour = "blue"\n')
    assert "'colour' is not a setting (docs/settings.md lists them)" in run("build", expect=1).stderr


def test_configured_cover_art_is_checked(project_folder):
    Image.new("RGB", (1400, 1000), "white").save(project_folder / "wide.png")
    write_article(project_folder, "articles/one.txt", "One\n\nA sentence.\n")
    write_article(project_folder, "audiogen.toml", 'image = "wide.png"\n')
    assert "must be square and at least 1400 px (it is 1400×1000)" in run("build", expect=1).stderr
    Image.new("RGBA", (1500, 1500), "white").save(project_folder / "square.png")
    write_article(project_folder, "audiogen.toml", 'image = "square.png"\n')
    run("build", "-o", "out")
    assert Image.open(project_folder / "out" / "cover.png").mode == "RGB"


def test_unknown_engine_and_missing_voice_are_clear_errors(project_folder):
    write_article(project_folder, "articles/a.txt", "A\n\nText.\n")
    assert run("build", "--engine", "festival", expect=1).stderr == (
        "Error: --engine must be one of espeak, gtts, piper, not 'festival'\n")
    assert run("build", "--jobs", "0", expect=1).stderr == "Error: --jobs must be from 1 to 16, not 0\n"
    result = run("build", "--voice", "missing.onnx", expect=1)
    assert result.stderr == "Error: missing.onnx: no such voice file (give a Piper .onnx voice)\n"
