"""The command line: thin click commands that load settings and call one library function.

This is the only module that prints or exits.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
from pathlib import Path

import click

from . import __version__, config
from .build import BuildReport, Reporter, build as build_output, load_lexicons, make_book, script_writer
from .cache import Cache
from .narration.engines import registered
from .errors import ArticleError, AudiogenError
from .model import Article, Manifest
from .dates import iso_date
from .reading.readers import read_article
from .reading.sources import Selection

MIN_WATCH_SECONDS = 60
from .speech.script import ScriptWriter, Wording, plural


class Commands(click.Group):
    """Turns the library's errors into one line each; a traceback only with --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AudiogenError as error:
            show_cause(ctx, error)
            raise click.ClickException(error.message) from None
        except KeyboardInterrupt:
            click.echo("Interrupted: what was finished is in place; run the same command again to go on.",
                       err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as error:  # a fault of audiogen's: say so on one line
            show_cause(ctx, error, error)
            raise click.ClickException(one_line(error)) from None


def one_line(error: Exception) -> str:
    """What went wrong, in one line: the message of an error the user can fix, else audiogen's fault."""
    if isinstance(error, AudiogenError):
        return error.message
    return f"audiogen failed ({type(error).__name__}: {error}); run audiogen --debug to see where"


def show_cause(ctx: click.Context, error: BaseException, cause: BaseException | None = None) -> None:
    """With --debug, the traceback of what went wrong."""
    cause = cause or error.__cause__
    if cause is not None and ctx.find_root().params.get("debug"):
        click.echo("".join(traceback.format_exception(cause)).rstrip(), err=True)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiogen")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
def main(debug: bool) -> None:
    """Turn written articles into narrated audio: MP3 chapters, full episodes with
    chapter marks, transcripts, a podcast feed and an accessible web player.

    Example:

        audiogen build articles -o output
    """
    logging.getLogger("audiogen").setLevel(logging.DEBUG if debug else logging.WARNING)


class DebugLines(logging.Handler):
    """The library's log, one `debug:` line each on stderr (as it is when the line is written)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"debug: {record.getMessage()}", err=True)


logging.getLogger("audiogen").addHandler(DebugLines())


config_option = click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
                             help="Settings file (default: ./audiogen.toml if present).")


def settings_options(command):
    """Options every command that narrates shares; each overrides audiogen.toml when given."""
    command = config_option(command)
    command = click.option("--engine", help="Voice engine: piper (offline, default) or gtts.")(command)
    command = click.option("--voice", help="A Piper .onnx voice file instead of the bundled voice.")(command)
    return command


def selection_options(command):
    """Which entries of the feeds among the sources to narrate, and the voices' strictness."""
    command = click.option("--strict-voices", is_flag=True, default=None,
                           help="Refuse an article whose language no configured voice speaks "
                                "(else eSpeak NG reads it).")(command)
    command = click.option("--since", help="Only feed entries published on or after this date (2024-03-01).")(command)
    command = click.option("--limit", type=click.IntRange(0), default=0,
                           help="Only the newest N entries of each feed [all].")(command)
    return command


@main.command()
@click.argument("sources", nargs=-1)
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Folder to write into.")
@click.option("--base-url", help="Where the output folder will be published (for feed URLs).")
@click.option("--earcons/--no-earcons", default=None, help="A gentle tone at each section boundary.")
@click.option("--jobs", type=click.IntRange(1, 16), help="Sections encoded at once while the voice speaks [1].")
@click.option("--watch", metavar="INTERVAL", help="Build again every INTERVAL (90s, 15m, 1h) until Ctrl+C.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Render sections on a Dask cluster (tcp://host:8786), or on N local worker processes (local:N).")
@settings_options
@selection_options
def build(sources, output, base_url, earcons, jobs, watch, scheduler, config_path, engine, voice, since, limit,
          strict_voices) -> None:
    """Narrate articles into OUTPUT: files or folders of them, web pages and feeds
    (RSS, Atom, JSON Feed) by address; default: the `sources` setting, else articles/.

    Each article becomes one MP3 per section, a full episode with ID3 chapters,
    talking books and a manifest.json, in OUTPUT/<article-slug>/.

    Example:

        audiogen build articles https://example.org/feed.xml -o output --limit 10
    """
    settings = config.load(config_path, engine=engine, voice=voice, base_url=base_url, earcons=earcons,
                           jobs=jobs, strict_voices=strict_voices, scheduler=scheduler)
    chosen = checked_sources(sources or settings.sources)
    selection = Selection(limit=limit, since=checked_date(since))
    pause = interval_seconds(watch) if watch else None
    debug = click.get_current_context().find_root().params["debug"]

    def build_once() -> None:
        reporter = ProgressReporter(debug=debug)
        try:
            report = build_output(chosen, output, settings, reporter, selection)
        finally:
            reporter.close()
        summarise(report, f"{output}/")

    if pause is None:
        return build_once()
    while True:
        try:
            build_once()
        except Exception as error:  # --watch runs unattended: a round that fails must not end it
            show_cause(click.get_current_context(), error, error)
            click.echo(f"Error: {one_line(error)}", err=True)
        click.echo(f"Next build in {watch}; Ctrl+C stops.", err=True)
        time.sleep(pause)


def checked_sources(sources: tuple[str, ...]) -> tuple[str, ...]:
    for source in sources:
        if "://" not in source and not Path(source).exists():
            raise AudiogenError(f"{source}: no such file or folder")
    return sources


def checked_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return iso_date(value)
    except ValueError:
        raise AudiogenError(f"--since {value!r} is not a date such as 2024-03-01") from None


def interval_seconds(value: str) -> float:
    """"90", "90s", "15m", "1h" as seconds; at least a minute, to be polite to feeds."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([smh]?)", value.strip().lower())
    if not match:
        raise AudiogenError(f"--watch {value!r} is not an interval such as 90s, 15m or 1h")
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if seconds < MIN_WATCH_SECONDS:
        raise AudiogenError(f"--watch {value!r} is too short: at least {MIN_WATCH_SECONDS} s, to be polite to servers")
    return seconds


def summarise(report: BuildReport, destination: str) -> None:
    sections = sum(len(manifest.sections) for manifest in report.built)
    click.echo(f"Built {plural(len(report.built), 'article')}, {plural(sections, 'section')}, "
               f"{report.audio_seconds / 60:.1f} minutes of audio in {report.seconds:.1f} s "
               f"into {destination} ({plural(report.synthesised, 'sentence')} synthesised, "
               f"{plural(report.encoded, 'file')} encoded; the rest from the cache).")
    if report.sections_by_worker:
        click.echo("Sections rendered on each worker: " + ", ".join(
            f"{worker} {count}" for worker, count in sorted(report.sections_by_worker.items())) + ".")
    if report.fallbacks:
        click.echo(f"Read with eSpeak NG, as no voice is configured for: {', '.join(report.fallbacks)} "
                   "(add one under [voices] in audiogen.toml; --strict-voices refuses such articles).")
    if report.failed:
        raise AudiogenError(f"{plural(len(report.failed), 'article')} could not be built (see above)")


@main.command()
@click.argument("sources", nargs=-1)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The EPUB file to write.")
@click.option("--title", help="The book's title [the show's title].")
@click.option("--author", help="The book's author [the show's author].")
@settings_options
@selection_options
def book(sources, output, title, author, config_path, engine, voice, since, limit, strict_voices) -> None:
    """Make one EPUB 3 talking book of many articles (files or folders; default:
    articles/), a part per article, text and narration synchronised.

    Speech comes from the cache: a book of articles already built costs no synthesis.

    Example:

        audiogen book articles/ -o handbook.epub --title "Living with SPS"
    """
    settings = config.load(config_path, engine=engine, voice=voice, strict_voices=strict_voices)
    reporter = ProgressReporter(debug=click.get_current_context().find_root().params["debug"])
    try:
        report = make_book(checked_sources(sources or settings.sources), output, settings,
                           title or settings.title, author if author is not None else settings.author, reporter,
                           Selection(limit=limit, since=checked_date(since)))
    finally:
        reporter.close()
    summarise(report, str(output))


class ProgressReporter(Reporter):
    """A progress bar per article, advancing a step per section."""

    def __init__(self, debug: bool = False) -> None:
        self.bar = None
        self.debug = debug

    def start_article(self, article: Article) -> None:
        label = article.title if len(article.title) <= 40 else article.title[:39] + "…"
        self.bar = click.progressbar(length=len(article.sections), label=label, file=sys.stderr,
                                     show_pos=True)
        self.bar.__enter__()

    def section_done(self) -> None:
        self.bar.update(1)

    def end_article(self, manifest: Manifest) -> None:
        self.close()

    def failed(self, error: ArticleError) -> None:
        self.close()
        if self.debug and error.__cause__ is not None:
            click.echo("".join(traceback.format_exception(error.__cause__)).rstrip(), err=True)
        click.echo(f"Error: {error.message}", err=True)

    def warn(self, message: str) -> None:
        self.close()
        click.echo(f"Warning: {message}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the title and each section's title and text.")
@settings_options
def sections(file, as_json, config_path, engine, voice) -> None:
    """Preview how FILE splits into sections and what the voice will say, without narrating.

    Example:

        audiogen sections articles/stem-cell-miracle.txt --json
    """
    from .narration.voices import Voices

    settings = config.load(config_path, engine=engine, voice=voice)
    article = read_article(file)
    writer, _ = script_writer(article, settings, Voices(settings), load_lexicons(settings))
    scripts = [writer.section(section) for section in article.sections]
    if as_json:
        found = {"title": article.title,
                 "sections": [{"title": script.title, "text": script.text} for script in scripts]}
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    click.echo(f"{article.title}  ({plural(len(scripts), 'section')})")
    for index, script in enumerate(scripts, 1):
        click.echo(f"\n{index:2d}. {script.title}  ({plural(len(script.text.split()), 'word')})")
        click.echo(click.wrap_text(script.text, initial_indent="    ", subsequent_indent="    "))


@main.command()
@click.argument("directory", default=Path("output"),
                type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets phones on your network connect.")
@click.option("--port", default="8000", show_default=True, help="Port to listen on, 1 to 65535.")
@click.option("--public-url", default="", help="The address phones use to reach this server, if not its own "
                                                 "(behind a proxy or a tunnel): feeds point there.")
@click.option("--list-folders", is_flag=True, help="List the files of folders that have no index.html.")
def serve(directory, host, port, public_url, list_folders) -> None:
    """Serve DIRECTORY (default: output/) over HTTP for podcast apps and browsers.

    Answers HEAD and byte-range requests (podcast apps need them to seek) and
    serves nothing outside DIRECTORY. A feed built without --base-url points at
    this server, at whatever address the app used to reach it.

    Example:

        audiogen serve output --host 0.0.0.0 --port 8000
    """
    from .config import web_address
    from .web.serve import Addresses, port_number, serve as serve_output

    port = port_number(port)
    if public_url and not web_address(public_url):
        raise AudiogenError(f"--public-url must be an http:// or https:// address, not {public_url!r}")
    address = Addresses(host, port, public_url).default
    click.echo(f"Serving {directory}/ at {address} ; subscribe to {address}feed.xml . Press Ctrl+C to stop.")
    serve_output(directory, host, port, list_folders, public_url)


@main.command()
@click.argument("output", default=Path("output"), type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Sections recognised at once.")
def verify(output, jobs) -> None:
    """Listen to every narrated section in OUTPUT with an independent, offline speech
    recogniser and report its word error rate against the narrated text.

    Sections where speech was dropped, cut off or garbled are flagged, and the
    exit status is then 1. Needs the optional recogniser: pip install 'audiogen[verify]'.

    Example:

        audiogen verify output
    """
    from .narration.verify import overall_wer, verify as verify_output

    checks = verify_output(output, jobs)
    width = max(len(check.slug) for check in checks)
    click.echo(f"{'Article':{width}}   #  {'Section':40} Words  Heard   WER  Problem")
    for check in checks:
        title = check.title if len(check.title) <= 40 else check.title[:39] + "…"
        click.echo(f"{check.slug:{width}}  {check.index:2d}  {title:40} {check.words:5d}  {check.heard:5d}  "
                   f"{check.wer:4.2f}  {check.problem or 'ok'}")
    flagged = [check for check in checks if check.problem]
    click.echo(f"Overall word error rate: {overall_wer(checks):.2f} over "
               f"{plural(sum(check.words for check in checks), 'word')}; "
               f"{plural(len(flagged), 'section')} flagged.")
    if flagged:
        raise AudiogenError(f"{plural(len(flagged), 'section')} may not say what was written")


@main.command()
@config_option
def cache(config_path) -> None:
    """Show where synthesised speech is cached and how much room it takes.

    Example:

        audiogen cache
    """
    store = Cache.of(config.load(config_path))
    files, size = store.usage()
    click.echo(f"{store.root}: {plural(files, 'file')}, {size / 1e6:.1f} MB")


@main.command()
@config_option
def clean(config_path) -> None:
    """Empty the speech cache. The next build synthesises everything again.

    Example:

        audiogen clean
    """
    store = Cache.of(config.load(config_path))
    files, size = store.usage()
    store.clear()
    click.echo(f"Removed {plural(files, 'file')} ({size / 1e6:.1f} MB) from {store.root}.")


@main.group(invoke_without_command=True)
@config_option
@click.pass_context
def voices(ctx, config_path) -> None:
    """List the voices: the engines, which voice reads each language, the Piper voices
    installed. `audiogen voices install NAME` gets another; `audiogen voices sample NAME`
    lets you hear one.

    Example:

        audiogen voices
    """
    if ctx.invoked_subcommand:
        return
    from .narration import downloads
    from .narration.voices import Voices

    settings = config.load(config_path)
    click.echo("Engines:")
    for name, engine_class in sorted(registered().items()):
        click.echo(f"  {name:8s} {engine_class.describe()}")
    chosen = Voices(settings)
    click.echo("Languages:")
    for language in dict.fromkeys([settings.language.lower(), *settings.voices]):
        where = "the show's" if language == settings.language.lower() else "[voices]"
        click.echo(f"  {language:10s} {chosen.for_language(language).narrator}  ({where})")
    click.echo("  any other  the show's voice if it speaks it, else eSpeak NG"
               + (" (refused: strict_voices)" if settings.strict_voices else ""))
    found = downloads.installed(settings)
    click.echo(f"Installed Piper voices ({settings.voices_path}):" + ("" if found else " none"))
    for name, language in found.items():
        click.echo(f"  {name}  ({language})")


@voices.command()
@click.argument("name")
@config_option
def install(name, config_path) -> None:
    """Download the Piper voice NAME from the public Piper voices collection (the
    `voices_url` setting) into the voices folder, checking its checksums; a cut
    download resumes where it stopped. Then name it under [voices] in audiogen.toml.

    Example:

        audiogen voices install es_ES-davefx-medium
    """
    from .narration import downloads

    settings = config.load(config_path)
    with click.progressbar(length=1, label=name, file=sys.stderr, show_percent=True) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        model, checked = downloads.install(name, settings, progress)
    click.echo(f"Installed {name} in {model.parent} (checked against its {checked}). To use it, add to audiogen.toml:\n"
               f"[voices]\n{name.split('_')[0]} = \"{name}\"")


@voices.command()
@click.argument("name")
@click.argument("text", required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="The MP3 to write [sample-NAME.mp3].")
@config_option
def sample(name, text, output, config_path) -> None:
    """Write a short MP3 of the voice NAME (a language such as es, or a voice as [voices]
    names one: bundled, espeak, espeak:de, an installed voice, a .onnx file) reading TEXT,
    to hear it before a long build.

    Example:

        audiogen voices sample es "Hola, soy la voz de este programa."
    """
    from .narration.voices import sample as make_sample

    settings = config.load(config_path)
    output = output or Path(f"sample-{re.sub(r'[^A-Za-z0-9_-]+', '-', Path(name).stem)}.mp3")
    narrator = make_sample(name, text, output, settings)
    click.echo(f"Wrote {output}: {narrator}.")
