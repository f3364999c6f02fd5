"""Every article, from a file, a page or a feed, is made here: its text cleaned (characters.py),
its title found, and its headings deciding where its sections begin."""

from __future__ import annotations

import re
from typing import Iterable

from .. import characters
from ..addresses import is_address
from ..errors import ArticleError
from ..model import Article, Event, Heading, HeadingMark, Paragraph, Section

OPENING_TITLE = "Introduction"


def make_article(source: str, meta: dict, found: Iterable[Event], name: str = "") -> Article:
    """Every article, from a file or the web, ends here, where its text is cleaned (see
    characters.py) and split. `meta` holds its slug; `name` (a file's name) is a title of
    last resort, and with none, the article's first words are."""
    meta, found = characters.cleaned(meta), characters.cleaned(list(found))
    sections = split_sections(found)
    if not any(section.blocks for section in sections):
        raise ArticleError(source, "has no text to narrate")
    return Article(
        source=source,
        slug=meta["slug"],
        title=article_title(meta, characters.clean(name) or first_words(sections)),
        sections=tuple(sections),
        author=meta.get("author", ""),
        date=meta.get("date", ""),
        description=meta.get("description", ""),
        language=meta.get("language", "").lower(),
        image=meta.get("image", ""),
        lexicon=meta.get("lexicon", {}),
        modified=meta.get("modified", ""),
        link=meta["link"] if is_address(meta.get("link", "")) else "",
        untitled=not any(" ".join(str(meta.get(field) or "").split()) for field in ("title", "page_title")),
    )


def first_words(sections: list[Section], count: int = 8) -> str:
    """The opening words of the article's first paragraph: a title for an untitled feed entry."""
    text = next((block.text for section in sections for block in section.blocks if isinstance(block, Paragraph)), "")
    words = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].split()
    return " ".join(words[:count]).rstrip(".,;:!?") + ("…" if len(words) > count else "")


def article_title(meta: dict, name: str) -> str:
    """The front matter's or the page's title, else `name` (made from the file name)."""
    for candidate in (meta.get("title"), meta.get("page_title"), name):
        title = " ".join((candidate or "").split())
        if title:
            return title
    return "Untitled"


def split_sections(found: list[Event]) -> list[Section]:
    """Cut at the article's top heading level; deeper headings stay inside as sub-headings.

    Text before the first heading becomes an opening section. A heading with no
    text does not start a section.
    """
    found = [event for event in found if not (isinstance(event, HeadingMark) and not event.text)]
    levels = [event.level for event in found if isinstance(event, HeadingMark)]
    top = min(levels, default=0)
    sections: list[Section] = []
    title, blocks, opening = OPENING_TITLE, [], True
    for event in found:
        if isinstance(event, HeadingMark) and event.level == top:
            if blocks or not opening:
                sections.append(Section(title, tuple(blocks), opening))
            title, blocks, opening = event.text, [], False
        else:
            blocks.append(Heading(event.text) if isinstance(event, HeadingMark) else event)
    sections.append(Section(title, tuple(blocks), opening))
    return sections
