"""Any character in any article: what no XML or voice can carry is removed once, when the article
is read, and every output of a build still parses by its own rules."""

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.characters import clean
from audiogen.reading.readers import read_article
from audiogen.speech.script import Wording
from support import manifest_of, run, write_article
from support.checks import check_output

ESCAPE = "\x1b[31mred\x1b[0m"


@pytest.mark.parametrize("text, kept", [
    (ESCAPE, "[31mred[0m"),  # the escape character goes, the rest is ordinary text
    ("a\x00b\x07c\x7fd\x85e", "abcde"),
    ("Apple \uf8ff logo", "Apple  logo"),
    ("lone \ud800 surrogate", "lone  surrogate"),
    ("unassigned \U000e0080 and \ufffe \uffff", "unassigned  and  "),
    ("override \u202eevil\u202c here", "override evil here"),
    ("cafe\u0301", "café"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("zero\u200bwidth \u200fmark", "zero\u200bwidth \u200fmark"),  # kept for display, not spoken
])
def test_what_no_xml_or_voice_can_carry_is_removed(text, kept):
    assert clean(text) == kept


@pytest.mark.parametrize("written, said", [
    ("The \U0001F469\u200d\U0001F469\u200d\U0001F467 family and the \U0001F1EC\U0001F1E7 flag.",
     "The family and the flag."),
    ("Zero\u200bwidth\u200d joiners and \u200fmarks\u00ad.", "Zerowidth joiners and marks."),
    ("Key " + "A1b2" * 30 + " ends.", "Key ends."),
])
def test_invisible_characters_emoji_and_runs_too_long_for_words_are_not_said(written, said):
    assert [s.spoken for s in Wording().sentences(written)] == [said]


def test_an_article_with_a_terminal_escape_builds_and_its_feed_parses(project_folder):
    write_article(project_folder, "articles/log.md", f"# Pasted {ESCAPE} log\n\nThe log said {ESCAPE} twice.\n")
    write_article(project_folder, "articles/plain.txt", "Plain\n\nNothing odd here.\n")
    run("build", "-o", "out")
    assert manifest_of(project_folder / "out", "log")["title"] == "Pasted [31mred[0m log"
    assert check_output(project_folder / "out") > 10
    run("build", "-o", "out")  # and the next build too


def test_a_private_use_character_never_becomes_a_lexicon_word(project_folder):
    write_article(project_folder, "lexicon.toml", 'SPS = "stiff person syndrome"\nGAD = "gad"\n')
    path = write_article(project_folder, "apple.md", "# Apple\n\nThe \uf8ff\ue000\ue001 logo and SPS.\n")
    assert read_article(path).sections[0].blocks[0].text == "The  logo and SPS."
    run("build", path, "-o", "out")
    spoken = manifest_of(project_folder / "out", "apple")["sections"][0]["text"]
    assert spoken == "Introduction. The logo and stiff person syndrome."


# Whole builds of arbitrary articles: `make fuzz` runs many more examples (FUZZ_EXAMPLES).
SPECIAL = ["\x1b[31m", "\x00", "\x0c", "\uf8ff", "\ue000", "\U000F0000", "\ud800", "\udfff", "\ufffe", "\u202e",
           "\u2066", "\u200b", "\u200d", "\u200f", "\u00ad", "e\u0301", "\u0301", "👩\u200d👩\u200d👧", "🇬🇧",
           "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", "x" * 400, "中" * 350,
           "-->", "<b>", "</i>", "{\\an8}", "&#1;", "&#xE000;", "&#xD800;", "&amp;", "&", "<", "]]>", "\r\n",
           "שלום עולם", "مرحبا", "2024", "$5", "Dr.", "SPS", "\u2028", "\u0085"]
text = st.lists(st.one_of(st.text(alphabet=st.characters(), max_size=30), st.sampled_from(SPECIAL)),
                max_size=6).map("".join)
MARKUP = {".md": "---\ntitle: \"{title}\"\n---\n\n# {title}\n\n{body}\n\n## {heading}\n\n- {body}\n",
          ".html": "<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p>"
                   "<h2>{heading}</h2><table><tr><th>{heading}</th></tr><tr><td>{body}</td></tr></table></body></html>",
          ".txt": "{title}\n\n{body}\n\n{heading}\n\n{body}\n"}
WHOLE_BUILDS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")), deadline=None,
                        suppress_health_check=list(HealthCheck))


@pytest.mark.slow
@WHOLE_BUILDS
@given(title=text, heading=text, body=text, suffix=st.sampled_from(sorted(MARKUP)))
def test_any_characters_in_any_format_build_into_outputs_that_all_parse(title, heading, body, suffix):
    yaml_safe = title.replace("\\", "\\\\").replace('"', '\\"')
    document = MARKUP[suffix].format(title=yaml_safe if suffix == ".md" else title, heading=heading,
                                     body=body + " A sentence to read.")
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / f"article{suffix}"
        article.write_bytes(document.encode("utf-8", errors="surrogatepass"))
        result = run("build", article, "-o", Path(folder) / "out", expect=None)
        assert "Traceback" not in result.stderr
        if result.exit_code:
            errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
            assert errors[0].startswith(f"Error: {article}: ") and len(errors) == 2, result.stderr
            return
        assert check_output(Path(folder) / "out") > 10
