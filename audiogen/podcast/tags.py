"""ID3v2 tags, written with mutagen: titles, track numbers and chapter frames.

Tags are made as bytes and put in front of the MP3 frames, so that a file is
written once, whole, instead of being rewritten in place to insert a tag.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from mutagen.id3 import CHAP, CTOC, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, TRCK, CTOCFlags

from ..languages import primary

# ID3 wants ISO 639-2 codes; articles give ISO 639-1 ("en-us").
ISO_639_2 = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "it": "ita", "pt": "por",
             "nl": "nld", "sv": "swe", "da": "dan", "no": "nor", "nb": "nob", "fi": "fin",
             "pl": "pol", "ru": "rus", "uk": "ukr", "cs": "ces", "el": "ell", "tr": "tur",
             "ar": "ara", "he": "heb", "hi": "hin", "ja": "jpn", "ko": "kor", "zh": "zho",
             "ca": "cat", "hu": "hun", "ro": "ron", "cy": "cym", "ga": "gle", "is": "isl"}


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class TagValues:
    title: str
    artist: str
    album: str
    date: str
    language: str
    track: int
    tracks: int


def text_frames(values: TagValues) -> ID3:
    tag = ID3()
    tag.add(TIT2(encoding=3, text=[values.title]))
    tag.add(TALB(encoding=3, text=[values.album]))
    tag.add(TRCK(encoding=3, text=[f"{values.track}/{values.tracks}"]))
    tag.add(TCON(encoding=3, text=["Podcast"]))
    if values.artist:
        tag.add(TPE1(encoding=3, text=[values.artist]))
    if values.date:
        tag.add(TDRC(encoding=3, text=[values.date[:10]]))
    if values.language:
        short = primary(values.language)
        tag.add(TLAN(encoding=3, text=[ISO_639_2.get(short, short)]))
    return tag


def add_chapters(tag: ID3, chapters: list[Chapter]) -> None:
    """One CHAP per chapter, in time order (AntennaPod relies on it), and a CTOC of them all."""
    ids = [f"chp{index}" for index in range(len(chapters))]
    for element_id, chapter in zip(ids, chapters):
        tag.add(CHAP(element_id=element_id, start_time=round(chapter.start * 1000),
                     end_time=round(chapter.end * 1000),
                     sub_frames=[TIT2(encoding=3, text=[chapter.title])]))
    tag.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                 child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=["Chapters"])]))


def tag_bytes(values: TagValues, chapters: list[Chapter] = ()) -> bytes:
    """An ID3v2.3 tag (the version every podcast app reads) as bytes."""
    tag = text_frames(values)
    if chapters:
        add_chapters(tag, list(chapters))
    buffer = io.BytesIO()
    tag.save(buffer, v2_version=3, padding=lambda info: 0)
    return buffer.getvalue()
