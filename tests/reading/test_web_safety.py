"""Safe on the open web: feeds written by others cannot read the producer's network, stall the
show, break the build or take an episode. Every server is a real one on loopback; the second
one's request log proves what was never asked."""

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiogen.reading import fetch as web
from audiogen.reading.fetch import Fetcher, FetchError
from audiogen.reading.readers import web_page
from support import manifest_of, run, write_article
from support.webserver import Site, page, rss

WORDS = ("Muscle stiffness eases with warmth and with slow, regular stretching. A physiotherapist can "
         "show which stretches suit each person, and how long to hold them. Many people find that a "
         "short walk after breakfast sets up the rest of the day.")
SECRET = "The router's admin password is hunter2."


@pytest.fixture
def private():
    """Another server on loopback: the producer's private network, which feeds must not reach."""
    server = Site()
    server.add("/admin", body=page("Admin", [SECRET, WORDS]))
    yield server
    server.close()


@pytest.fixture(autouse=True)
def short_timeout(project_folder):
    write_article(project_folder, "audiogen.toml", "timeout = 2\n")


def entry(link, number=1, title="An entry"):
    return {"title": title, "link": link, "id": f"tag:example.org,2024:{number}", "summary": "Short.",
            "date": f"Mon, {number:02d} Jan 2024 10:00:00 GMT", "html": ""}


def errors(result):
    return [line for line in result.stderr.splitlines() if line.startswith("Error")]


def spellings(port):
    """The loopback address as feeds' authors spell it to slip past a naive check."""
    return [f"http://127.0.0.1:{port}/admin", f"http://127.1:{port}/admin", f"http://2130706433:{port}/admin",
            f"http://0x7f000001:{port}/admin", f"http://[::ffff:127.0.0.1]:{port}/admin",
            f"http://localhost:{port}/admin", f"http://0.0.0.0:{port}/admin"]


def test_entries_linking_into_the_private_network_are_never_fetched(project_folder, site, private):
    links = spellings(private.port)
    feed = site.add("/feed.xml", body=rss([entry(link, number) for number, link in enumerate(links, 1)], full=False),
                    content_type="application/rss+xml")
    result = run("build", feed, "-o", "out", expect=1)
    refused = "not fetched: it points into a private network, not the public internet"
    assert sorted(errors(result)[:-1]) == sorted(f"Error: {link}: {refused} (set allow_private_addresses = true "
                                                 "to allow it)" for link in links)
    assert private.requests == []
    assert not any("hunter2" in path.read_text(errors="ignore") for path in (project_folder / "out").rglob("*.*")
                   if path.suffix in (".xml", ".json", ".html", ".vtt"))  # one word: VTT times words apart


def test_a_redirect_into_the_private_network_is_refused_at_its_hop(project_folder, site, private):
    hop = site.add("/moved", status=302, headers={"Location": f"http://127.0.0.1:{private.port}/admin"})
    feed = site.add("/feed.xml", body=rss([entry(hop)], full=False), content_type="application/rss+xml")
    result = run("build", feed, hop, "-o", "out", expect=1)
    assert errors(result)[:2] == [f"Error: {hop}: not fetched: it points into a private network, not the public "
                                  "internet (set allow_private_addresses = true to allow it)"] * 2
    assert private.requests == [] and len(site.requested("/moved")) == 2


def test_a_refused_port_and_an_open_one_look_the_same(project_folder, site, private):
    closed = Site()
    closed.close()  # a port nothing listens on now
    feed = site.add("/feed.xml", body=rss([entry(f"http://127.0.0.1:{private.port}/admin", 1),
                                           entry(f"http://127.0.0.1:{closed.port}/admin", 2)], full=False),
                    content_type="application/rss+xml")
    reasons = {line.split(": ", 2)[2] for line in errors(run("build", feed, "-o", "out", expect=1))[:-1]}
    assert len(reasons) == 1


def test_the_feeds_own_origin_is_fetched_and_the_opt_in_allows_the_rest(project_folder, site, private):
    own = site.add("/posts/1", body=page("Own Origin", [WORDS]))
    feed = site.add("/feed.xml", body=rss([entry(own, 1, "Own Origin"),
                                           entry(f"http://127.0.0.1:{private.port}/admin", 2, "Admin")],
                                          full=False), content_type="application/rss+xml")
    run("build", feed, "-o", "out", expect=1)
    assert len(site.requested("/posts/1")) == 1 and private.requests == []
    write_article(project_folder, "audiogen.toml", "timeout = 2\nallow_private_addresses = true\n")
    run("build", feed, "-o", "out")
    assert len(private.requests) == 1
    titles = {manifest_of(project_folder / "out", path.parent.name)["title"]
              for path in (project_folder / "out").glob("*/manifest.json")}
    assert titles == {"Own Origin", "Admin"}


@pytest.mark.parametrize("route", [{"drip": 1.0}, {"drip_headers": 1.0}], ids=["body", "headers"])
def test_a_server_sending_a_byte_a_second_is_cut_at_the_deadline(route, site):
    url = site.add("/drip", body=page("Slow", [WORDS]), **route)
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 2 s to arrive"):
        Fetcher(None, timeout=2).get(url)
    assert time.monotonic() - started < 3.0  # the deadline, and a second


def test_a_slow_server_fails_its_own_article_and_the_others_build(project_folder, site):
    slow = site.add("/drip", body=page("Slow", [WORDS]), drip=1.0)
    quick = site.add("/quick", body=page("Quick", [WORDS]))
    write_article(project_folder, "articles/local.txt", "Local\n\nA local article builds anyway.\n")
    result = run("build", slow, quick, "articles", "-o", "out", expect=1)
    assert errors(result) == [f"Error: {slow}: took longer than 2 s to arrive",
                              "Error: 1 article could not be built (see above)"]
    assert "Built 2 articles" in result.stdout


DEEP = 100_000


def test_a_page_nested_a_hundred_thousand_deep_is_read_in_seconds():
    deep = "<html><body><h1>Deep</h1>" + "<div>" * DEEP + "The deep words." + "</div>" * DEEP
    quotes = "<blockquote>" * 500 + "Quoted words." + "</blockquote>" * 500 + "<p>The words after.</p>"
    started = time.process_time()
    meta, found = web_page(deep + quotes + "</body></html>")
    assert time.process_time() - started < 30  # it took 200 s before
    text = " ".join(str(event) for event in found)
    assert meta["title"] == "Deep" and "The deep words." in text and "Quoted words." in text
    assert "The words after." in text


def test_a_page_of_too_many_elements_is_refused_with_one_line(project_folder):
    write_article(project_folder, "articles/huge.html", "<html><body>" + "<b>x</b>" * 250_000 + "</body></html>")
    result = run("build", "-o", "out", expect=1)
    assert errors(result)[0] == ("Error: articles/huge.html: has more than 200,000 elements, far more than any "
                                 "article: not read")


def page_of(depth: int, width: int, words: int) -> str:
    paragraph = "<p>" + " ".join(["word"] * words) + "</p>"
    return "<html><body>" + ("<div>" * depth + paragraph + "</div>" * depth) * width + "</body></html>"


@settings(max_examples=5, deadline=None)
@given(depth=st.integers(1, 150), width=st.integers(1, 8), words=st.integers(1, 30))
@pytest.mark.slow
def test_reading_time_grows_linearly_with_the_size_of_the_page(depth, width, words):
    def cost(copies: int) -> float:
        html = page_of(depth, width * copies, words)
        started = time.process_time()
        web_page(html)
        return time.process_time() - started

    small, large = min(cost(4) for _ in range(2)), min(cost(16) for _ in range(2))
    assert large < 8 * small + 0.05, (small, large)  # four times the page: four times the time, not sixteen


@pytest.mark.parametrize("item, reason", [
    ({"id": "1", "content_text": 5}, "'content_text' of item 1 is not text"),
    ({"id": "1", "content_html": "<p>x</p>", "authors": 5}, "the authors of item 1 are not a list of objects"),
    ({"id": "1", "title": ["x"]}, "'title' of item 1 is not text"),
    ("not an object", "item 1 is not an object"),
])
def test_a_malformed_json_feed_fails_alone(project_folder, site, item, reason):
    feed = site.add("/feed.json", body=json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J",
                                                   "items": [item]}).encode(), content_type="application/feed+json")
    good = site.add("/good", body=page("Good", [WORDS]))
    result = run("build", feed, good, "-o", "out", expect=1)
    assert errors(result) == [f"Error: {feed}: is not a feed audiogen can read ({reason})",
                              "Error: 1 article could not be built (see above)"]
    assert "Built 1 article" in result.stdout


def test_an_untitled_item_and_a_content_only_atom_entry_are_read_from_the_feed(project_folder, site):
    text = " ".join([WORDS] * 6)
    untitled = rss([{**entry(site.url + "/untitled-post"), "title": "", "html": f"<p>{text}</p>"}], full=True)
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
<id>urn:example:a</id><updated>2024-02-01T00:00:00Z</updated><entry><title>Whole in content</title>
<id>urn:example:a:1</id><link href="{site.url}/gone"/><updated>2024-02-01T00:00:00Z</updated>
<content type="html"><![CDATA[<p>{text}</p>]]></content></entry></feed>"""
    run("build", site.add("/untitled.xml", body=untitled, content_type="application/rss+xml"),
        site.add("/atom.xml", body=atom.encode(), content_type="application/atom+xml"), "-o", "out")
    titles = {manifest_of(project_folder / "out", path.parent.name)["title"]
              for path in (project_folder / "out").glob("*/manifest.json")}
    assert titles == {"Muscle stiffness eases with warmth and with slow…", "Whole in content"}
    assert site.requested("/gone") == [] and site.requested("/untitled-post") == []


def test_a_page_declaring_a_charset_that_is_not_one_is_read(project_folder, site):
    url = site.add("/rot", body=page("Café Olé", [WORDS]), content_type="text/html; charset=rot13")
    run("build", url, "-o", "out")
    assert manifest_of(project_folder / "out", next((project_folder / "out").glob("*/manifest.json")).parent.name)[
        "title"] == "Café Olé"


def test_an_entry_never_takes_over_another_sources_episode(project_folder, site, monkeypatch):
    from audiogen import layout

    monkeypatch.setattr(layout, "HASH_CHARACTERS", 1)  # as if two ids had been made to collide
    first = site.add("/a/feed.xml", body=rss([{**entry(site.url + "/a/post"), "html": f"<p>{WORDS}</p>"}], full=True),
                     content_type="application/rss+xml")
    run("build", first, "-o", "out")
    (slug,) = [path.parent.name for path in (project_folder / "out").glob("*/manifest.json")]
    owner = manifest_of(project_folder / "out", slug)
    other = site.add("/b/feed.xml", body=rss([{**entry(site.url + "/b/post"), "html": f"<p>Taken over. {WORDS}</p>"}],
                                             full=True), content_type="application/rss+xml")
    monkeypatch.setattr(layout, "web_slug", lambda words, identity: slug)
    result = run("build", other, "-o", "out", expect=1)
    assert errors(result)[0] == (f"Error: {site.url}/b/post: not built: its episode '{slug}' belongs to "
                                 f"{owner['source']}, which this article never replaces")
    assert manifest_of(project_folder / "out", slug) == owner


def test_web_slugs_carry_64_bits_of_the_feed_and_the_entry_id(project_folder, site):
    feed = site.add("/feed.xml", body=rss([{**entry(site.url + "/some/post"), "html": f"<p>{WORDS}</p>"}], full=True),
                    content_type="application/rss+xml")
    run("build", feed, "-o", "out")
    (folder,) = [path.parent.name for path in (project_folder / "out").glob("*/manifest.json")]
    assert folder.startswith("post-") and len(folder.rsplit("-", 1)[1]) == 16


def test_the_deadline_holds_however_the_name_resolves(monkeypatch):
    """A resolver that hangs is given no more than the request's deadline."""
    monkeypatch.setattr(web.socket, "getaddrinfo", lambda *arguments, **options: time.sleep(10))
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 1 s"):
        Fetcher(None, timeout=1).get("http://slow-dns.example/")
    assert time.monotonic() - started < 2.5


def test_an_entry_link_that_is_not_a_web_address_is_never_followed(project_folder, site):
    feed = site.add("/odd.xml", body=rss([{**entry("javascript:alert(1)"), "summary": "A summary to read."}],
                                         full=False), content_type="application/rss+xml")
    run("build", feed, "-o", "out")
    (manifest,) = [json.loads(path.read_text()) for path in (project_folder / "out").glob("*/manifest.json")]
    assert manifest["link"] == "" and "A summary to read." in manifest["sections"][0]["text"]


def test_audiogen_never_reads_less_of_a_page_than_the_library_found(monkeypatch):
    """Where audiogen's own reading keeps too little of what trafilatura found (here: nothing, as
    on a real news page whose text shared its blocks with the site around it), the library's
    own reading of the article is read: its headings, paragraphs and lists."""
    from audiogen.reading import webpage

    monkeypatch.setattr(webpage, "kept", lambda found, chosen: [])
    html = ("<html><head><title>Warmth Helps | News</title></head><body><nav>Home News Sport</nav><article>"
            f"<h1>Warmth Helps</h1><p>{WORDS}</p><h2>At home</h2><p>{WORDS}</p><ul><li>Rails on the stairs</li>"
            "<li>A chair with arms</li></ul></article><footer>Copyright News</footer></body></html>")
    meta, found = web_page(html)
    text = " ".join(webpage.words_of(event) for event in found)
    assert text.count("physiotherapist") == 2 and "A chair with arms" in text and "Copyright" not in text
    assert any(type(event).__name__ == "HeadingMark" and event.text == "At home" for event in found)
