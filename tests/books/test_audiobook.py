"""M4B audiobooks, read back as audiobook apps read them: ffmpeg's chapters, mutagen's tags."""

import re
import subprocess

import pytest
from mutagen.mp4 import MP4

from audiogen.audio import ffmpeg
from support import decoded_seconds, ebur128, manifest_of, run, write_article


def chapters_and_stream(path):
    """The chapters (start in seconds, title) as ffmpeg reads them back, and its stream line."""
    result = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(path), "-f", "ffmetadata", "-"],
                            capture_output=True, text=True)
    chapters = []
    for block in result.stdout.split("[CHAPTER]")[1:]:
        fields = dict(line.split("=", 1) for line in block.strip().splitlines() if "=" in line)
        numerator, denominator = map(int, fields["TIMEBASE"].split("/"))
        chapters.append((int(fields["START"]) * numerator / denominator, fields["title"]))
    stream = re.search(r"Stream #0:0.*Audio: (.*)", result.stderr).group(1)
    return chapters, stream


def test_an_article_as_an_m4b_with_its_sections_as_chapters_and_the_tags_apps_show(built_site):
    manifest = manifest_of(built_site, "two-short-parts")
    m4b = built_site / "two-short-parts" / manifest["m4b"]
    chapters, stream = chapters_and_stream(m4b)
    assert stream.startswith("aac (LC)") and "mono" in stream
    assert [title for _, title in chapters] == [section["title"] for section in manifest["sections"]]
    for (start, _), section in zip(chapters, manifest["sections"]):
        assert abs(start - section["start"]) <= 0.05
    episode = built_site / "two-short-parts" / manifest["audio"]["file"]
    tags = MP4(m4b)
    assert abs(tags.info.length - decoded_seconds(episode)) <= 0.1
    assert tags["\xa9nam"] == ["Two Short Parts"] and tags["\xa9alb"] == ["Two Short Parts"]
    assert tags["\xa9ART"] == ["Test Author"] and tags["\xa9day"] == ["2024"] and tags["stik"] == [2]
    assert tags["\xa9wrt"][0].startswith("Piper voice") and tags["\xa9wrt"][0].endswith("synthetic")
    assert bytes(tags["covr"][0]) == (built_site / "cover.png").read_bytes()
    assert [chapter.title for chapter in tags.chapters] == [title for _, title in chapters]
    loudness, peak = ebur128(m4b)
    assert abs(loudness - -16) <= 1 and peak <= -0.5, (loudness, peak)


def test_the_audiobook_shelf_holds_each_m4b_under_its_author_and_title(built_site):
    shelved = built_site / "audiobooks" / "Test Author" / "Two Short Parts" / "Two Short Parts.m4b"
    assert shelved.samefile(built_site / "two-short-parts" / "two-short-parts.m4b")
    assert sorted(path.relative_to(built_site / "audiobooks").as_posix()
                  for path in (built_site / "audiobooks").rglob("*.m4b")) == [
        "Show Author/An Undated Note/An Undated Note.m4b", "Test Author/Two Short Parts/Two Short Parts.m4b"]


def test_the_player_offers_the_m4b_for_audiobook_apps(built_site):
    page = (built_site / "two-short-parts" / "index.html").read_text()
    assert '<a href="two-short-parts.m4b">Audiobook with chapters, for audiobook apps</a>' in page


def test_m4b_off_removes_it_and_its_place_on_the_shelf(project_folder):
    write_article(project_folder, "articles/a.md", "# A book\n\nOne.\n\n## Two\n\nTwo.\n")
    write_article(project_folder, "audiogen.toml", "m4b = true\naudiobook_shelf = true\nauthor = 'A/B: C'\n")
    run("build", "-o", "out")
    shelf = project_folder / "out" / "audiobooks"
    assert [path.relative_to(shelf).as_posix() for path in shelf.rglob("*.m4b")] == ["A B C/A book/A book.m4b"]
    write_article(project_folder, "audiogen.toml", "m4b = false\naudiobook_shelf = true\n")
    run("build", "-o", "out")
    assert not (project_folder / "out" / "audiobooks").exists()
    assert not list((project_folder / "out").rglob("*.m4b"))


@pytest.mark.slow
def test_a_folder_as_one_m4b_a_chapter_per_section_named_by_its_article(project_folder):
    write_article(project_folder, "articles/a.md", "---\ndate: 2024-01-01\n---\n# First\n\nOne.\n\n## Two\n\nTwo.\n")
    write_article(project_folder, "articles/b.md", "---\ndate: 2024-01-02\n---\n# Second\n\nThree.\n")
    run("book", "articles", "-o", "handbook.m4b", "--title", "Handbook", "--author", "Ann")
    chapters, stream = chapters_and_stream(project_folder / "handbook.m4b")
    assert [title for _, title in chapters] == ["First: Introduction", "First: Two", "Second: Introduction"]
    assert chapters[0][0] == 0 and chapters[1][0] < chapters[2][0]
    tags = MP4(project_folder / "handbook.m4b")
    assert tags["\xa9nam"] == ["Handbook"] and tags["\xa9ART"] == ["Ann"]
    assert tags.info.length > chapters[2][0] + 1
