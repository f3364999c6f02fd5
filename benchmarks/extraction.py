"""How well audiogen finds the article on real saved web pages: the current reader (trafilatura
choosing the content) against the one before it, on the same pages. Run by `make bench-extraction`.

Two sets of real pages, taken from source distributions on PyPI at run time (nothing from
the web is committed):
- trafilatura 1.0.0's 110 saved pages with its real-world tests: for each page, passages
  that must be read and passages (menus, comments, related links, footers) that must not;
  a page "reads the wrong content" when any of the latter is read;
- newspaper4k 0.9.6's saved news pages with the article text its tests expect: word
  precision, recall and F1 of what audiogen would narrate against that text.

Prints Markdown for docs/performance.md.
"""

from __future__ import annotations

import ast
import json
import re
import statistics
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

from audiogen.reading import html as htmlblocks
from audiogen.reading import webpage
from audiogen.reading.decoding import decoded, html_charset

CORPORA = {"trafilatura": "1.0.0", "newspaper4k": "0.9.6"}
STORE = Path.home() / ".cache" / "audiogen-bench"
WORD = re.compile(r"\w+")


def unpacked(name: str, version: str) -> Path:
    """The package's source distribution from PyPI, unpacked once into STORE."""
    folder = STORE / f"{name}-{version}"
    if not folder.is_dir():
        STORE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", f"{name}=={version}", "--no-deps",
                        "--no-binary", ":all:", "-q", "-d", str(STORE)], check=True)
        with tarfile.open(STORE / f"{name}-{version}.tar.gz") as archive:
            archive.extractall(STORE, filter="data")
    return folder


def narrated_text(html: bytes, library: bool) -> str:
    """The title and every block audiogen would read from the page, as written."""
    page = htmlblocks.parse(decoded(html, html_charset(html)))
    meta = webpage.metadata(page)
    found, notes = webpage.article_events(page, library=library)
    title, found = webpage.title(found, meta)
    parts = [title, *(webpage.words_of(event) for event in [*found, *([notes] if notes else [])])]
    return " ".join(" ".join(parts).split())


class Expectations(ast.NodeVisitor):
    """Per page, in source order: the passages realworld_tests.py asserts are `in` the result and
    those it asserts are `not in` it."""

    def __init__(self) -> None:
        self.page = None
        self.found: dict[str, tuple[list[str], list[str]]] = {}

    def visit_Assign(self, node: ast.Assign) -> None:
        call = node.value
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "load_mock_page" and call.args:
            self.page = call.args[0].value if isinstance(call.args[0], ast.Constant) else None
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if (self.page and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
                and getattr(node.comparators[0], "id", "") == "result"):
            wanted, unwanted = self.found.setdefault(self.page, ([], []))
            (wanted if isinstance(node.ops[0], ast.In) else unwanted).append(node.left.value)
        self.generic_visit(node)


def trafilatura_cases(folder: Path) -> dict[str, tuple[Path, list[str], list[str]]]:
    """Page file, passages to read and passages not to read, from realworld_tests.py. Its tests
    ran trafilatura with comments on, so a few passages to read are readers' comments, which
    audiogen does not read."""
    tests = folder / "tests"
    tree = ast.parse((tests / "realworld_tests.py").read_text(encoding="utf-8"))
    pages = next(ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MOCK_PAGES")
    expectations = Expectations()
    expectations.visit(tree)
    return {url: (tests / "cache" / pages[url], *passages) for url, passages in expectations.found.items()
            if url in pages and (tests / "cache" / pages[url]).is_file()}


def snippets(cases, library: bool) -> dict:
    found = missing = wrong_pages = 0
    for path, wanted, unwanted in cases.values():
        text = " ".join(narrated_text(path.read_bytes(), library).split())
        present = [" ".join(snippet.split()) in text for snippet in wanted]
        found, missing = found + sum(present), missing + len(present) - sum(present)
        wrong_pages += any(" ".join(snippet.split()) in text for snippet in unwanted)
    return {"pages": len(cases), "recall": found / max(found + missing, 1), "wrong_pages": wrong_pages}


def newspaper_cases(folder: Path) -> list[tuple[Path, str]]:
    data = folder / "tests" / "data"
    cases = []
    for meta in sorted((data / "metadata").glob("*.json")):
        reference = json.loads(meta.read_text(encoding="utf-8")).get("text") or ""
        page = data / "html" / f"{meta.stem}.html"
        if page.is_file() and len(reference.split()) >= 50:
            cases.append((page, reference))
    return cases


def word_scores(cases, library: bool) -> dict:
    scores = []
    for path, reference in cases:
        got = Counter(WORD.findall(narrated_text(path.read_bytes(), library).lower()))
        want = Counter(WORD.findall(reference.lower()))
        common = sum((got & want).values())
        precision, recall = common / max(sum(got.values()), 1), common / max(sum(want.values()), 1)
        scores.append((precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)))
    return {"pages": len(cases), **{name: statistics.mean(score[index] for score in scores)
                                    for index, name in enumerate(("precision", "recall", "f1"))},
            "below_0.8": sum(score[2] < 0.8 for score in scores)}


def main() -> None:
    cases = trafilatura_cases(unpacked("trafilatura", CORPORA["trafilatura"]))
    news = newspaper_cases(unpacked("newspaper4k", CORPORA["newspaper4k"]))
    rows = ["| Reader | Word precision | Word recall | Word F1 | Pages under F1 0.8 "
            f"(of {len(news)}) | Passages read (of trafilatura's) | Pages reading wrong content (of {len(cases)}) |",
            "|---|---|---|---|---|---|---|"]
    for name, library in (("before: largest <article>, else <main>, else the body", False),
                          ("now: trafilatura chooses, audiogen reads", True)):
        words, passages = word_scores(news, library), snippets(cases, library)
        rows.append(f"| {name} | {words['precision']:.3f} | {words['recall']:.3f} | {words['f1']:.3f} | "
                    f"{words['below_0.8']} | {passages['recall']:.1%} | {passages['wrong_pages']} |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
