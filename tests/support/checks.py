"""What every output folder must be, whatever the articles held: each file parses by its rules."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import feedparser
import html5lib
import podcastparser
from lxml import etree
from mutagen.id3 import ID3
from PIL import Image

from audiogen.characters import removed
from support import decode

VTT_TIMING = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$")
SRT_TIMING = re.compile(r"^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$")
VTT_WORD_TIME = re.compile(r"<(\d{2}:\d{2}:\d{2}\.\d{3})>")
"""A timestamp inside a cue: when the word after it is heard."""
VTT_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|nbsp|lrm|rlm|#\d+|#x[0-9a-fA-F]+);)")


def check_feed(path: Path, folder: Path, base: str = "http://localhost:8000/") -> None:
    """Parsed by podcastparser and feedparser; every enclosure's length is its file's size."""
    with path.open("rb") as feed:
        podcast = podcastparser.parse(base + "feed.xml", feed)
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.bozo_exception)
    assert podcast["title"] and parsed.feed.title
    for episode in podcast["episodes"]:
        for enclosure in episode["enclosures"]:
            assert enclosure["url"].startswith(base), enclosure["url"]
            relative = enclosure["url"][len(base):]
            assert (folder / relative).stat().st_size == enclosure["file_size"], (path, relative)


def check_page(path: Path) -> None:
    html5lib.HTMLParser(strict=True).parse(path.read_bytes())


def cue_blocks(text: str) -> list[list[str]]:
    return [block.split("\n") for block in text.rstrip("\n").split("\n\n")]


def check_webvtt(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    blocks = cue_blocks(text)
    assert blocks[0] == ["WEBVTT"]
    for number, block in enumerate(blocks[1:], 1):
        assert block[0] == str(number) and VTT_TIMING.match(block[1]) and len(block) > 2, block
        cue = "\n".join(block[2:])
        start, end = (vtt_seconds(stamp) for stamp in block[1].split(" --> "))
        stamps = [vtt_seconds(stamp) for stamp in VTT_WORD_TIME.findall(cue)]
        assert all(a < b for a, b in zip([start, *stamps], [*stamps, end])), (block[1], stamps)
        words = VTT_WORD_TIME.sub("", cue)
        assert "-->" not in words and "<" not in words and not VTT_ENTITY.search(words), cue


def vtt_seconds(stamp: str) -> float:
    """00:01:02.345 in seconds."""
    clock, millis = stamp.split(".")
    hours, minutes, seconds = map(int, clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds + int(millis) / 1000


def check_json_transcript(path: Path) -> None:
    """A Podcasting 2.0 JSON transcript: version 1.0.0, segments in time order, each with a
    start, an end no earlier and a body."""
    transcript = json.loads(path.read_text(encoding="utf-8"))
    assert transcript["version"] == "1.0.0" and transcript["segments"], path
    for segment in transcript["segments"]:
        assert set(segment) <= {"speaker", "startTime", "endTime", "body"}, segment
        assert isinstance(segment["body"], str) and segment["body"].strip(), segment
        assert 0 <= segment["startTime"] <= segment["endTime"], segment
    starts = [segment["startTime"] for segment in transcript["segments"]]
    assert starts == sorted(starts), path


def check_subrip(path: Path) -> None:
    for number, block in enumerate(cue_blocks(path.read_text(encoding="utf-8")), 1):
        assert block[0] == str(number) and SRT_TIMING.match(block[1]) and len(block) > 2, block
        cue = "\n".join(block[2:])
        assert "-->" not in cue and not re.search(r"<(?=/?[A-Za-z])|\{\\", cue), cue


def check_text(path: Path) -> None:
    """No character that no XML or voice can carry, in any text file."""
    text = path.read_text(encoding="utf-8")
    bad = [character for character in text if character not in "\n\t\r" and removed(character)]
    assert not bad, (path, bad[:5])


def check_output(output: Path, base: str = "http://localhost:8000/") -> int:
    """Check every file in `output`; return how many were checked."""
    files = [path for path in output.rglob("*") if path.is_file() and not path.name.startswith(".")]
    for path in files:
        if path.suffix in (".xml", ".json", ".html", ".vtt", ".srt", ".smil"):
            check_text(path)
        if path.parent.name == "daisy" and path.suffix in (".html", ".smil"):
            etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True))  # XHTML 1.0, SMIL 1.0
        elif path.name == "feed.xml":
            check_feed(path, output, base)
        elif path.suffix in (".epub", ".zip"):
            assert zipfile.ZipFile(path).testzip() is None
        elif path.suffix == ".html":
            check_page(path)
        elif path.suffix == ".vtt":
            check_webvtt(path)
        elif path.suffix == ".srt":
            check_subrip(path)
        elif path.name == "transcript.json":
            check_json_transcript(path)
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".mp3":
            assert ID3(path).getall("TIT2"), path
    return len(files)


def check_every_file_is_whole(output: Path) -> int:
    """Every file a reader could open is complete; returns how many there are."""
    files = [path for path in output.rglob("*") if path.is_file() and not path.name.endswith(".part")]
    for path in files:
        if path.suffix == ".mp3":
            assert len(decode(path)) > 0
        elif path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".xml":
            etree.parse(str(path), etree.XMLParser(no_network=True))
        elif path.suffix == ".vtt":
            assert path.read_text().startswith("WEBVTT\n") and path.read_text().endswith("\n")
        elif path.suffix == ".png":
            Image.open(path).load()
    for manifest_path in output.glob("*/manifest.json"):
        manifest = json.loads(manifest_path.read_text())
        for name in [manifest["audio"]["file"], *(section["file"] for section in manifest["sections"])]:
            assert (manifest_path.parent / name).is_file()
    return len(files)
