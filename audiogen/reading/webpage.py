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
navigation, sharing and comment blocks. And audiogen never reads less than the library
found: where its own reading keeps under 80% of the library's words (text in blocks that
also hold the site around it), the library's own reading (its headings, paragraphs, lists,
tables and quotes) is read instead. (Measured on trafilatura's 80 labelled real
pages, benchmarks/extraction.py: falling back below 150 words instead read the wrong
content on 16 pages, below 50 on 9, never on 7; 50 keeps the promise for tiny pages.)
"""

from __future__ import annotations

import copy
import re
from difflib import SequenceMatcher

from lxml import etree

from ..dates import iso_date
from ..model import Aside, Code, Event, Heading, HeadingMark, Image, ItemList, Paragraph, Table
from . import html as htmlblocks
from .html import Element, classes, drop, text_of

MIN_LIBRARY_WORDS = 50
"""Below this many words of article the library's choice is not trusted (see above)."""
COVERED = 0.5
"""A block stays when at least this share of its word trigrams are in the library's text."""
READ_AT_LEAST = 0.8
"""Share of the library's words audiogen's own reading must keep, else the library's is read."""
TITLE_LIKENESS = 0.6
BOILERPLATE_TAGS = ["nav", "header", "footer", "aside", "form", "dialog", "menu"]
BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                     "alertdialog", "menu", "menubar", "toolbar"}
BOILERPLATE_NAME = re.compile(
    r"(?:^|[-_ ])(?:ads?|advert\w*|sponsor\w*|promo\w*|cookies?|consent|gdpr|related|share|sharing|"
    r"social|newsletter|subscribe|subscription|comments?|disqus|sidebar|breadcrumbs?|popup|modal|"
    r"paywall|outbrain|taboola|signup|skip-link|byline-share)(?:$|[-_ ])", re.I)
TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+|\s+»\s+")
WORD = re.compile(r"\w+")


def metadata(page: Element) -> dict:
    """Title, author, date, description, language, image and canonical address from the page."""
    title = next(page.iter("title"), None)
    found = {
        "page_title": meta_content(page, "og:title", "twitter:title") or (text_of(title) if title is not None else ""),
        "author": meta_content(page, "author", "article:author", "dc.creator", "parsely-author") or rel_author(page),
        "date": iso_or_empty(meta_content(page, "article:published_time", "date", "dc.date", "datePublished",
                                          "parsely-pub-date") or time_datetime(page)),
        "description": meta_content(page, "description", "og:description"),
        "language": page.get("lang", "") if page.tag == "html" else "",
        "image": meta_content(page, "og:image"),
        "link": canonical(page),
    }
    if found["author"].startswith(("http://", "https://")):
        found["author"] = ""
    return {name: " ".join(str(value).split()) for name, value in found.items() if value}


def meta_content(page: Element, *names: str) -> str:
    """The content of the first <meta> named (or with the property, or itemprop) one of `names`."""
    tags = [tag for tag in page.iter("meta") if (tag.get("content") or "").strip()]
    for name in names:
        for attribute in ("name", "property", "itemprop"):
            found = next((tag for tag in tags if tag.get(attribute) == name), None)
            if found is not None:
                return found.get("content").strip()
    return ""


def canonical(page: Element) -> str:
    link = next((tag for tag in page.iter("link") if "canonical" in (tag.get("rel") or "").lower().split()
                 and tag.get("href")), None)
    address = link.get("href") if link is not None else meta_content(page, "og:url")
    return address if address.startswith(("http://", "https://")) else ""


def rel_author(page: Element) -> str:
    link = next((tag for tag in page.iter() if "author" in (tag.get("rel") or "").split()), None)
    return text_of(link) if link is not None else ""


def time_datetime(page: Element) -> str:
    tag = next((tag for tag in page.iter("time") if tag.get("datetime")), None)
    return tag.get("datetime") if tag is not None else ""


def iso_or_empty(value: str) -> str:
    try:
        return iso_date(value) if value else ""
    except ValueError:
        return ""


def article_events(page: Element, library: bool = True) -> tuple[list[Event], Aside | None]:
    """The headings and blocks of the page's article, and its footnotes (read at the end).
    `library=False` reads it the way audiogen did before trafilatura (for comparisons)."""
    htmlblocks.remove_unspoken(page)
    chosen = library_reading(page) if library else None
    if chosen is not None and len(WORD.findall(chosen_text(chosen))) >= MIN_LIBRARY_WORDS:
        root = page.find("body") if page.find("body") is not None else page
        notes = htmlblocks.take_footnotes(root)
        htmlblocks.separate_words(root)
        own = kept(list(htmlblocks.events(root)), chosen_text(chosen))
        if words(own) < READ_AT_LEAST * len(WORD.findall(chosen_text(chosen))):
            own = library_events(chosen)  # audiogen's reading lost what the library found
        return own, notes
    root = article_root(page)
    remove_boilerplate(root)
    notes = htmlblocks.take_footnotes(root)
    htmlblocks.separate_words(root)
    return list(htmlblocks.events(root)), notes


def library_reading(page: Element) -> Element | None:
    """The article as trafilatura finds it (its XML: <head>, <p>, <list>, <table>, <quote>), or
    None when it finds none."""
    import trafilatura

    found = trafilatura.extract(copy.deepcopy(page), output_format="xml", include_comments=False,
                                include_tables=True, include_images=False, include_links=False,
                                with_metadata=False)
    if not found:
        return None
    try:
        return etree.fromstring(found.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None


def chosen_text(reading: Element) -> str:
    main = reading.find("main")
    return " ".join((main if main is not None else reading).itertext())


def words(found: list[Event]) -> int:
    return sum(len(WORD.findall(words_of(event))) for event in found)


def library_events(reading: Element) -> list[Event]:
    """The library's own reading of the article, as headings and blocks."""
    found: list[Event] = []
    main = reading.find("main")
    for element in (main if main is not None else reading):
        text = " ".join(" ".join(element.itertext()).split())
        if element.tag == "head":
            rend = element.get("rend", "h2")
            found.append(HeadingMark(int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2, text))
        elif element.tag == "list":
            items = tuple(" ".join(" ".join(item.itertext()).split()) for item in element.iter("item"))
            found.append(ItemList(tuple(item for item in items if item), ordered=element.get("rend") == "ol"))
        elif element.tag == "table":
            rows = [tuple(" ".join(" ".join(cell.itertext()).split()) for cell in row.iter("cell"))
                    for row in element.iter("row")]
            header = rows[0] if rows and all(cell.get("role") == "head" for cell in element.find("row")) else ()
            found.append(Table(header, tuple(rows[1:] if header else rows)))
        elif element.tag == "quote":
            found.append(Aside("quote", (Paragraph(text),)))
        elif text:
            found.append(Paragraph(text))
    return [event for event in found if words_of(event)]


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


def article_root(page: Element) -> Element:
    """The element holding the article: the largest <article>, else <main>, else the body."""
    articles = list(page.iter("article"))
    if articles:
        return max(articles, key=lambda tag: len(tag.text_content()))
    main = next(page.iter("main"), None)
    if main is None:
        main = next((tag for tag in page.iter() if tag.get("role") == "main"), None)
    body = page.find("body")
    return main if main is not None else body if body is not None else page


def remove_boilerplate(root: Element) -> None:
    """Drop navigation, banners, sharing, comments, ads and cookie notices inside `root`."""
    for element in list(root.iter(*BOILERPLATE_TAGS)):
        heading = next(element.iter("h1"), None)
        if heading is not None and heading is not element:
            # An article's own <header> holds its title: keep the title, drop the rest.
            title = copy.deepcopy(heading)
            title.tail = None
            element.addprevious(title)
        drop(element)
    for element in [element for element in root.iter() if element.get("role") in BOILERPLATE_ROLES]:
        drop(element)
    article_size = len(root.text_content())
    for element in [element for element in root.iter() if is_named_boilerplate(element)]:
        # A wrapper named "has-comments" around the whole article is not boilerplate.
        if len(element.text_content()) < article_size / 2:
            drop(element)


def is_named_boilerplate(element: Element) -> bool:
    return bool(BOILERPLATE_NAME.search(" ".join(classes(element)) + " " + (element.get("id") or "")))
