"""Articles where they live: pages and feeds fetched from real HTTP servers on loopback (never the
internet), politely and cheaply, each failure staying with its own article."""

import re
import xml.etree.ElementTree as ElementTree

import pytest

from support import manifest_of, run, write_article
from support.webserver import page, rss

WORDS = ("Muscle stiffness eases with warmth and with slow, regular stretching. A physiotherapist can "
         "show which stretches suit each person, and how long to hold them. Many people find that a "
         "short walk after breakfast sets up the rest of the day.")
ARTICLE = [WORDS, "Small changes at home help too: rails on the stairs, a chair with arms, and good light."]


@pytest.fixture(autouse=True)
def short_timeout(project_folder):
    write_article(project_folder, "audiogen.toml", "timeout = 2\n")


def slug_of(output, title):
    return next(path.parent.name for path in output.glob("*/manifest.json")
                if manifest_of(output, path.parent.name)["title"] == title)


def test_a_page_by_address_is_read_with_its_metadata_and_its_original_is_linked(project_folder, site):
    url = site.add("/2024/05/warmth-helps", body=page("Warmth Helps", ARTICLE, canonical="https://news.example/warmth"))
    result = run("build", url, "-o", "out")
    assert result.stdout.startswith("Built 1 article")
    slug = slug_of(project_folder / "out", "Warmth Helps")
    assert re.fullmatch(r"warmth-helps-[0-9a-f]{16}", slug)
    manifest = manifest_of(project_folder / "out", slug)
    assert (manifest["author"], manifest["date"], manifest["language"]) == (
        "Sam Reporter", "2024-05-06T07:08:09+00:00", "en")
    assert manifest["link"] == "https://news.example/warmth" and manifest["source"] == url
    text = " ".join(section["text"] for section in manifest["sections"])
    assert "physiotherapist" in text and "Copyright" not in text and "About us" not in text
    item = ElementTree.parse(project_folder / "out" / "feed.xml").getroot().find("channel/item")
    assert item.find("link").text == "https://news.example/warmth"
    assert 'href="https://news.example/warmth"' in (project_folder / "out" / slug / "index.html").read_text()
    assert site.requested("/2024/05/warmth-helps")[0]["User-Agent"].startswith("audiogen/0.1.0")
    assert "gzip" in site.requested("/2024/05/warmth-helps")[0]["Accept-Encoding"]


def test_a_rebuild_asks_whether_the_page_changed_and_a_304_costs_nothing(project_folder, site):
    url = site.add("/etag", body=page("Etag Page", ARTICLE), etag='"v1"')
    run("build", url, "-o", "out")
    result = run("build", url, "-o", "out")
    assert "(0 sentences synthesised, 0 files encoded" in result.stdout
    assert site.requested("/etag")[1]["If-None-Match"] == '"v1"'


@pytest.mark.parametrize("setup, reason", [
    (lambda site: site.add("/gone", body=b"", status=404), "the server answered 404 Not Found"),
    (lambda site: site.add("/broken", body=b"oops", status=500), "the server answered 500 Internal Server Error"),
    (lambda site: site.add("/slow", body=page("Slow", ARTICLE), delay=4), "took longer than 2 s to arrive"),
    (lambda site: site.add("/image", body=b"\x89PNG...", content_type="image/png"), "is not a web page (image/png)"),
    (lambda site: site.add("/loop", status=302, headers={"Location": "/loop"}), "more than 5 redirects"),
    (lambda site: site.add("/ftp", status=301, headers={"Location": "ftp://example.org/x"}),
     "it leads to an address that is not http or https"),
    (lambda site: site.add("/huge", body=b"<p>" + b"word " * 4_300_000), "is too large (over 20 MB)"),
    (lambda site: site.add("/empty", body=b"<html><body><nav>Menu only</nav></body></html>"), "has no text to narrate"),
])
def test_a_page_that_cannot_be_had_fails_alone_with_one_line(project_folder, site, setup, reason):
    url = setup(site)
    write_article(project_folder, "articles/local.txt", "Local\n\nA local article builds anyway.\n")
    result = run("build", "articles", url, "-o", "out", expect=1)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert errors[0] == f"Error: {url}: {reason}" and "Traceback" not in result.stderr
    assert (project_folder / "out" / "local" / "local.mp3").is_file()


def test_redirects_gzip_the_http_charset_and_retry_after_are_honoured(project_folder, site):
    russian = ("<html><head><title>Тест</title></head><body><article><h1>Тест</h1>"
               "<p>Это редкое заболевание.</p></article></body></html>")
    site.add("/cyrillic", body=russian.encode("cp1251"), content_type="text/html; charset=windows-1251", gzip=True)
    old = site.add("/old", status=301, headers={"Location": "/cyrillic"})
    busy = site.add("/busy", body=page("Busy Server", ARTICLE), failures=[503])
    run("build", old, busy, "-o", "out")
    assert manifest_of(project_folder / "out", slug_of(project_folder / "out", "Тест"))["sections"][0]["text"] \
        .endswith("Это редкое заболевание.")
    assert len(site.requested("/busy")) == 2


def test_only_web_addresses_are_fetched(project_folder):
    result = run("build", "ftp://example.org/feed.xml", "-o", "out", expect=1)
    assert "Error: ftp://example.org/feed.xml: only http and https addresses can be read" in result.stderr


def items(site, count, full=True, prefix=""):
    found = []
    for number in range(1, count + 1):
        link = site.add(f"/posts/{prefix}post-{number}",
                        body=page(f"Post {number}", [f"Post {number} begins here.", *ARTICLE]))
        found.append({"title": f"Post {number}", "link": link, "id": f"tag:example.org,2024:{prefix}{number}",
                      "date": f"Mon, {number:02d} Jan 2024 10:00:00 GMT", "summary": f"Summary of post {number}.",
                      "html": f"<p>Post {number} begins here.</p>" + "".join(f"<p>{text}</p>" for text in ARTICLE)})
    return found


def test_a_feed_with_full_content_narrates_each_entry_without_fetching_its_page(project_folder, site):
    feed = site.add("/feed.xml", body=rss(items(site, 3), full=True), content_type="application/rss+xml")
    run("build", feed, "-o", "out")
    output = project_folder / "out"
    titles = sorted(manifest_of(output, path.parent.name)["title"] for path in output.glob("*/manifest.json"))
    assert titles == ["Post 1", "Post 2", "Post 3"]
    assert not any(path.startswith("/posts/") for path, _ in site.requests)
    manifest = manifest_of(output, slug_of(output, "Post 2"))
    assert manifest["date"] == "2024-01-02T10:00:00+00:00" and manifest["author"] == "writer@example.org (Kim Writer)"
    assert manifest["language"] == "en-gb" and manifest["link"].endswith("/posts/post-2")


def test_a_feed_of_summaries_has_each_page_fetched_and_limit_and_since_choose_entries(project_folder, site):
    feed = site.add("/summaries.xml", body=rss(items(site, 4), full=False), content_type="text/xml")
    run("build", feed, "--limit", "2", "-o", "out")
    output = project_folder / "out"
    assert sorted(manifest_of(output, p.parent.name)["title"] for p in output.glob("*/manifest.json")) == [
        "Post 3", "Post 4"]
    assert "Copyright" not in manifest_of(output, slug_of(output, "Post 4"))["sections"][0]["text"]
    run("build", feed, "--since", "2024-01-02", "-o", "out2")
    assert len(list((project_folder / "out2").glob("*/manifest.json"))) == 3


def test_atom_and_json_feeds_are_read_too(project_folder, site):
    entry = "<p>" + " ".join(ARTICLE) + "</p>"
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<id>urn:example:atom</id><updated>2024-02-01T00:00:00Z</updated><entry><title>An Atom Entry</title>
<id>urn:example:atom:1</id><link href="{site.url}/atom-1"/><updated>2024-02-01T00:00:00Z</updated>
<author><name>Ada Atom</name></author><summary>Short.</summary>
<content type="html"><![CDATA[{entry}]]></content></entry></feed>"""
    json_feed = ('{"version": "https://jsonfeed.org/version/1.1", "title": "JSON News", "items": [{"id": "j1", '
                 f'"url": "{site.url}/json-1", "title": "A JSON Item", "content_html": "{entry}", '
                 '"date_published": "2024-03-01T00:00:00Z", "authors": [{"name": "Jay Son"}]}]}')
    run("build", site.add("/atom", body=atom.encode(), content_type="application/atom+xml"),
        site.add("/feed.json", body=json_feed.encode(), content_type="application/feed+json"), "-o", "out")
    output = project_folder / "out"
    assert manifest_of(output, slug_of(output, "An Atom Entry"))["author"] == "Ada Atom"
    assert manifest_of(output, slug_of(output, "A JSON Item"))["date"] == "2024-03-01T00:00:00+00:00"


def test_an_entry_updated_between_builds_is_the_only_one_narrated_again(project_folder, site):
    entries = items(site, 3, prefix="u")
    site.add("/updates.xml", body=rss(entries, full=True), etag='"1"', content_type="application/rss+xml")
    run("build", site.url + "/updates.xml", "-o", "out")
    unchanged = run("build", site.url + "/updates.xml", "-o", "out")
    assert "(0 sentences synthesised" in unchanged.stdout
    assert site.requested("/updates.xml")[-1]["If-None-Match"] == '"1"'
    entries[1]["html"] += "<p>A correction was added to the second post today.</p>"
    site.add("/updates.xml", body=rss(entries, full=True), etag='"2"', content_type="application/rss+xml")
    result = run("build", site.url + "/updates.xml", "-o", "out")
    # the new one (and the contents)
    assert re.search(r"\((\d) sentences? synthesised", result.stdout).group(1) in ("1", "2")
    assert "A correction was added" in manifest_of(project_folder / "out", slug_of(project_folder / "out", "Post 2"))[
        "sections"][0]["text"]


def test_a_feed_that_is_down_leaves_its_episodes_and_the_show_as_they_were(project_folder, site):
    feed = site.add("/down.xml", body=rss(items(site, 2, prefix="d"), full=True), content_type="application/rss+xml")
    run("build", feed, "-o", "out")
    before = (project_folder / "out" / "feed.xml").read_bytes()
    site.add("/down.xml", body=b"down", status=500)
    result = run("build", feed, "-o", "out", expect=1)
    assert f"Error: {feed}: the server answered 500 Internal Server Error" in result.stderr
    assert (project_folder / "out" / "feed.xml").read_bytes() == before


def test_the_sources_setting_mixes_folders_and_feeds_so_build_alone_refreshes_the_show(project_folder, site):
    feed = site.add("/mixed.xml", body=rss(items(site, 1, prefix="m"), full=True), content_type="application/rss+xml")
    write_article(project_folder, "notes/local.md", "# Local Note\n\nWritten here.\n")
    write_article(project_folder, "audiogen.toml", f'timeout = 2\nsources = ["notes", "{feed}"]\n')
    run("build", "-o", "out")
    titles = sorted(manifest_of(project_folder / "out", p.parent.name)["title"]
                    for p in (project_folder / "out").glob("*/manifest.json"))
    assert titles == ["Local Note", "Post 1"]
