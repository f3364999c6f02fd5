"""Podcasting 2.0 JSON chapters (version 1.2.0), which browsers and apps without ID3 support read."""

from __future__ import annotations

import json

from ..model import Manifest


def chapters_json(manifest: Manifest) -> str:
    ends = [section.start for section in manifest.sections[1:]] + [manifest.audio.duration]
    chapters = [{"startTime": section.start, "endTime": round(end, 3), "title": section.title}
                for section, end in zip(manifest.sections, ends)]
    return json.dumps({"version": "1.2.0", "chapters": chapters}, indent=2, ensure_ascii=False) + "\n"
