"""The producer's lexicon, in TOML and W3C PLS, applied to whole words, case-aware, before synthesis."""

import json

import pytest

from audiogen.errors import AudiogenError
from audiogen.speech import lexicon
from audiogen.speech.lexicon import Lexicon
from audiogen.speech.script import Wording
from support import decoded_seconds, manifest_of, run, write_article

PLS = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>Okafor</grapheme><alias>oh kah for</alias></lexeme>
  <lexeme><grapheme>GAD</grapheme><grapheme>gad65</grapheme><phoneme>ɡˈæd</phoneme></lexeme>
  <lexeme><grapheme>Tolkien</grapheme><phoneme alphabet="x-sampa">"tQlki:n</phoneme></lexeme>
</lexicon>
"""


def spoken(text, entries, phonemes=True):
    return " ".join(s.spoken for s in Wording("en-us", Lexicon(entries), phonemes).sentences(text))


def test_toml_entries_replace_whole_words_and_win_over_the_rules(project_folder):
    path = write_article(project_folder, "lexicon.toml", 'SPS = "stiff person syndrome"\nnguyen = "win"\n'
                                                         '"1st" = "the very first"\n')
    entries = lexicon.load(path).entries
    assert spoken("SPS is rare; SPSs and sps are not words here.", entries) == (
        "stiff person syndrome is rare; SPSs and sps are not words here.")
    assert spoken("Dr. Nguyen and NGUYEN came 1st.", entries) == "Doctor win and win came the very first."


def test_pls_aliases_for_every_voice_and_ipa_only_for_voices_that_read_it(project_folder):
    entries = lexicon.load(write_article(project_folder, "lexicon.pls", PLS)).entries
    assert entries == {"Okafor": "oh kah for", "GAD": "[[ɡˈæd]]", "gad65": "[[ɡˈæd]]"}
    assert spoken("Dr. Okafor tested GAD.", entries) == "Doctor oh kah for tested [[ɡˈæd]]."
    assert spoken("Dr. Okafor tested GAD.", entries, phonemes=False) == "Doctor oh kah for tested G.A.D."


def test_front_matter_adds_to_the_project_lexicon(project_folder):
    write_article(project_folder, "lexicon.toml", 'SPS = "stiff person syndrome"\nIVIG = "eye vig"\n')
    article = write_article(project_folder, "a.md", "---\nlexicon:\n  IVIG: intravenous immunoglobulin\n---\n"
                                                    "# A\n\nSPS and IVIG.\n")
    found = json.loads(run("sections", article, "--json").stdout)
    assert found["sections"][0]["text"] == "Introduction. stiff person syndrome and intravenous immunoglobulin."


def test_piper_reads_the_phonemes_and_the_build_says_them(project_folder):
    write_article(project_folder, "lexicon.pls", PLS)
    write_article(project_folder, "audiogen.toml", 'lexicon = "lexicon.pls"\n')
    write_article(project_folder, "articles/gad.txt", "Gad\n\nThe GAD test.\n")
    run("build", "-o", "out")
    manifest = manifest_of(project_folder / "out", "gad")
    assert manifest["sections"][0]["text"] == "Introduction. The [[ɡˈæd]] test."
    assert decoded_seconds(project_folder / "out" / "gad" / "01-introduction.mp3") > 1.5


@pytest.mark.parametrize("name, content, reason", [
    ("bad.toml", 'SPS = 3\n', "'SPS' must be followed by = \"how to say it\""),
    ("bad.pls", "<lexicon>", "not a usable lexicon"),
    ("other.pls", "<root/>", "not a PLS <lexicon>"),
])
def test_a_broken_lexicon_is_a_one_line_error(project_folder, name, content, reason):
    path = write_article(project_folder, name, content)
    with pytest.raises(AudiogenError) as raised:
        lexicon.load(path)
    assert str(path) in raised.value.message and reason in raised.value.message
