"""The only place that sequences the stages and writes `output/`.

For each article: read it, write its scripts, render them (narrate and encode),
then write, together, its section MP3s, the full episode with chapters, the
transcripts, the JSON chapters, the player page and the manifest. Then publish
what covers every article: the cover, the show feed, per-article feeds, the index.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Iterable

from . import lexicon as lexicons, player, transcript
from .cache import Cache, key
from .chapters import chapters_json
from .cover import cover
from .config import Settings
from .engines import Engine, load_engine
from .errors import ArticleError, AudiogenError, SpeechError
from .feed import article_feed, show_feed
from .files import Staging, remove_partial_files, staged
from .lexicon import Lexicon
from .model import Article, AudioEntry, Cue, Manifest, Paragraph, Rendering, Script, SectionEntry
from .narrate import Renderer
from .readers import find_articles, read_article, section_slug
from .speech import ScriptWriter, Wording
from .tags import Chapter, TagValues, tag_bytes

SECTION_FILE = re.compile(r"^\d{2,}-[a-z0-9-]+\.mp3$")


class Reporter:
    """What a build tells whoever runs it; the CLI draws progress bars from it."""

    def start_article(self, article: Article) -> None: ...
    def section_done(self) -> None: ...
    def end_article(self, manifest: Manifest) -> None: ...
    def failed(self, error: ArticleError) -> None: ...


@dataclass
class BuildReport:
    built: list[Manifest] = field(default_factory=list)
    failed: list[ArticleError] = field(default_factory=list)
    seconds: float = 0.0
    synthesised: int = 0
    """Sentences spoken by the voice; the rest came from the cache."""
    encoded: int = 0
    """Audio files (sections, contents) encoded; the rest came from the cache."""

    @property
    def audio_seconds(self) -> float:
        return sum(manifest.audio.duration for manifest in self.built)


def build(sources: Iterable[Path], output: Path, settings: Settings,
          reporter: Reporter | None = None) -> BuildReport:
    """Narrate every article in `sources` into `output`; bad articles are reported, not fatal.

    A problem that no article can escape (no voice, a full disk, an unwritable
    output folder) stops the build with an AudiogenError; files already in
    `output` are left as they were.
    """
    reporter = reporter or Reporter()
    started = time.monotonic()
    report = BuildReport()
    engine = load_engine(settings)
    project_lexicon = load_lexicon(settings)
    try:
        with ThreadPoolExecutor(max_workers=max(1, settings.jobs)) as pool:
            renderer = Renderer(engine, Cache(settings.cache_path), settings, pool)
            build_all(find_articles(sources), output, settings, renderer, project_lexicon, reporter, report)
        publish(output, settings)
    except OSError as error:
        raise AudiogenError(f"{error.filename or output}: cannot write ({error.strerror or error})") from None
    report.synthesised, report.encoded = renderer.synthesised, renderer.encoded
    report.seconds = time.monotonic() - started
    return report


def build_all(paths: Iterable[Path], output: Path, settings: Settings, renderer: Renderer,
              project_lexicon: Lexicon, reporter: Reporter, report: BuildReport) -> None:
    slugs: dict[str, Path] = {}
    for path in paths:
        try:
            article = read_article(path)
            claim_slug(article, slugs)
            reporter.start_article(article)
            manifest = build_article(article, output, settings, renderer,
                                     project_lexicon.merged(article.lexicon), reporter)
        except (ArticleError, SpeechError) as error:
            failure = error if isinstance(error, ArticleError) else ArticleError(path, error.message)
            report.failed.append(failure)
            reporter.failed(failure)
            continue
        report.built.append(manifest)
        reporter.end_article(manifest)


def publish(output: Path, settings: Settings) -> None:
    """What is made from every article in `output`, built now or before: the cover, the feed,
    the web player's index page and its script and style sheet."""
    manifests = [manifest for folder in sorted(output.iterdir()) if folder.is_dir()
                 for manifest in [previous_manifest(folder)] if manifest] if output.is_dir() else []
    if not manifests:
        return
    cover_name, cover_bytes = cover(settings.image, settings.title)
    with staged() as staging:
        staging.write_bytes(output / cover_name, cover_bytes)
        staging.write_bytes(output / "feed.xml", show_feed(manifests, settings, cover_name))
        staging.write_text(output / "index.html", player.index_page(manifests, settings, cover_name))
        for name in player.ASSETS:
            staging.write_bytes(output / name, player.asset(name))
        for manifest in manifests:
            staging.write_bytes(output / manifest.slug / "feed.xml", article_feed(manifest, settings, cover_name))


def load_lexicon(settings: Settings) -> Lexicon:
    path = Path(settings.lexicon)
    return lexicons.load(path) if settings.lexicon and path.is_file() else Lexicon()


def claim_slug(article: Article, slugs: dict[str, Path]) -> None:
    if article.slug in slugs:
        raise ArticleError(article.source, f"slug '{article.slug}' is already used by "
                                           f"{slugs[article.slug]}; set another in its front matter")
    slugs[article.slug] = article.source


def build_article(article: Article, output: Path, settings: Settings, renderer: Renderer,
                  lexicon: Lexicon, reporter: Reporter) -> Manifest:
    engine: Engine = renderer.engine
    writer = ScriptWriter(Wording(language_of(article, settings), lexicon, engine.phonemes),
                          settings.pauses, settings.earcons)
    scripts = [writer.section(section) for section in article.sections]
    pending = []
    for script in scripts:
        pending.append(renderer.render(script))
        reporter.section_done()
    # The contents are spoken while the last sections are still being encoded.
    contents_script = writer.contents(article.title, author_of(article, settings),
                                      [script.title for script in scripts], sum(p.narrated for p in pending))
    contents = renderer.render(contents_script).rendering.result()
    sections = [narration.rendering.result() for narration in pending]
    entries, duration = section_entries(scripts, sections, contents)
    folder = output / article.slug
    if folder.is_dir():
        remove_partial_files(folder)
    previous = previous_manifest(folder)
    files = audio_files(article, settings, entries, [contents, *sections], duration)
    files_key = key([(name, head.hex(), [part.name for part in parts]) for name, (head, parts) in files.items()])
    sizes = {name: len(head) + sum(part.stat().st_size for part in parts) for name, (head, parts) in files.items()}
    with staged() as staging:
        if not (previous and previous.key == files_key and all((folder / name).is_file() for name in files)):
            for name, (head, parts) in files.items():
                write_joined(staging.path(folder / name), head, parts)
        manifest = Manifest(
            title=article.title, slug=article.slug, source=str(article.source),
            author=author_of(article, settings), date=article.date,
            language=language_of(article, settings), description=description_of(article),
            published=article.date or (previous.published if previous else now()),
            audio=AudioEntry(f"{article.slug}.mp3", round(duration, 3), sizes[f"{article.slug}.mp3"]),
            sections=tuple(replace(entry, bytes=sizes[entry.file]) for entry in entries),
            contents=contents_script.text, key=files_key)
        cues = episode_cues(contents, sections)
        write_timeline(staging, folder, manifest, cues)
        staging.write_text(folder / "index.html", player.episode_page(manifest, cues, settings))
        staging.write_text(folder / "manifest.json", json.dumps(asdict(manifest), indent=2, ensure_ascii=False) + "\n")
    remove_stale_sections(folder, {entry.file for entry in entries})
    return manifest


def description_of(article: Article) -> str:
    """The article's own description, else its opening paragraph."""
    paragraphs = (block.text for section in article.sections for block in section.blocks
                  if isinstance(block, Paragraph))
    return article.description or next(paragraphs, article.title)


def episode_cues(contents: Rendering, sections: list[Rendering]) -> list[Cue]:
    """Every sentence's time in the full episode: the contents, then each section in turn."""
    cues, offset = list(contents.cues), contents.duration
    for rendering in sections:
        cues += [cue.shifted(offset) for cue in rendering.cues]
        offset += rendering.duration
    return cues


def write_timeline(staging: Staging, folder: Path, manifest: Manifest, cues: list[Cue]) -> None:
    staging.write_text(folder / "transcript.vtt", transcript.webvtt(cues))
    staging.write_text(folder / "transcript.srt", transcript.subrip(cues))
    staging.write_text(folder / "chapters.json", chapters_json(manifest))


def language_of(article: Article, settings: Settings) -> str:
    return article.language or settings.language


def author_of(article: Article, settings: Settings) -> str:
    return article.author or settings.author


def previous_manifest(folder: Path) -> Manifest | None:
    try:
        return Manifest.from_dict(json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def section_entries(scripts: list[Script], sections: list[Rendering],
                    contents: Rendering) -> tuple[tuple[SectionEntry, ...], float]:
    """Each section's place in the full episode, which opens with the spoken contents."""
    entries, position = [], contents.duration
    for index, (script, rendering) in enumerate(zip(scripts, sections), 1):
        entries.append(SectionEntry(
            index=index, title=script.title, file=section_file(index, script.title),
            start=0.0 if index == 1 else round(position, 3),
            duration=round(rendering.duration, 3), bytes=0, text=script.text))
        position += rendering.duration
    return tuple(entries), position


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def section_file(index: int, title: str) -> str:
    return f"{index:02d}-{section_slug(title)}.mp3"


def tag_values(article: Article, settings: Settings, title: str, track: int, tracks: int) -> TagValues:
    return TagValues(title=title, artist=author_of(article, settings), album=article.title,
                     date=article.date, language=language_of(article, settings),
                     track=track, tracks=tracks)


def audio_files(article: Article, settings: Settings, entries: tuple[SectionEntry, ...],
                renderings: list[Rendering], duration: float) -> dict[str, tuple[bytes, list[Path]]]:
    """Each MP3 of the article by name: its ID3 tag and the cached frames that follow it.

    `renderings` are the contents and then the sections: a section file holds its
    own frames; the full episode holds them all, with a chapter per section.
    """
    files = {entry.file: (tag_bytes(tag_values(article, settings, entry.title, entry.index, len(entries))),
                          [rendering.frames]) for entry, rendering in zip(entries, renderings[1:])}
    ends = [entry.start for entry in entries[1:]] + [duration]
    chapters = [Chapter(entry.title, entry.start, end) for entry, end in zip(entries, ends)]
    files[f"{article.slug}.mp3"] = (tag_bytes(tag_values(article, settings, article.title, 1, 1), chapters),
                                    [rendering.frames for rendering in renderings])
    return files


def write_joined(path: Path, head: bytes, parts: list[Path]) -> None:
    """Write `head` then each part's bytes to `path`."""
    with path.open("wb") as out:
        out.write(head)
        for part in parts:
            with part.open("rb") as source:
                shutil.copyfileobj(source, out)


def remove_stale_sections(folder: Path, current: set[str]) -> None:
    """Section files of an earlier build whose section is gone or renamed."""
    for path in folder.glob("*.mp3"):
        if SECTION_FILE.match(path.name) and path.name not in current:
            path.unlink()
