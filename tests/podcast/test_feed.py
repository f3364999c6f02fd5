"""The podcast feeds, chapters and transcripts, read back by real podcast parsers."""

import re
import time
import uuid
import xml.etree.ElementTree as ElementTree

import feedparser
import podcastparser
from PIL import Image

from audiogen.podcast.identity import podcast_guid
from support import decoded_seconds, manifest_of, run, write_article

BASE = "https://podcasts.example.org/show/"
NS = {"podcast": "https://podcastindex.org/namespace/1.0", "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
      "psc": "http://podlove.org/simple-chapters", "content": "http://purl.org/rss/1.0/modules/content/"}


def parse(path):
    with path.open("rb") as feed:
        return podcastparser.parse(BASE + "feed.xml", feed)


def xml(path):
    return ElementTree.parse(path).getroot().find("channel")


def test_podcast_guid_follows_the_namespace_specification():
    assert podcast_guid("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert podcast_guid("https://podnews.net/rss/") == podcast_guid("http://podnews.net/rss")


def test_show_feed_parses_without_error_in_podcastparser_and_feedparser(built_site):
    podcast = parse(built_site / "feed.xml")
    assert podcast["title"] == "Test Show" and podcast["link"] == BASE
    assert podcast["description"] == "A show made by the tests."
    assert podcast["cover_url"] == BASE + "cover.png" and podcast["type"] == "episodic"
    parsed = feedparser.parse(str(built_site / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.language == "en-us" and parsed.feed.publisher_detail.email == "owner@example.org"
    assert parsed.feed.tags[0].term == "Health & Fitness"
    assert parsed.namespaces["itunes"] == "http://www.itunes.com/dtds/podcast-1.0.dtd"


def test_channel_carries_every_tag_apple_and_podcasting_2_need(built_site):
    channel = xml(built_site / "feed.xml")
    assert channel.find("itunes:author", NS).text == "Show Author"
    assert channel.find("itunes:explicit", NS).text == "false"
    assert channel.find("itunes:type", NS).text == "episodic"
    category = channel.find("itunes:category", NS)
    assert category.get("text") == "Health & Fitness" and category[0].get("text") == "Medicine"
    assert channel.find("itunes:owner/itunes:email", NS).text == "owner@example.org"
    assert channel.find("podcast:guid", NS).text == str(
        uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "podcasts.example.org/show/feed.xml"))
    assert channel.find("podcast:medium", NS).text == "podcast"
    assert channel.find("podcast:locked", NS).text == "no"
    assert channel.find("itunes:image", NS).get("href") == BASE + "cover.png"
    image = channel.find("podcast:image", NS)
    assert image.attrib == {"href": BASE + "cover.png", "alt": "Cover art of Test Show", "aspect-ratio": "1/1",
                            "width": "1400", "height": "1400", "type": "image/png", "purpose": "artwork"}
    assert channel.find("podcast:license", NS).text == "CC-BY-4.0"
    assert channel.find("podcast:images", NS) is None


def test_every_episode_with_chapters_has_them_for_spotify_and_gpodder(built_site):
    """Podlove Simple Chapters, read by podcastparser, at the sections' starts; none for an
    episode of one section."""
    episodes = {episode["title"]: episode for episode in parse(built_site / "feed.xml")["episodes"]}
    sections = manifest_of(built_site, "two-short-parts")["sections"]
    assert [(chapter["start"], chapter["title"]) for chapter in episodes["Two Short Parts"]["chapters"]] == [
        (int(section["start"]), section["title"]) for section in sections]
    assert "chapters" not in episodes["An Undated Note"]
    marks = xml(built_site / "feed.xml").findall("item")[1].findall("psc:chapters/psc:chapter", NS)
    assert [mark.get("start") for mark in marks][:2] == ["00:00:00.000", clock(sections[1]["start"])]


def clock(seconds):
    millis = round(seconds * 1000)
    return f"{millis // 3600000:02d}:{millis // 60000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def test_descriptions_give_chapter_timestamps_and_say_the_voice_is_synthetic(built_site):
    items = {item.find("title").text: item for item in xml(built_site / "feed.xml").findall("item")}
    sections = manifest_of(built_site, "two-short-parts")["sections"]
    text = items["Two Short Parts"].find("description").text
    stamps = [re.match(r"^(?:(\d+):)?(\d+):(\d\d) (.+)$", line) for line in text.split("\n")]
    found = [(int(m[1] or 0) * 3600 + int(m[2]) * 60 + int(m[3]), m[4]) for m in stamps if m]
    assert found == [(int(section["start"]), section["title"]) for section in sections] and found[0][0] == 0
    assert text.endswith("The narrator is a synthetic voice (Piper voice en_US joe (medium)), not a person.")
    markup = items["Two Short Parts"].find("content:encoded", NS).text
    assert markup.startswith("<p>A one-line opening.</p><p>0:00 Introduction<br>0:")
    assert markup.endswith("<p>The narrator is a synthetic voice (Piper voice en_US joe (medium)), not a person.</p>")
    one_section = items["An Undated Note"].find("description").text
    assert not re.search(r"^0:00", one_section, re.M) and "synthetic voice" in one_section
    people = items["Two Short Parts"].findall("podcast:person", NS)
    assert [(person.get("role"), person.get("group"), person.text) for person in people] == [
        ("author", "writing", "Test Author"), ("narrator", "cast", "Piper voice en_US joe (medium), synthetic")]


def test_generated_cover_is_square_rgb_and_large_enough(built_site):
    cover = Image.open(built_site / "cover.png")
    assert cover.format == "PNG" and cover.mode == "RGB" and cover.size == (1400, 1400)
    colours = {colour for _, colour in cover.getcolors(maxcolors=1 << 16)}
    assert (255, 255, 255) in colours and (16, 42, 67) in colours


def test_one_item_per_article_with_exact_enclosures_and_durations(built_site):
    podcast = parse(built_site / "feed.xml")
    assert [e["title"] for e in podcast["episodes"]] == ["An Undated Note", "Two Short Parts"]
    for episode in podcast["episodes"]:
        enclosure = episode["enclosures"][0]
        assert enclosure["mime_type"] == "audio/mpeg" and enclosure["url"].startswith(BASE)
        local = built_site / enclosure["url"][len(BASE):]
        assert enclosure["file_size"] == local.stat().st_size
        assert abs(episode["total_time"] - decoded_seconds(local)) <= 1
        assert episode["guid"] and episode["published"] > 0
    dated = podcast["episodes"][1]
    assert dated["description"].startswith("A one-line opening.\n\n0:00 Introduction\n")
    assert time.strftime("%Y-%m-%d", time.gmtime(dated["published"])) == "2024-02-03"


def test_items_link_chapters_and_transcripts(built_site):
    item = xml(built_site / "feed.xml").findall("item")[1]
    assert item.find("guid").get("isPermaLink") == "false"
    chapters = item.find("podcast:chapters", NS)
    assert chapters.get("url") == BASE + "two-short-parts/chapters.json"
    assert chapters.get("type") == "application/json+chapters"
    transcripts = {t.get("type"): t for t in item.findall("podcast:transcript", NS)}
    assert transcripts["text/vtt"].get("url") == BASE + "two-short-parts/transcript.vtt"
    assert transcripts["text/vtt"].get("rel") == "captions"
    assert transcripts["text/vtt"].get("language") == "en-us"
    assert transcripts["application/x-subrip"].get("url") == BASE + "two-short-parts/transcript.srt"
    assert transcripts["application/json"].get("url") == BASE + "two-short-parts/transcript.json"


def stamp_seconds(stamp, separator):
    clock, millis = stamp.split(separator)
    hours, minutes, seconds = map(int, clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds + int(millis) / 1000


def test_article_feed_is_a_serial_show_with_a_numbered_episode_per_section(built_site):
    podcast = parse(built_site / "two-short-parts" / "feed.xml")
    assert podcast["type"] == "serial" and podcast["title"] == "Two Short Parts"
    episodes = sorted(podcast["episodes"], key=lambda e: e["number"])
    assert [(e["number"], e["title"]) for e in episodes] == [
        (1, "1. Introduction"), (2, "2. First part"), (3, "3. Second part")]
    for episode in episodes:
        local = built_site / episode["enclosures"][0]["url"][len(BASE):]
        assert episode["enclosures"][0]["file_size"] == local.stat().st_size
        assert abs(episode["total_time"] - decoded_seconds(local)) <= 1
    assert not feedparser.parse(str(built_site / "two-short-parts" / "feed.xml")).bozo


def test_rebuilding_unchanged_articles_leaves_every_file_byte_identical(built_site, monkeypatch):
    files = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in built_site.rglob("*") if p.is_file()}
    monkeypatch.chdir(built_site.parent)
    run("build", "-o", "output")
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in built_site.rglob("*") if p.is_file()} == files


def test_a_feed_description_cannot_smuggle_markup_into_podcast_apps(project_folder):
    write_article(project_folder, "articles/markup.md",
                  "---\ntitle: Markup\ndescription: 'Read <b>this</b> & <a href=\"x\">that</a>'\n---\n\nText.\n")
    run("build", "-o", "out")
    import feedparser

    parsed = feedparser.parse((project_folder / "out" / "feed.xml").read_bytes())
    assert parsed.entries[0].summary.startswith(
        "Read &lt;b&gt;this&lt;/b&gt; &amp; &lt;a href=\"x\"&gt;that&lt;/a&gt;\n")
    assert parsed.entries[0].content[0].value.startswith(
        "<p>Read &lt;b&gt;this&lt;/b&gt; &amp; &lt;a href=\"x\"&gt;that&lt;/a&gt;</p>")
