"""Bad input: one clear line naming the file, a non-zero exit, no traceback, no partial output,
and every other article still built. Hostile markup never reaches the voice or escapes its folder."""

import json
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ElementTree

import pytest

from support import EDGE_CASES, manifest_of, run, write_article
from support.checks import VTT_WORD_TIME

BAD_FILES = {
    "empty.md": ("", "is empty"),
    "blank.txt": ("\n  \n\t\n", "is empty"),
    "binary.txt": (bytes(range(256)) * 40, "is not a text file"),
    "wrong-types.md": ("---\ntitle: {a: 1}\n---\nText.\n", "front matter 'title' must be text, not dict"),
    "bad-yaml.md": ("---\ntitle: 'unclosed\n---\nText.\n", "front matter is not valid YAML"),
    "escaping-slug.md": ("---\nslug: ../../outside\n---\nText.\n", "slug '../../outside' is not allowed"),
    "absolute-slug.md": ("---\nslug: /etc/passwd\n---\nText.\n", "slug '/etc/passwd' is not allowed"),
    "reserved-slug.md": ("---\nslug: con\n---\nText.\n", "slug 'con' is not allowed"),
    "no-text.html": ("<html><body><nav>Only navigation</nav></body></html>", "has no text to narrate"),
}


def make(folder, name, content):
    path = folder / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_every_bad_file_gets_one_line_and_the_good_one_still_builds(project_folder):
    make(project_folder, "good.txt", "Good\n\nThis one is fine.\n")
    for name, (content, _) in BAD_FILES.items():
        make(project_folder, name, content)
    result = run("build", "-o", "out", expect=1)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    for name, (_, reason) in BAD_FILES.items():
        assert f"Error: articles/{name}: {reason}" in "\n".join(errors), name
    assert len(errors) == len(BAD_FILES) + 1
    assert errors[-1] == f"Error: {len(BAD_FILES)} articles could not be built (see above)"
    assert "Traceback" not in result.stderr + result.stdout
    assert sorted(p.name for p in (project_folder / "out").iterdir() if p.is_dir()) == ["good"]
    assert result.stdout.startswith("Built 1 article, 1 section")


def test_a_huge_file_is_refused(project_folder):
    path = make(project_folder, "huge.txt", "Huge\n\n" + "word " * 4_200_000)
    assert run("sections", path, expect=1).stderr == f"Error: {path}: is too large (21 MB; the limit is 20 MB)\n"


def test_the_same_slug_twice_is_refused_for_the_second_article(project_folder):
    make(project_folder, "a.md", "---\nslug: same\n---\nFirst.\n")
    make(project_folder, "b.md", "---\nslug: same\n---\nSecond.\n")
    result = run("build", "-o", "out", expect=1)
    assert "articles/b.md: slug 'same' is already used by articles/a.md" in result.stderr
    assert manifest_of(project_folder / "out", "same")["source"] == "articles/a.md"


def test_a_reserved_file_name_gets_a_safe_slug(project_folder):
    make(project_folder, "con.txt", "Con\n\nA file named like a device.\n")
    run("build", "-o", "out")
    assert (project_folder / "out" / "con-article" / "con-article.mp3").is_file()


def test_hostile_markup_never_reaches_the_voice_and_titles_never_become_paths(project_folder):
    shutil.copy(EDGE_CASES / "html_hostile_markup.html", project_folder / "hostile.html")
    run("build", "hostile.html", "-o", "out")
    folder = project_folder / "out" / "hostile"
    manifest = manifest_of(project_folder / "out", "hostile")
    spoken = manifest["contents"] + " ".join(section["text"] for section in manifest["sections"])
    assert "alert" not in spoken and "javascript" not in spoken and "svg" not in spoken
    assert "<" not in spoken and ">" not in spoken
    assert sorted(p.name for p in folder.glob("*.mp3")) == [
        "01-introduction.mp3", "02-etc-passwd.mp3", "03-con.mp3", "hostile.mp3"]
    assert all(path.resolve().parent == folder.resolve() for path in folder.iterdir())
    feed = ElementTree.parse(project_folder / "out" / "feed.xml").getroot()
    assert feed.find("channel/item/title").text == "Title with <b>escaped</b> & ../../etc/passwd"
    assert "<b>escaped" not in (project_folder / "out" / "feed.xml").read_text()
    vtt = VTT_WORD_TIME.sub("", (folder / "transcript.vtt").read_text())
    assert "&lt;b&gt;escaped&lt;/b&gt; &amp;" in vtt and "<b>" not in vtt


def test_malformed_html_is_read_as_far_as_it_can_be(project_folder):
    path = shutil.copy(EDGE_CASES / "html_malformed_but_readable.html", project_folder / "malformed.html")
    found = json.loads(run("sections", path, "--json").stdout)
    assert found["title"] == "Unclosed Tags Everywhere"
    assert found["sections"][0]["text"] == ("Introduction. The first paragraph has bold and italic text. "
                                            "A second paragraph starts without closing the first.")


@pytest.mark.slow
def test_a_long_unpunctuated_paragraph_is_spoken_in_pieces(project_folder):
    words = " ".join(f"step{n % 7}" for n in range(130))
    write_article(project_folder, "articles/run-on.txt", f"Run On\n\n{words}\n")
    run("build", "-o", "out")
    text = manifest_of(project_folder / "out", "run-on")["sections"][0]["text"]
    assert text.count(".") == 5  # the title, then four pieces of at most 40 words


def test_the_library_raises_plain_errors_and_never_needs_click():
    code = ("import sys; import audiogen.build, audiogen.errors; "
            "assert 'click' not in sys.modules, 'click imported'; "
            "assert audiogen.errors.AudiogenError.__mro__[1] is Exception")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unexpected_fault_fails_only_that_article_with_one_line(project_folder, monkeypatch):
    """A bug met on one article (injected here, as a real one cannot be summoned) stops only it."""
    from audiogen.speech import script as speech

    real = speech.ScriptWriter.section
    monkeypatch.setattr(speech.ScriptWriter, "section", lambda self, section: (
        1 / 0 if section.title == "Cursed" else real(self, section)))
    write_article(project_folder, "articles/a-bad.md", "# Bad\n\n## Cursed\n\nText.\n")
    write_article(project_folder, "articles/b-good.txt", "Good\n\nFine.\n")
    result = run("build", "-o", "out", expect=1)
    assert ("Error: articles/a-bad.md: could not be built (ZeroDivisionError: division by zero); "
            "run audiogen --debug build to see where") in result.stderr
    assert "Traceback" not in result.stderr and (project_folder / "out" / "b-good" / "b-good.mp3").is_file()
    result = run("--debug", "build", "-o", "out", expect=1)
    assert "Traceback" in result.stderr and "ZeroDivisionError" in result.stderr


def test_a_damaged_or_older_manifest_never_stops_the_feed(project_folder):
    write_article(project_folder, "articles/a.txt", "A\n\nFirst article.\n")
    write_article(project_folder, "articles/b.txt", "B\n\nSecond article.\n")
    run("build", "-o", "out")
    old = manifest_of(project_folder / "out", "b")
    del old["guid"]  # as audiogen 0.1 wrote it
    (project_folder / "out" / "b" / "manifest.json").write_text(json.dumps(old))
    (project_folder / "out" / "a" / "manifest.json").write_text('{"title": "\\u0007", "published": 3}')
    result = run("build", write_article(project_folder, "c.txt", "C\n\nThird.\n"), "-o", "out")
    assert "Warning: out/a/manifest.json: cannot be read" in result.stderr
    titles = [item.find("title").text for item in
              ElementTree.parse(project_folder / "out" / "feed.xml").getroot().iter("item")]
    assert sorted(titles) == ["B", "C"]
    guid = ElementTree.parse(project_folder / "out" / "feed.xml").getroot().find("channel/item[title='B']/guid")
    assert guid.text == str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "audiogen:b"))


def test_an_article_with_no_title_is_built_and_the_producer_told(project_folder):
    write_article(project_folder, "articles/noheadings.md", "Just text, with no heading at all.\n")
    result = run("build", "-o", "out")
    assert ("Warning: articles/noheadings.md: has no title (no 'title' in its front matter, no first heading); "
            "it is called 'noheadings'\n") in result.stderr
    assert json.loads((project_folder / "out" / "noheadings" / "manifest.json").read_text())["title"] == "noheadings"
