"""An episode's chapters, a section each, and as Podcasting 2.0 JSON chapters (version 1.2.0),
which browsers and apps without ID3 support read."""

from __future__ import annotations

import json

from ..model import Manifest, SectionEntry
from .tags import Chapter


def chapter_list(sections: tuple[SectionEntry, ...], duration: float) -> list[Chapter]:
    """A chapter per section, each to where the next starts (the first from 0, with the spoken
    contents), the last to the end of the episode."""
    ends = [section.start for section in sections[1:]] + [duration]
    return [Chapter(section.title, section.start, round(end, 3)) for section, end in zip(sections, ends)]


def chapters_json(manifest: Manifest) -> str:
    chapters = [{"startTime": chapter.start, "endTime": chapter.end, "title": chapter.title}
                for chapter in chapter_list(manifest.sections, manifest.audio.duration)]
    return json.dumps({"version": "1.2.0", "chapters": chapters}, indent=2, ensure_ascii=False) + "\n"
