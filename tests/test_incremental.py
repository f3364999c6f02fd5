"""Rebuilds cost what changed: a sentence edited is one sentence spoken and one section encoded."""

import re

from support import run, work_done, write_article

ARTICLE = """---
title: Incremental
---

The opening sentence stays. A second sentence stays too.

## Middle

This sentence will be edited. Its neighbour does not change.

## End

The last words.
"""


def test_a_rebuild_with_nothing_changed_synthesises_and_encodes_nothing(project_folder):
    write_article(project_folder, "articles/incremental.md", ARTICLE)
    run("build", "-o", "out")
    before = {p: p.stat().st_mtime_ns for p in (project_folder / "out").rglob("*") if p.is_file()}
    assert work_done(run("build", "-o", "out").stdout) == (0, 0)
    assert {p: p.stat().st_mtime_ns for p in (project_folder / "out").rglob("*") if p.is_file()} == before


def test_one_edited_sentence_is_the_only_one_spoken_again(project_folder):
    path = write_article(project_folder, "articles/incremental.md", ARTICLE)
    run("build", "-o", "out")
    path.write_text(ARTICLE.replace("will be edited", "has been edited"))
    result = run("build", "-o", "out")
    assert work_done(result.stdout) == (1, 1)  # the sentence, then its section
    manifest = (project_folder / "out" / "incremental" / "manifest.json").read_text()
    assert "This sentence has been edited." in manifest
    assert "This sentence has been edited." in (project_folder / "out" / "incremental" / "transcript.vtt").read_text()
