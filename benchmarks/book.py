"""A generated book-length article for the memory benchmark: N words in chapters of about 2,500.

Its sentences are the sample article's, each prefixed with its place in the book, so that every
one is different (none comes from the speech cache) while the prose stays realistic.

Usage: python benchmarks/book.py WORDS OUTPUT_FILE
"""

import re
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "articles" / "stem-cell-miracle.txt"
CHAPTER_WORDS = 2500
PARAGRAPH_SENTENCES = 5


def sentences() -> list[str]:
    paragraphs = SAMPLE.read_text(encoding="utf-8").split("\n\n")[1:]
    body = " ".join(p for p in paragraphs if len(p.split()) > 12)
    return re.split(r"(?<=[.!?])\s+", body)


def book(words: int) -> str:
    source = sentences()
    lines, paragraph, count, number, chapters = ["---", "title: A Generated Book", "---", ""], [], 0, 0, 0
    while count < words:
        if count >= chapters * CHAPTER_WORDS:
            chapters += 1
            lines += [f"## Chapter {chapters}", ""]
        sentence = source[number % len(source)]
        paragraph.append(f"In part {number}, {sentence[0].lower()}{sentence[1:]}")
        count, number = count + len(paragraph[-1].split()), number + 1
        if len(paragraph) == PARAGRAPH_SENTENCES:
            lines += [" ".join(paragraph), ""]
            paragraph = []
    return "\n".join(lines + [" ".join(paragraph)]) + "\n"


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(book(int(sys.argv[1])), encoding="utf-8")
