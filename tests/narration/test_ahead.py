"""Sentences spoken ahead: across sections, two at once, in order, by the real voice."""

import threading
from pathlib import Path

from audiogen.config import Settings
from audiogen.narration.ahead import Ahead
from audiogen.narration.engines import load_engine

FIRST_SECTION = ["Stiff person syndrome is rare.", "It makes muscles stiff."]
LONG = " ".join(["Stiff person syndrome is a rare neurological disorder with muscle stiffness."] * 4)
SECOND_SECTION = ["Treatment helps many people.", "Ask your doctor about it."]


def recording_voice():
    """The default voice on two cores, and a log of which sentence each thread began to speak."""
    voice = load_engine(Settings(voice_threads=2))
    began: list[tuple[str, str]] = []

    def speak(spoken, reader):
        began.append((spoken, threading.current_thread().name))
        return reader.synthesize(spoken), True

    return voice, began, speak


def test_the_next_sections_sentences_are_spoken_while_this_one_is_written():
    voice, began, speak = recording_voice()
    ahead = Ahead(speak)
    try:
        ahead.expect((sentence, voice) for sentence in FIRST_SECTION)
        ahead.expect((sentence, voice) for sentence in SECOND_SECTION)
        said = [ahead.speech(sentence, voice) for sentence in [*FIRST_SECTION, *SECOND_SECTION]]
    finally:
        ahead.close()
    assert voice.at_once == 2
    # Each answer is its own sentence's speech, in the order asked.
    assert [len(speech.words) for speech, _ in said] == [len(s.split()) for s in [*FIRST_SECTION, *SECOND_SECTION]]
    assert [fresh for _, fresh in said] == [True] * 4
    # Asked for the first sentence, the voice began the next two as well: the second section's
    # first sentence before the first section was done. Each was spoken once, on two threads.
    assert {spoken for spoken, _ in began[:3]} == {*FIRST_SECTION, SECOND_SECTION[0]}
    assert sorted(spoken for spoken, _ in began) == sorted([*FIRST_SECTION, *SECOND_SECTION])
    assert len({thread for _, thread in began}) == 2


def test_what_a_failed_article_left_expected_is_forgotten():
    """An article that fails mid-way never asks for its remaining sentences: the next article's
    come next."""
    voice, began, speak = recording_voice()
    ahead = Ahead(speak)
    failed = ["The first article begins here.", "Its second sentence fails.", "Its third is never asked for.",
              "Nor is its fourth."]
    try:
        ahead.expect((sentence, voice) for sentence in failed)
        ahead.speech(failed[0], voice)
        ahead.expect((sentence, voice) for sentence in SECOND_SECTION)
        said = [ahead.speech(sentence, voice) for sentence in SECOND_SECTION]
        assert not ahead.coming and not ahead.started
    finally:
        ahead.close()
    assert [len(speech.words) for speech, _ in said] == [len(s.split()) for s in SECOND_SECTION]
    # Only what was begun before the article failed (the sentence asked for and two ahead) was spoken of it.
    assert "Nor is its fourth." not in [spoken for spoken, _ in began]


def test_the_voice_gives_back_its_working_memory_when_nothing_more_is_expected():
    voice, _, speak = recording_voice()
    voice.synthesize(LONG)
    voice.rest()  # loaded, and what earlier tests left behind given back too
    voice.synthesize(LONG)
    working = resident_megabytes()
    ahead = Ahead(speak)
    try:
        ahead.expect([(LONG, voice)])
        assert len(ahead.speech(LONG, voice)[0].words) == len(LONG.split())
    finally:
        ahead.close()
    assert working - resident_megabytes() > 20


def resident_megabytes() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024
