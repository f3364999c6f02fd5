"""The DAISY 2.02 rules that can be checked offline (no validator exists on PyPI, npm or Debian).

From the DAISY 2.02 specification and the RelaxNG/Schematron rules of DAISY Pipeline 2
(d202ncc.rng, d202smil.rng, d202meta.rng): the NCC's structure and required
metadata, its counts, each SMIL file's structure and timing metadata, every link
resolving, clips inside their audio and contiguous. Not checked: validation against
the XHTML 1.0 and SMIL 1.0 DTDs themselves, and how players render the book.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

XHTML = "{http://www.w3.org/1999/xhtml}"
NCC_ONCE = ["dc:date", "dc:format", "dc:identifier", "dc:title", "dc:publisher", "ncc:charset",
            "ncc:pageFront", "ncc:pageNormal", "ncc:pageSpecial", "ncc:tocItems", "ncc:totalTime"]
NCC_AT_LEAST_ONCE = ["dc:language", "dc:creator"]
SMIL_CLOCK = re.compile(r"^(\d+):(\d{2}):(\d{2})$")
NPT = re.compile(r"^npt=(\d+(?:\.\d+)?)s$")


def parse(path: Path) -> etree._Element:
    """Parsed without its DOCTYPE's DTD, which would be fetched from the web."""
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    return etree.parse(str(path), parser).getroot()


def seconds(clock: str) -> int:
    hours, minutes, whole = map(int, SMIL_CLOCK.match(clock).groups())
    return hours * 3600 + minutes * 60 + whole


def meta(head: etree._Element, tag: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in head.iter(tag):
        if element.get("name"):
            found.setdefault(element.get("name"), []).append(element.get("content"))
    return found


def check_ncc(folder: Path) -> list[tuple[str, str]]:
    """The NCC's rules; returns its links as (SMIL file, fragment)."""
    ncc = parse(folder / "ncc.html")
    assert ncc.tag == f"{XHTML}html" and "<!DOCTYPE html PUBLIC" in (folder / "ncc.html").read_text()
    metadata = meta(ncc.find(f"{XHTML}head"), f"{XHTML}meta")
    for name in NCC_ONCE:
        assert len(metadata.get(name, [])) == 1, name
    for name in NCC_AT_LEAST_ONCE:
        assert metadata.get(name), name
    assert metadata["dc:format"] == ["Daisy 2.02"] and metadata["ncc:charset"] == ["utf-8"]
    assert metadata["ncc:multimediaType"] == ["audioFullText"]
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", metadata["dc:date"][0])
    body = list(ncc.find(f"{XHTML}body"))
    assert body[0].tag == f"{XHTML}h1" and body[0].get("class") == "title"
    assert int(metadata["ncc:tocItems"][0]) == len(body)
    levels = [int(element.tag[-1]) for element in body]
    assert all(element.tag[:-1] == f"{XHTML}h" and element.get("id") for element in body)
    assert int(metadata["ncc:depth"][0]) == max(levels)
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), "a heading level skipped"
    assert int(metadata["ncc:files"][0]) == len([path for path in folder.iterdir() if path.is_file()])
    assert all(path.is_file() for path in folder.iterdir()), "DAISY 2.02 books are one flat folder"
    links = []
    for element in body:
        anchors = element.findall(f"{XHTML}a")
        assert len(anchors) == 1 and anchors[0].text
        target, _, fragment = anchors[0].get("href").partition("#")
        links.append((target, fragment))
    return links


def check_smil(folder: Path, name: str, elapsed: float, audio_seconds) -> tuple[float, set[str]]:
    """One SMIL file's rules; returns its length in seconds and the ids it holds."""
    smil = parse(folder / name)
    assert smil.tag == "smil" and "<!DOCTYPE smil PUBLIC" in (folder / name).read_text()
    metadata = meta(smil.find("head"), "meta")
    assert metadata["dc:format"] == ["Daisy 2.02"]
    assert smil.find("head/layout/region").get("id")
    sequence = smil.find("body/seq")
    total = float(sequence.get("dur").rstrip("s"))
    assert abs(seconds(metadata["ncc:timeInThisSmil"][0]) - total) <= 0.5
    assert abs(seconds(metadata["ncc:totalElapsedTime"][0]) - elapsed) <= 0.5 + elapsed * 1e-4
    previous_end, ids = 0.0, {element.get("id") for element in smil.iter() if element.get("id")}
    for par in sequence.findall("par"):
        assert par.get("endsync") == "last" and par.get("id")
        text, audio = par.find("text"), par.find("audio")
        assert text.get("id") and audio.get("id")
        document, _, fragment = text.get("src").partition("#")
        assert parse(folder / document).xpath("//*[@id=$id]", id=fragment), text.get("src")
        begin, end = (float(NPT.match(audio.get(edge)).group(1)) for edge in ("clip-begin", "clip-end"))
        assert begin == previous_end and begin < end <= audio_seconds(folder / audio.get("src")) + 0.001
        previous_end = end
    assert abs(previous_end - total) <= 0.001
    return total, ids


def check_daisy(folder: Path, audio_seconds) -> None:
    """Every rule above, on the DAISY 2.02 book in `folder`; `audio_seconds(path)` decodes a file."""
    links = check_ncc(folder)
    smils = list(dict.fromkeys(target for target, _ in links))
    assert sorted(smils) == sorted(path.name for path in folder.glob("*.smil"))
    elapsed, ids = 0.0, {}
    for name in smils:
        length, ids[name] = check_smil(folder, name, elapsed, audio_seconds)
        elapsed += length
    for target, fragment in links:
        assert fragment in ids[target], (target, fragment)
    total = meta(parse(folder / "ncc.html").find(f"{XHTML}head"), f"{XHTML}meta")["ncc:totalTime"][0]
    assert abs(seconds(total) - elapsed) <= 1
