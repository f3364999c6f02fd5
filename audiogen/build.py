"""The only place that sequences the stages and writes `output/`.

For each article: read it, write its scripts, render them (narrate and encode),
then write, together, its section MP3s, the full episode with chapters, the
transcripts, the JSON chapters, the player page, the manifest, and the show's
feeds and index as they now are. One output folder takes one build at a time.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from . import audio, lexicon as lexicons, player, transcript
from .cache import Cache
from .chapters import chapters_json
from .config import Settings
from .engines import load_engine
from .episode import audio_names, author_of, episode, language_of, unchanged_audio
from .errors import ArticleError, AudiogenError, EncodingError, EngineError, SpeechError
from .files import Staging, locked, remove_partial_files, staged
from .lexicon import Lexicon
from .model import Article, Manifest
from .narrate import Renderer
from .readers import find_articles, read_article
from .show import Show
from .speech import ScriptWriter, Wording

SECTION_FILE = re.compile(r"^\d{2,}-[a-z0-9-]+\.mp3$")


class Reporter:
    """What a build tells whoever runs it; the CLI draws progress bars from it."""

    def start_article(self, article: Article) -> None: ...
    def section_done(self) -> None: ...
    def end_article(self, manifest: Manifest) -> None: ...
    def failed(self, error: ArticleError) -> None: ...
    def warn(self, message: str) -> None: ...


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
    output folder, another build in the same folder) stops the build with an
    AudiogenError; files already in `output` are left as they were.
    """
    reporter = reporter or Reporter()
    started = time.monotonic()
    report = BuildReport()
    engine = load_engine(settings)
    project_lexicon = load_lexicon(settings)
    pool = ThreadPoolExecutor(max_workers=settings.jobs)
    try:
        with locked(output):
            remove_partial_files(output)
            show = Show(output, settings, reporter.warn)
            renderer = Renderer(engine, Cache(settings.cache_path), settings, pool)
            build_all(find_articles(sources), show, renderer, project_lexicon, reporter, report)
            with staged() as staging:
                write_files(staging, show.files())
    except OSError as error:
        raise AudiogenError(f"{error.filename or output}: cannot write ({error.strerror or error})") from None
    except BaseException:
        audio.stop_encoders()  # Ctrl+C: stop ffmpeg now rather than wait for it
        raise
    finally:
        pool.shutdown(cancel_futures=True)
    report.synthesised, report.encoded = renderer.synthesised, renderer.encoded
    report.seconds = time.monotonic() - started
    return report


def build_all(paths: Iterable[Path], show: Show, renderer: Renderer, project_lexicon: Lexicon,
              reporter: Reporter, report: BuildReport) -> None:
    slugs: dict[str, Path] = {}
    for path in paths:
        try:
            article = read_article(path)
            claim_slug(article, slugs)
            reporter.start_article(article)
            manifest = build_article(article, show, renderer, project_lexicon.merged(article.lexicon), reporter)
        except (ArticleError, SpeechError) as error:
            fail(report, reporter, error if isinstance(error, ArticleError) else ArticleError(path, error.message))
            continue
        except (OSError, EncodingError, EngineError):
            raise  # no other article could do better
        except Exception as error:  # a fault of audiogen's, met on this article only
            failure = ArticleError(path, f"could not be built ({type(error).__name__}: {error}); "
                                         "run audiogen --debug build to see where")
            failure.__cause__ = error
            fail(report, reporter, failure)
            continue
        report.built.append(manifest)
        reporter.end_article(manifest)


def fail(report: BuildReport, reporter: Reporter, error: ArticleError) -> None:
    report.failed.append(error)
    reporter.failed(error)


def load_lexicon(settings: Settings) -> Lexicon:
    path = Path(settings.lexicon)
    return lexicons.load(path) if settings.lexicon and path.is_file() else Lexicon()


def claim_slug(article: Article, slugs: dict[str, Path]) -> None:
    if article.slug in slugs:
        raise ArticleError(article.source, f"slug '{article.slug}' is already used by "
                                           f"{slugs[article.slug]}; set another in its front matter")
    slugs[article.slug] = article.source


def build_article(article: Article, show: Show, renderer: Renderer, lexicon: Lexicon,
                  reporter: Reporter) -> Manifest:
    settings = show.settings
    writer = ScriptWriter(Wording(language_of(article, settings), lexicon, renderer.engine.phonemes),
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
    previous = show.manifests.get(article.slug)
    narrated = episode(article, settings, scripts, contents_script, contents, sections,
                       guid=show.episode_guid(article.slug),
                       published=article.date or (previous.published if previous else now()))
    manifest, folder = narrated.manifest, show.output / article.slug
    with staged() as staging:
        if not unchanged_audio(folder, previous, manifest):
            for name, file in narrated.files.items():
                file.write(staging.path(folder / name))
        staging.write_text(folder / "transcript.vtt", transcript.webvtt(narrated.cues))
        staging.write_text(folder / "transcript.srt", transcript.subrip(narrated.cues))
        staging.write_text(folder / "chapters.json", chapters_json(manifest))
        staging.write_text(folder / "index.html", player.episode_page(manifest, narrated.cues, settings))
        write_files(staging, show.add(manifest))
        # Renamed last: a manifest in place means every file it describes is in place too.
        staging.write_text(folder / "manifest.json", json.dumps(asdict(manifest), indent=2, ensure_ascii=False) + "\n")
    remove_stale_sections(folder, set(audio_names(manifest)))
    return manifest


def write_files(staging: Staging, files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        staging.write_bytes(path, data)


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def remove_stale_sections(folder: Path, current: set[str]) -> None:
    """Section files of an earlier build whose section is gone or renamed."""
    for path in folder.glob("*.mp3"):
        if SECTION_FILE.match(path.name) and path.name not in current:
            path.unlink()
