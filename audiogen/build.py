"""The only place that sequences the stages and writes `output/` (or a book).

For each article: read it, write its scripts, render them (narrate and encode),
then write, together, its section MP3s, the full episode with chapters, the
transcripts, the JSON chapters, the player page, its talking books, the manifest,
and the show's feeds and index as they now are. One output folder takes one build
at a time. `make_book` renders the same way and writes one EPUB of many articles.
"""

from __future__ import annotations

import datetime
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from . import audio, layout, unchanged
from .books import audiobook, daisy, epub
from .books.archive import fingerprint, write_zip
from .books.talkingbook import Book, article_book, folder_book
from .cache import Cache, key
from .config import Settings
from .dates import moment
from .errors import ArticleError, AudiogenError, EncodingError, EngineError, SpeechError, TextError
from .files import Staging, atomic_path, locked, remove_partial_files, staged
from .model import Article, BuildReport, Manifest
from .narration.cluster import ClusterRenderer, cluster_renderer
from .narration.engines import Engine
from .narration.narrator import Narrator, Renderer
from .narration.voices import Voices
from .podcast import transcripts as transcript
from .podcast.chapters import chapters_json
from .podcast.cover import cover
from .podcast.episode import (
    Episode,
    episode,
    shown_source,
)
from .podcast.identity import episode_guid
from .reading.feeds import Selection
from .reading.fetch import Fetcher
from .reading.sources import Origin, origins
from .show import Show
from .speech import lexicon as lexicons
from .speech.lexicon import Lexicons
from .speech.script import ScriptWriter, Wording
from .web import pages as player


class Reporter:
    """What a build tells whoever runs it; the CLI draws progress bars from it."""

    def start_article(self, article: Article) -> None: ...
    def section_done(self) -> None: ...
    def end_article(self, manifest: Manifest) -> None: ...
    def failed(self, error: ArticleError) -> None: ...
    def warn(self, message: str) -> None: ...


def build(sources: Iterable[str | Path], output: Path, settings: Settings, reporter: Reporter | None = None,
          selection: Selection = Selection()) -> BuildReport:
    """Narrate every article in `sources` into `output`; bad articles are reported, not fatal.

    A problem that no article can escape (no voice, a full disk, an unwritable
    output folder, another build in the same folder) stops the build with an
    AudiogenError; files already in `output` are left as they were.
    """
    reporter = reporter or Reporter()
    report, started = BuildReport(), time.monotonic()
    sources = list(sources)
    with writing(output), rendering(settings) as studio, locked(output):
        remove_partial_files(output)
        show = Show(output, settings, reporter.warn)
        for article in started_articles(sources, studio, selection, report, reporter):
            with one_article(article.name, report, reporter):
                reporter.start_article(article.article)
                manifest = build_article(article, show, studio, reporter)
                report.built.append(manifest)
                reporter.end_article(manifest)
        with staged() as staging:
            write_files(staging, show.files())
        layout.shelve(output, list(show.manifests.values()), settings.audiobook_shelf)
        if not report.failed:
            unchanged.record(sources, output, settings, [manifest.slug for manifest in report.built])
    return finished(report, studio, started)


def make_book(sources: Iterable[str | Path], path: Path, settings: Settings, title: str, author: str,
              reporter: Reporter | None = None, selection: Selection = Selection(),
              book_format: str = "epub") -> BuildReport:
    """One book of every article in `sources`, written to `path`: an EPUB 3 talking book (a
    part per article) or an M4B audiobook (a chapter per section).

    Speech and encoded sections come from the cache when a build has made them."""
    reporter = reporter or Reporter()
    report, started = BuildReport(), time.monotonic()
    episodes, parts, modified = [], [], []
    with writing(path), rendering(settings) as studio:
        for article in started_articles(sources, studio, selection, report, reporter):
            with one_article(article.name, report, reporter):
                reporter.start_article(article.article)
                narrated = narrate(article, studio, reporter, guid="",
                                   published=article.article.date or article.article.modified)
                episodes.append(narrated)
                parts.append(article_book(article.article, settings, narrated, identifier="").parts[0])
                modified.append(article.article.modified)
                report.built.append(narrated.manifest)
                reporter.end_article(narrated.manifest)
        if not parts:
            raise AudiogenError(f"{path}: not written, as no article could be read")
        with atomic_path(path) as temporary:
            if book_format == "m4b":
                audiobook.write(audiobook.of_episodes(episodes, title, author, cover(settings.image, title)),
                                settings.bitrate, temporary)
            else:
                newest = max(moment(manifest.published) for manifest in report.built).date().isoformat()
                narrators = "; ".join(dict.fromkeys(manifest.voice for manifest in report.built))
                book = folder_book(tuple(parts), settings, title, author, narrators, max(modified), newest)
                with temporary.open("wb") as out:
                    write_zip(epub.entries(book), out)
    return finished(report, studio, started)


@dataclass
class Started:
    """An article read, its scripts written and their rendering asked for."""

    name: str
    """The article as its origin names it, for errors."""
    article: Article
    writer: ScriptWriter
    voice: Engine
    scripts: list
    pending: list


def started_articles(sources: Iterable[str | Path], studio: Studio, selection: Selection, report: BuildReport,
                     reporter: Reporter) -> Iterator[Started]:
    """Each article of `sources`, read and its rendering started, in order. A cluster is given
    `ahead` more articles than the one handed out, to render meanwhile; what goes wrong with
    reading an article fails that article alone."""
    slugs: dict[str, str] = {}
    window: deque[Started] = deque()
    settings = studio.settings
    with Fetcher(Cache(settings.cache_path), settings.timeout, settings.allow_private_addresses) as fetcher:
        for origin in origins(sources, fetcher, selection):
            with one_article(origin.name, report, reporter):
                article = read(origin, settings)
                claim_slug(article, slugs)
                if article.untitled:
                    reporter.warn(f"{origin.name}: has no title (no 'title' in its front matter, no first heading); "
                                  f"it is called '{article.title}'")
                writer, voice = studio.writer(article)
                scripts = [writer.section(section) for section in article.sections]
                language = article.language
                window.append(Started(origin.name, article, writer, voice, scripts,
                                      [studio.renderer.render(script, language) for script in scripts]))
            while len(window) > studio.renderer.ahead:
                yield window.popleft()
    yield from window


@contextmanager
def writing(destination: Path) -> Iterator[None]:
    """A full disk or an unwritable folder, as one line."""
    try:
        yield
    except OSError as error:
        raise AudiogenError(f"{error.filename or destination}: cannot write ({error.strerror or error})") from None


@dataclass
class Studio:
    """What narrating articles takes, for one run: the voices, the lexicons, the renderer."""

    settings: Settings
    voices: Voices
    lexicons: Lexicons
    renderer: Renderer | ClusterRenderer

    def writer(self, article: Article) -> tuple[ScriptWriter, Engine]:
        return script_writer(article, self.settings, self.voices, self.lexicons)


def script_writer(article: Article, settings: Settings, voices: Voices,
                  lexicons: Lexicons) -> tuple[ScriptWriter, Engine]:
    """How the article is written for the ear (each language with its own words and lexicon),
    and the voice that reads it."""
    def wording(language: str) -> Wording:
        lexicon = lexicons.for_language(language).merged(article.lexicon)
        return Wording(language, lexicon, voices.for_language(language).phonemes)

    language = article.language
    writer = ScriptWriter(wording(language), settings.pauses, settings.earcons, wordings=wording)
    return writer, voices.for_language(language)


@contextmanager
def rendering(settings: Settings) -> Iterator[Studio]:
    """The voices (checked before anything is narrated), the lexicons, the speech cache and the
    encoding threads for one run, or the Dask cluster that renders instead (`scheduler`)."""
    voices = Voices(settings)
    voices.check()
    lexicons = load_lexicons(settings)
    narrator = Narrator(voices, Cache.of(settings), settings)
    renderer = (cluster_renderer(narrator, settings) if settings.scheduler
                else Renderer(narrator, ThreadPoolExecutor(max_workers=settings.jobs)))
    try:
        yield Studio(settings, voices, lexicons, renderer)
    except BaseException:
        audio.stop_encoders()  # Ctrl+C: stop ffmpeg now rather than wait for it
        raise
    finally:
        renderer.close()


@contextmanager
def one_article(name: str, report: BuildReport, reporter: Reporter) -> Iterator[None]:
    """What goes wrong with one article fails that article only, reported in one line."""
    try:
        yield
    except (ArticleError, SpeechError, TextError) as error:
        fail(report, reporter, error if isinstance(error, ArticleError) else ArticleError(name, error.message))
    except (OSError, EncodingError, EngineError):
        raise  # no other article could do better
    except Exception as error:  # a fault of audiogen's, met on this article only
        failure = ArticleError(name, f"could not be built ({type(error).__name__}: {error}); "
                                     "run audiogen --debug build to see where")
        failure.__cause__ = error
        fail(report, reporter, failure)


def finished(report: BuildReport, studio: Studio, started: float) -> BuildReport:
    narrator = studio.renderer.narrator
    report.synthesised, report.encoded = narrator.synthesised, narrator.encoded
    if isinstance(studio.renderer, ClusterRenderer):
        report.sections_by_worker = dict(studio.renderer.sections_by_worker)
    report.fallbacks = sorted(studio.voices.fallbacks)
    report.seconds = time.monotonic() - started
    return report


def fail(report: BuildReport, reporter: Reporter, error: ArticleError) -> None:
    report.failed.append(error)
    reporter.failed(error)


def load_lexicons(settings: Settings) -> Lexicons:
    return lexicons.load_all(Path(settings.lexicon)) if settings.lexicon else Lexicons()


def claim_slug(article: Article, slugs: dict[str, str]) -> None:
    if article.slug in slugs:
        raise ArticleError(article.source, f"slug '{article.slug}' is already used by "
                                           f"{slugs[article.slug]}; set another in its front matter")
    slugs[article.slug] = article.source


def narrate(started: Started, studio: Studio, reporter: Reporter, guid: str, published: str) -> Episode:
    """The article's sections rendered (or found in the cache), and its episode."""
    article, settings, voice = started.article, studio.settings, started.voice
    for pending in started.pending:
        pending.narrated()
        reporter.section_done()
    contents_script = contents = None
    if settings.spoken_contents:  # spoken while the last sections are still being encoded
        contents_script = started.writer.contents(article.title, article.author,
                                                  [script.title for script in started.scripts],
                                                  sum(pending.narrated() for pending in started.pending))
        contents = studio.renderer.render(contents_script, article.language).rendering()
    sections = [pending.rendering() for pending in started.pending]
    passages = {sentence.language for script in started.scripts for sentence in script.sentences
                if sentence.language}
    narrators = [voice.narrator, *(f"{studio.voices.for_language(language).narrator} ({language})"
                                   for language in sorted(passages))]
    return episode(article, settings, started.scripts, contents_script, contents, sections, guid, published,
                   "; ".join(dict.fromkeys(narrators)))


def build_article(started: Started, show: Show, studio: Studio, reporter: Reporter) -> Manifest:
    """Narrate one article and write its files, with the show's feeds, in one group of renames."""
    article = started.article
    settings, folder = show.settings, show.output / article.slug
    previous = show.manifests.get(article.slug)
    if previous and not same_owner(previous.source, shown_source(article.source)):
        raise ArticleError(started.name, f"not built: its episode '{article.slug}' belongs to {previous.source}, "
                                         "which this article never replaces")
    narrated = narrate(started, studio, reporter, guid=show.episode_guid(article.slug),
                       published=article.date or (previous.published if previous else now()))
    books = talking_books(article_book(article, settings, narrated, episode_guid(narrated.manifest)),
                          narrated.manifest)
    m4b = audiobook.of_episodes([narrated], article.title, article.author, show.cover) if settings.m4b else None
    manifest = replace(narrated.manifest, books_key=key([*(fingerprint(entries) for entries in books.values()),
                                                         m4b.fingerprint(settings.bitrate) if m4b else ""]))
    with staged() as staging:
        if not layout.unchanged_audio(folder, previous, manifest):
            for name, file in narrated.files.items():
                file.write(staging.path(folder / name))
        if not layout.unchanged_books(folder, previous, manifest):
            write_books(staging, folder, books, manifest)
            if m4b:
                audiobook.write(m4b, settings.bitrate, staging.path(folder / manifest.m4b))
        staging.write_text(folder / layout.TRANSCRIPT, transcript.webvtt(narrated.cues))
        staging.write_text(folder / layout.SUBTITLES, transcript.subrip(narrated.cues))
        staging.write_text(folder / layout.WORDS, transcript.json_transcript(narrated.cues))
        staging.write_text(folder / layout.CHAPTERS, chapters_json(manifest))
        staging.write_text(folder / layout.PAGE, player.episode_page(manifest, narrated.cues, settings))
        write_files(staging, show.add(manifest))
        # Renamed last: a manifest in place means every file it describes is in place too.
        staging.write_text(folder / layout.MANIFEST, layout.manifest_text(manifest))
    layout.remove_stale_files(folder, manifest, [name for name, _ in books.get(manifest.daisy, [])])
    return manifest


def read(origin: Origin, settings: Settings) -> Article:
    """The article of `origin`, with the show's language and author where it gives none: decided
    here, once, for everything made of it."""
    article = origin.read()
    return replace(article, language=article.language or settings.language.lower(),
                   author=article.author or settings.author)


def same_owner(built_from: str, source: str) -> bool:
    """Whether an article from `source` may replace an episode built from `built_from`: its own
    source, or two of the producer's own files (one moved, say), never another web source."""
    return built_from == source or ("://" not in built_from and "://" not in source)


def talking_books(book: Book, manifest: Manifest) -> dict[str, list]:
    """The files of each talking book the manifest names (the EPUB's, the DAISY book's), by book."""
    found = {}
    if manifest.epub:
        found[manifest.epub] = epub.entries(book)
    if manifest.daisy:
        found[manifest.daisy] = daisy.files(book)
    return found


def write_files(staging: Staging, files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        staging.write_bytes(path, data)


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def write_books(staging: Staging, folder: Path, books: dict[str, list], manifest: Manifest) -> None:
    """Each talking book as a zip, and the DAISY book as a folder too."""
    for name, entries in books.items():
        with staging.path(folder / name).open("wb") as out:
            write_zip(entries, out)
    for name, entry in books.get(manifest.daisy, []):
        path = staging.path(folder / layout.DAISY_FOLDER / name)
        path.write_bytes(entry) if isinstance(entry, bytes) else entry.write(path)
