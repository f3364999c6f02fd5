"""Property-based tests: any Unicode input reads without a crash, and no markup is ever spoken."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.config import Pauses
from audiogen.errors import ArticleError
from audiogen.reading.readers import read_article
from audiogen.speech.normalize import normalize
from audiogen.speech.script import ScriptWriter, Wording

MARKUP = re.compile(r"<[/!?a-zA-Z]|&[a-zA-Z]+;|&#\d+;|://")
TAGS = ["p", "h1", "h2", "h3", "ul", "li", "table", "tr", "td", "th", "script", "style", "a", "img",
        "pre", "code", "blockquote", "aside", "nav", "div", "span", "iframe", "svg", "figure", "sup"]
ATTRIBUTES = ['', ' hidden', ' class="ad"', ' aria-hidden="true"', ' href="https://x.example/?a=1&b=2"',
              ' alt="alt text"', ' onclick="alert(1)"', ' style="display:none"']

text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400)
fragment = st.one_of(
    text,
    st.builds(lambda tag, attribute, inner: f"<{tag}{attribute}>{inner}</{tag}>",
              st.sampled_from(TAGS), st.sampled_from(ATTRIBUTES), text),
    st.sampled_from(["<", ">", "&", "&amp;", "&lt;script&gt;", "<!--", "-->", "<![CDATA[", "]]>", "---",
                     "\n\n", "# ", "## ", "- ", "1. ", "| a | b |\n|---|---|\n", "```\n", "[^1]", "[x](y)"]))
document = st.lists(fragment, max_size=25).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def spoken(path):
    article = read_article(path)
    writer = ScriptWriter(Wording(), Pauses())
    return [writer.section(section) for section in article.sections]


def check_never_markup(path):
    try:
        scripts = spoken(path)
    except ArticleError as error:
        assert str(path) in error.message and "\n" not in error.message
        return
    for script in scripts:
        assert not MARKUP.search(script.text), script.text
        assert "<" not in script.text and ">" not in script.text


@FAST
@given(document=document, suffix=st.sampled_from([".md", ".html", ".txt"]))
def test_any_document_reads_or_fails_clearly_and_never_speaks_markup(tmp_path, document, suffix):
    path = tmp_path / f"article{suffix}"
    path.write_text(document, encoding="utf-8")
    check_never_markup(path)


@FAST
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".md", ".html", ".txt"]))
def test_any_bytes_read_or_fail_clearly(tmp_path, data, suffix):
    path = tmp_path / f"article{suffix}"
    path.write_bytes(data)
    check_never_markup(path)


@settings(max_examples=500, deadline=None)
@given(text=text)
def test_normalisation_of_any_text_never_crashes_or_leaves_markup_characters(text):
    said = normalize(text)
    assert "<" not in said and ">" not in said and "://" not in said


@settings(max_examples=300, deadline=None)
@given(numbers=st.lists(st.one_of(st.integers(-10**20, 10**20).map(str),
                                  st.floats(allow_nan=False, allow_infinity=False).map(str),
                                  st.sampled_from(["$", "£", "€", "%", "/", "-", "–", ":", ".", ",", "st", "th",
                                                   " km", "mg", "°C", "s", " a.m.", "pm", "IV", "Phase "])),
                        max_size=12).map("".join))
def test_numbers_and_symbols_in_any_arrangement_are_said_in_words(numbers):
    said = normalize(numbers)
    assert not re.search(r"\d", said), said
