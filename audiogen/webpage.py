"""What to keep of a web page: the article, not the site around it.

trafilatura chooses the content: measured on real saved pages it finds the article far
more often than picking the largest <article> (which is sometimes a teaser or a
comment) or the whole body (menus, related links, comment threads). audiogen keeps its
own reading of the page (htmlblocks.py: headings, lists, tables, images and their alt
text) and keeps each block the library chose: a block stays when most of its words
run in the library's text; a heading stays when its own words do or when the block it
introduces stays; an image stays among kept blocks. Hidden content is gone before the
library sees the page. A very short page, where the library finds fewer than 50 words,
is read the way audiogen always has: the largest <article>, else <main>, less its
navigation, sharing and comment blocks. (Measured on trafilatura's 80 labelled real
pages, benchmarks/extraction.py: falling back below 150 words instead read the wrong
content on 16 pages, below 50 on 9, never on 7; 50 keeps the promise for tiny pages.)
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bs4 import BeautifulSoup, Tag

from . import htmlblocks
from .dates import iso_date
from .model import Aside, Code, Event, Heading, HeadingMark, Image, ItemList, Paragraph, Table

MIN_LIBRARY_WORDS = 50
"""Below this many words of article the library's choice is not trusted (see above)."""
COVERED = 0.5
"""A block stays when at least this share of its word trigrams are in the library's text."""
TITLE_LIKENESS = 0.6
BOILERPLATE_TAGS = ["nav", "header", "footer", "aside", "form", "dialog", "menu"]
BOILERPLATE_ROLES = ["navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                     "alertdialog", "menu", "menubar", "toolbar"]
BOILERPLATE_NAME = re.compile(
    r"(?:^|[-_ ])(?:ads?|advert\w*|sponsor\w*|promo\w*|cookies?|consent|gdpr|related|share|sharing|"
    r"social|newsletter|subscribe|subscription|comments?|disqus|sidebar|breadcrumbs?|popup|modal|"
    r"paywall|outbrain|taboola|signup|skip-link|byline-share)(?:$|[-_ ])", re.I)
TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+|\s+»\s+")
WORD = re.compile(r"\w+")


def metadata(page: BeautifulSoup) -> dict:
    """Title, author, date, description, language, image and canonical address from the page."""
    found = {
        "page_title": meta_content(page, "og:title", "twitter:title")
        or (page.title.get_text(" ", strip=True) if page.title else ""),
        "author": meta_content(page, "author", "article:author", "dc.creator", "parsely-author") or rel_author(page),
        "date": iso_or_empty(meta_content(page, "article:published_time", "date", "dc.date", "datePublished",
                                          "parsely-pub-date") or time_datetime(page)),
        "description": meta_content(page, "description", "og:description"),
        "language": page.html.get("lang", "") if page.html else "",
        "image": meta_content(page, "og:image"),
        "link": canonical(page),
    }
    if found["author"].startswith(("http://", "https://")):
        found["author"] = ""
    return {name: " ".join(str(value).split()) for name, value in found.items() if value}


def meta_content(page: BeautifulSoup, *names: str) -> str:
    for name in names:
        for attribute in ("name", "property", "itemprop"):
            tag = page.find("meta", attrs={attribute: name})
            if tag and tag.get("content", "").strip():
                return tag["content"].strip()
    return ""


def canonical(page: BeautifulSoup) -> str:
    link = page.find("link", rel="canonical", href=True)
    address = link["href"] if link else meta_content(page, "og:url")
    return address if address.startswith(("http://", "https://")) else ""


def rel_author(page: BeautifulSoup) -> str:
    link = page.find(attrs={"rel": "author"})
    return link.get_text(" ", strip=True) if link else ""


def time_datetime(page: BeautifulSoup) -> str:
    tag = page.find("time", attrs={"datetime": True})
    return tag["datetime"] if tag else ""


def iso_or_empty(value: str) -> str:
    try:
        return iso_date(value) if value else ""
    except ValueError:
        return ""


def article_events(page: BeautifulSoup, library: bool = True) -> tuple[list[Event], Aside | None]:
    """The headings and blocks of the page's article, and its footnotes (read at the end).
    `library=False` reads it the way audiogen did before trafilatura (for comparisons)."""
    htmlblocks.remove_unspoken(page)
    chosen = library_text(page) if library else ""
    if len(WORD.findall(chosen)) >= MIN_LIBRARY_WORDS:
        root = page.body or page
        notes = htmlblocks.take_footnotes(root)
        htmlblocks.separate_words(root)
        return kept(list(htmlblocks.events(root)), chosen), notes
    root = article_root(page)
    remove_boilerplate(root)
    notes = htmlblocks.take_footnotes(root)
    htmlblocks.separate_words(root)
    return list(htmlblocks.events(root)), notes


def library_text(page: BeautifulSoup) -> str:
    """The article's text as trafilatura finds it, or "" when it finds none."""
    import trafilatura

    return trafilatura.extract(str(page), output_format="txt", include_comments=False, include_tables=True,
                               include_images=False, include_links=False, with_metadata=False) or ""


def kept(found: list[Event], chosen: str) -> list[Event]:
    """The blocks of `found` the library chose, the headings that introduce them, the images among them."""
    grams = trigrams(chosen)
    stays = [covered(event, grams, chosen) if is_content(event) else None for event in found]
    for index, event in enumerate(found):
        if isinstance(event, (HeadingMark, Heading)):
            introduced = next((stay for stay in stays[index + 1:] if stay is not None), False)
            stays[index] = covered(event, grams, chosen) or introduced
    content = [index for index, stay in enumerate(stays) if stay and is_content(found[index])]
    for index, event in enumerate(found):
        if isinstance(event, Image):
            stays[index] = bool(content) and content[0] < index < content[-1]
    return [event for event, stay in zip(found, stays) if stay]


def is_content(event: Event) -> bool:
    return not isinstance(event, (HeadingMark, Heading, Image))


def words_of(event: Event) -> str:
    if isinstance(event, Paragraph):
        return event.text
    if isinstance(event, (HeadingMark, Heading)):
        return event.text
    if isinstance(event, ItemList):
        return " ".join(event.items)
    if isinstance(event, Table):
        return " ".join(" ".join(row) for row in (event.header, *event.rows))
    if isinstance(event, Code):
        return event.text
    if isinstance(event, Aside):
        return " ".join(words_of(block) for block in event.blocks)
    if isinstance(event, Image):
        return f"{event.alt} {event.caption}"
    return ""


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return {tuple(words[index:index + 3]) for index in range(len(words) - 2)}


def covered(event: Event, grams: set, chosen: str) -> bool:
    """Whether most of the event's words run in the library's text."""
    words = WORD.findall(words_of(event).lower())
    if not words:
        return False
    if len(words) < 3:
        return re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", chosen.lower()) is not None
    own = [tuple(words[index:index + 3]) for index in range(len(words) - 2)]
    return sum(gram in grams for gram in own) >= COVERED * len(own)


def title(found: list[Event], meta: dict) -> tuple[str, list[Event]]:
    """The article's title and what is left of the page: the heading most like the page's own
    title (`og:title`, else `<title>`), else the first <h1>, else the page's title less the
    site's name ("Article | Site" gives "Article")."""
    page_title = meta.get("page_title", "")
    headings = [index for index, event in enumerate(found)
                if isinstance(event, HeadingMark) and event.level <= 2 and event.text][:12]
    likest = max(headings, key=lambda index: likeness(found[index].text, page_title), default=None)
    if likest is not None and likeness(found[likest].text, page_title) >= TITLE_LIKENESS:
        return found[likest].text, found[:likest] + found[likest + 1:]
    first_h1 = next((index for index in headings if found[index].level == 1), None)
    if first_h1 is not None:
        return found[first_h1].text, found[:first_h1] + found[first_h1 + 1:]
    return without_site_name(page_title), found


def likeness(heading: str, page_title: str) -> float:
    """How much `heading` is the page's title, or one part of it ("Title | Site"): 0 to 1."""
    parts = [part for part in (page_title, *TITLE_SEPARATORS.split(page_title)) if part]
    return max((SequenceMatcher(None, heading.lower(), part.lower()).ratio() for part in parts), default=0.0)


def without_site_name(page_title: str) -> str:
    parts = [part for part in TITLE_SEPARATORS.split(page_title) if part.strip()]
    return max(parts, key=len) if len(parts) > 1 else page_title


def article_root(page: BeautifulSoup) -> Tag:
    """The element holding the article: the largest <article>, else <main>, else the body."""
    articles = page.find_all("article")
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text()))
    return page.find("main") or page.find(attrs={"role": "main"}) or page.body or page


def remove_boilerplate(root: Tag) -> None:
    """Drop navigation, banners, sharing, comments, ads and cookie notices inside `root`."""
    for element in root.find_all(BOILERPLATE_TAGS):
        if element.decomposed:
            continue
        heading = element.find("h1")
        # An article's own <header> holds its title: keep the title, drop the rest.
        element.replace_with(heading) if heading else element.decompose()
    for element in root.find_all(attrs={"role": BOILERPLATE_ROLES}):
        if not element.decomposed:
            element.decompose()
    article_size = len(root.get_text())
    for element in root.find_all(is_named_boilerplate):
        # A wrapper named "has-comments" around the whole article is not boilerplate.
        if not element.decomposed and len(element.get_text()) < article_size / 2:
            element.decompose()


def is_named_boilerplate(element: Tag) -> bool:
    names = " ".join(element.get("class") or []) + " " + (element.get("id") or "")
    return bool(BOILERPLATE_NAME.search(names))
