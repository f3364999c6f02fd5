"""The only place that sequences the stages and writes `output/`.

For each article: read it, write its scripts, render them (narrate and encode),
then write the section MP3s, the full episode with chapters, and the manifest.
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

from . import lexicon as lexicons, transcript
from .cache import Cache, key
from .chapters import chapters_json
from .cover import cover
from .config import Settings
from .engines import Engine, load_engine
from .errors import ArticleError
from .feed import article_feed, show_feed
from .files import atomic_path, write_bytes, write_text
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
    """Narrate every article in `sources` into `output`; bad articles are reported, not fatal."""
    reporter = reporter or Reporter()
    started = time.monotonic()
    report = BuildReport()
    engine = load_engine(settings)
    project_lexicon = load_lexicon(settings)
    slugs: dict[str, Path] = {}
    with ThreadPoolExecutor(max_workers=max(1, settings.jobs)) as pool:
        renderer = Renderer(engine, Cache(settings.cache_path), settings, pool)
        for path in find_articles(sources):
            try:
                article = read_article(path)
                claim_slug(article, slugs)
                reporter.start_article(article)
                manifest = build_article(article, output, settings, renderer,
                                         project_lexicon.merged(article.lexicon), reporter)
            except ArticleError as error:
                report.failed.append(error)
                reporter.failed(error)
                continue
            report.built.append(manifest)
            reporter.end_article(manifest)
    report.synthesised, report.encoded = renderer.synthesised, renderer.encoded
    publish(output, settings)
    report.seconds = time.monotonic() - started
    return report


def publish(output: Path, settings: Settings) -> None:
    """What is made from every article in `output`, built now or before: the cover and the feeds."""
    manifests = [manifest for folder in sorted(output.iterdir()) if folder.is_dir()
                 for manifest in [previous_manifest(folder)] if manifest] if output.is_dir() else []
    if not manifests:
        return
    cover_name, cover_bytes = cover(settings.image, settings.title)
    write_bytes(output / cover_name, cover_bytes)
    write_bytes(output / "feed.xml", show_feed(manifests, settings, cover_name))
    for manifest in manifests:
        write_bytes(output / manifest.slug / "feed.xml", article_feed(manifest, settings, cover_name))


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
    previous = previous_manifest(folder)
    files_key = key(asdict(tag_values(article, settings, "", 0, 0)), [asdict(e) for e in entries],
                    [rendering.frames.name for rendering in (contents, *sections)])
    episode = folder / f"{article.slug}.mp3"
    if not (previous and previous.key == files_key and episode.is_file()
            and all((folder / entry.file).is_file() for entry in entries)):
        write_audio(folder, episode, entries, article, settings, [contents, *sections], duration)
    manifest = Manifest(
        title=article.title, slug=article.slug, source=str(article.source),
        author=author_of(article, settings), date=article.date,
        language=language_of(article, settings), description=description_of(article),
        published=article.date or (previous.published if previous else now()),
        audio=AudioEntry(episode.name, round(duration, 3), episode.stat().st_size),
        sections=tuple(replace(entry, bytes=(folder / entry.file).stat().st_size) for entry in entries),
        contents=contents_script.text, key=files_key)
    write_timeline(folder, manifest, episode_cues(contents, sections))
    write_text(folder / "manifest.json", json.dumps(asdict(manifest), indent=2, ensure_ascii=False) + "\n")
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


def write_timeline(folder: Path, manifest: Manifest, cues: list[Cue]) -> None:
    write_text(folder / "transcript.vtt", transcript.webvtt(cues))
    write_text(folder / "transcript.srt", transcript.subrip(cues))
    write_text(folder / "chapters.json", chapters_json(manifest))


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


def write_audio(folder: Path, episode: Path, entries: tuple[SectionEntry, ...], article: Article,
                settings: Settings, frames: list[Rendering], duration: float) -> None:
    """Write the section MP3s, then the full episode with a chapter per section."""
    for entry, rendering in zip(entries, frames[1:]):
        values = tag_values(article, settings, entry.title, entry.index, len(entries))
        write_joined(folder / entry.file, tag_bytes(values), [rendering.frames])
    ends = [entry.start for entry in entries[1:]] + [duration]
    chapters = [Chapter(entry.title, entry.start, end) for entry, end in zip(entries, ends)]
    values = tag_values(article, settings, article.title, 1, 1)
    write_joined(episode, tag_bytes(values, chapters), [rendering.frames for rendering in frames])
    remove_stale_sections(folder, {entry.file for entry in entries})


def write_joined(path: Path, head: bytes, parts: list[Path]) -> None:
    """Write `head` then each part's bytes to `path`, atomically."""
    with atomic_path(path) as temporary, temporary.open("wb") as out:
        out.write(head)
        for part in parts:
            with part.open("rb") as source:
                shutil.copyfileobj(source, out)


def remove_stale_sections(folder: Path, current: set[str]) -> None:
    """Section files of an earlier build whose section is gone or renamed."""
    for path in folder.glob("*.mp3"):
        if SECTION_FILE.match(path.name) and path.name not in current:
            path.unlink()
