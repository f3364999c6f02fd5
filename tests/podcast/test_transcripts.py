"""Transcripts and chapters: WebVTT and SubRip timed by sentence, JSON chapters matching the ID3 ones."""

import json

from mutagen.id3 import ID3

from audiogen.model import Cue, Word
from audiogen.podcast.transcripts import subrip, webvtt
from support import decoded_seconds, manifest_of
from support.checks import VTT_WORD_TIME, check_json_transcript, check_subrip, check_webvtt, vtt_seconds


def cues_of(text, separator):
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        if "-->" in block:
            timing = next(line for line in lines if "-->" in line)
            start, end = (stamp_seconds(part.strip(), separator) for part in timing.split("-->"))
            cues.append((start, end, VTT_WORD_TIME.sub("", " ".join(lines[lines.index(timing) + 1:]))))
    return cues


def stamp_seconds(stamp, separator):
    clock, millis = stamp.split(separator)
    hours, minutes, seconds = map(int, clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds + int(millis) / 1000


def test_transcripts_are_sentence_timed_ordered_and_within_the_audio(built_site):
    folder = built_site / "two-short-parts"
    duration = decoded_seconds(folder / "two-short-parts.mp3")
    vtt = (folder / "transcript.vtt").read_text()
    assert vtt.startswith("WEBVTT\n\n")
    for cues in (cues_of(vtt, "."), cues_of((folder / "transcript.srt").read_text(), ",")):
        assert [text for *_, text in cues][-2:] == ["Second part", "The end."]
        assert all(0 <= start < end <= duration for start, end, _ in cues)
        assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:]))


def test_cue_timing_matches_the_audio(built_site):
    """A cue starts where its sentence's speech starts: silence just before, sound just after."""
    import numpy as np

    from support import decode

    samples = np.abs(decode(built_site / "two-short-parts" / "two-short-parts.mp3").astype(float))
    for start, end, _ in cues_of((built_site / "two-short-parts" / "transcript.vtt").read_text(), "."):
        before = samples[int((start - 0.15) * 44100):int(start * 44100)].mean()
        during = samples[int(start * 44100):int(end * 44100)].mean()
        assert during > 8 * max(before, 1.0)


def test_transcripts_escape_what_webvtt_would_read_as_markup(built_site):
    # Plain text is not HTML: the tags are the writer's own characters, shown as such.
    vtt = VTT_WORD_TIME.sub("", (built_site / "undated" / "transcript.vtt").read_text())
    assert "It has no date &amp; one &lt;b&gt;section&lt;/b&gt;." in vtt


def test_chapters_json_matches_the_id3_chapters(built_site):
    chapters = json.loads((built_site / "two-short-parts" / "chapters.json").read_text())
    assert chapters["version"] == "1.2.0"
    starts = [chapter["startTime"] for chapter in chapters["chapters"]]
    assert all(isinstance(start, float) for start in starts) and starts == sorted(starts)
    frames = sorted(ID3(built_site / "two-short-parts" / "two-short-parts.mp3").getall("CHAP"),
                    key=lambda frame: frame.start_time)
    assert [round(start * 1000) for start in starts] == [frame.start_time for frame in frames]
    assert [c["title"] for c in chapters["chapters"]] == ["Introduction", "First part", "Second part"]


def test_subrip_cue_text_cannot_be_read_as_markup_or_timing(tmp_path):
    path = tmp_path / "t.srt"
    path.write_text(subrip([Cue(0, 1, "A <b>bold</b> claim {\\an8} --> here"), Cue(1, 2, "x < y")]))
    check_subrip(path)
    assert "‹b>bold‹/b>" in path.read_text() and "x < y" in path.read_text()


def test_webvtt_times_every_word_inside_its_cue_as_the_json_transcript_does(built_site):
    """Karaoke cues: a timestamp before each word after the first, after the cue's start and the
    one before, before the cue's end; the JSON transcript has the same words at the same times."""
    folder = built_site / "two-short-parts"
    check_webvtt(folder / "transcript.vtt")
    check_json_transcript(folder / "transcript.json")
    vtt = (folder / "transcript.vtt").read_text()
    stamps = [round(vtt_seconds(stamp), 3) for stamp in VTT_WORD_TIME.findall(vtt)]
    words = [segment for segment in json.loads((folder / "transcript.json").read_text())["segments"]]
    assert len(stamps) >= len(words) - 2 * vtt.count("-->")
    assert set(stamps) <= {segment["startTime"] for segment in words}
    assert " ".join(segment["body"] for segment in words) == " ".join(text for *_, text in cues_of(vtt, "."))
    duration = manifest_of(built_site, "two-short-parts")["audio"]["duration"]
    assert words[-1]["endTime"] <= duration and words[0]["body"] == "Two"


def test_a_word_heard_no_later_than_the_one_before_carries_no_timestamp():
    cue = Cue(1.0, 3.0, "At 90 cm, here.", (Word(1.0, 1.2, "At"), Word(1.3, 1.8, "90"), Word(1.3, 1.3, "cm,"),
                                             Word(2.0, 2.5, "here.")))
    assert webvtt([cue]).split("\n")[4] == "At <00:00:01.300>90 cm, <00:00:02.000>here."
