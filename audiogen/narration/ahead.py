"""Sentences spoken ahead of the narration that needs them, several at once.

A local build asks for every section of an article before it narrates the first, so the voice
need not wait at a section's end while the build hands it to the encoder and starts the next:
`Ahead` keeps a voice's `at_once` sentences being spoken, in the order the narration will ask
for them, across sections. Piper speaks two at once on two cores, each on one of them, as a
sentence's operators are too small to keep two threads busy. Measured on the sample (2 cores):
its voice takes 19 s one sentence at a time on both cores, 19 s two at a time within each
section, 16 s two at a time across sections.
"""

from __future__ import annotations

from collections import Counter, deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterable

from .engines import Engine, Speech

MOST_AT_ONCE = 2
"""Sentences spoken at once, whatever a voice allows: each holds its own working memory."""

Speaking = Callable[[str, Engine], tuple[Speech, bool]]


class Ahead:
    """Speaks the sentences it expects, in order, `at_once` (the reader's) at a time."""

    def __init__(self, speak: Speaking):
        self.speak = speak
        self.coming: deque[tuple[str, Engine]] = deque()
        self.waiting: Counter = Counter()
        """How many times each sentence is in `coming`."""
        self.started: dict[tuple[str, str], Future] = {}
        self.pool = ThreadPoolExecutor(MOST_AT_ONCE, thread_name_prefix="voice")
        """At most MOST_AT_ONCE spoken at a time, however many are started."""

    def expect(self, sentences: Iterable[tuple[str, Engine]]) -> None:
        """Sentences (and their readers) that the narration will ask for, in that order."""
        for sentence in sentences:
            self.coming.append(sentence)
            self.waiting[named(*sentence)] += 1

    def speech(self, spoken: str, reader: Engine) -> tuple[Speech, bool]:
        """A sentence's speech, and whether the voice spoke it (see `Narrator.speech`); the next
        ones expected are started meanwhile."""
        name = named(spoken, reader)
        future = self.take(name) or self.pool.submit(self.speak, spoken, reader)
        at_once = min(getattr(reader, "at_once", 1), MOST_AT_ONCE)
        # As many again ahead: one that finishes before the one asked for makes room for the next.
        self.start_next(at_once if at_once > 1 else 0)
        said = future.result()
        if not (self.started or self.coming) and hasattr(reader, "rest"):
            reader.rest()  # the voice is idle until the build asks for more
        return said

    def take(self, name: tuple[str, str]) -> Future | None:
        """The sentence's speech if it is started; what was expected before it is forgotten, as
        it will not be asked for (its article failed)."""
        while self.started:
            first = next(iter(self.started))
            future = self.started.pop(first)
            if first == name:
                return future
            future.cancel()
        while self.waiting[name]:
            skipped = named(*self.coming.popleft())
            self.waiting[skipped] -= 1
            if skipped == name:
                break
        return None

    def start_next(self, room: int) -> None:
        while self.coming and len(self.started) < room:
            name = named(*self.coming[0])
            if name in self.started:
                return  # said twice in a row: the second time comes from the cache
            spoken, reader = self.coming.popleft()
            self.waiting[name] -= 1
            self.started[name] = self.pool.submit(self.speak, spoken, reader)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def named(spoken: str, reader: Engine) -> tuple[str, str]:
    return spoken, reader.identity
