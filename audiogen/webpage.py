"""What to keep of a web page saved from a browser: the article, not the site around it."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .dates import iso_date

BOILERPLATE_TAGS = ["nav", "header", "footer", "aside", "form", "dialog", "menu"]
BOILERPLATE_ROLES = ["navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                     "alertdialog", "menu", "menubar", "toolbar"]
BOILERPLATE_NAME = re.compile(
    r"(?:^|[-_ ])(?:ads?|advert\w*|sponsor\w*|promo\w*|cookies?|consent|gdpr|related|share|sharing|"
    r"social|newsletter|subscribe|subscription|comments?|disqus|sidebar|breadcrumbs?|popup|modal|"
    r"paywall|outbrain|taboola|signup|skip-link|byline-share)(?:$|[-_ ])", re.I)


def metadata(page: BeautifulSoup) -> dict:
    """Title fallback, author, date, description, language and image from the page's head."""
    found = {
        "page_title": meta_content(page, "og:title") or heading_text(page)
        or (page.title.get_text(" ", strip=True) if page.title else ""),
        "author": meta_content(page, "author", "article:author", "dc.creator") or rel_author(page),
        "date": iso_or_empty(meta_content(page, "article:published_time", "date", "dc.date",
                                          "datePublished") or time_datetime(page)),
        "description": meta_content(page, "description", "og:description"),
        "language": page.html.get("lang", "") if page.html else "",
        "image": meta_content(page, "og:image"),
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


def heading_text(page: BeautifulSoup) -> str:
    heading = page.find("h1")
    return heading.get_text(" ", strip=True) if heading else ""


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
        title = element.find("h1")
        # An article's own <header> holds its title: keep the title, drop the rest.
        element.replace_with(title) if title else element.decompose()
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
