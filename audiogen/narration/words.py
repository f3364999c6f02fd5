"""When each written word is heard, from when the voice says each spoken word.

A voice times the words it was given (`Sentence.spoken`: numbers, abbreviations and lexicon
words already expanded), but a listener follows the words as written: "90 cm" is said as
"ninety centimeters", two words shown, three heard. The written and spoken words are matched
where they are the same word (most of them), and each run between two matches (what the
normaliser rewrote) takes the time its spoken words take, shared among its written words by
their length. A written word with nothing spoken for it (an address left unsaid) is given
the moment where it stands.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..model import Word

LETTERS = re.compile(r"\W+")


def written_words(written: str, spoken: str, heard: tuple[tuple[float, float], ...], offset: float) -> tuple[Word, ...]:
    """Each word of `written` (split at spaces) with when it is heard, `offset` seconds into the
    file, given `heard`, the voice's timing of each word of `spoken`."""
    shown, said = written.split(), spoken.split()
    if not shown or not heard or not said:
        return ()
    times = spoken_times(said, heard)
    matcher = SequenceMatcher(None, [simple(word) for word in shown], [simple(word) for word in said], autojunk=False)
    found: list[tuple[float, float]] = []
    for tag, shown_start, shown_end, said_start, said_end in matcher.get_opcodes():
        if tag == "equal":
            found += times[said_start:said_end]
        elif shown_end > shown_start:
            span = (times[said_start][0], times[said_end - 1][1]) if said_end > said_start else \
                (found[-1][1],) * 2 if found else (times[0][0],) * 2
            found += shared(span, [len(word) for word in shown[shown_start:shown_end]])
    return tuple(Word(round(start + offset, 3), round(end + offset, 3), text)
                 for (start, end), text in zip(found, shown))


def simple(word: str) -> str:
    return LETTERS.sub("", word.lower())


def spoken_times(said: list[str], heard: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    """A time for each spoken word: the voice's own when it timed as many words as it was given,
    else the sentence's span shared among them by length (a voice that split or joined words)."""
    if len(heard) == len(said):
        return [(float(start), float(end)) for start, end in heard]
    return shared((float(heard[0][0]), float(heard[-1][1])), [len(word) for word in said])


def shared(span: tuple[float, float], lengths: list[int]) -> list[tuple[float, float]]:
    """`span` cut into consecutive pieces in proportion to `lengths`."""
    start, end = span
    total, pieces, done = sum(lengths) or 1, [], 0
    for length in lengths:
        first = start + (end - start) * done / total
        done += length
        pieces.append((first, start + (end - start) * done / total))
    return pieces
