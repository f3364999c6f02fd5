"""The command line: thin click commands that load settings and call one library function.

This is the only module that prints or exits. Each command imports what it runs when it
runs, so that `audiogen --help` and a rebuild with nothing to do start at once.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import sys
import time
import traceback
from pathlib import Path

import click

from . import __version__, config
from .addresses import is_address, is_url
from .errors import AudiogenError

MIN_WATCH_SECONDS = 60


def plural(number: int, noun: str) -> str:
    """"1 section", "6 sections"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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


class Commands(click.Group):
    """Turns the library's errors into one line each (a traceback only with --debug), and
    suggests the command meant when one is misspelt."""

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
        except click.UsageError as error:  # one line, as every error is; --help shows the usage
            raise UsageLine(error.format_message()) from None
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as error:  # a fault of audiogen's: say so on one line
            show_cause(ctx, error, error)
            raise click.ClickException(one_line(error)) from None

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            near = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            ctx.fail(f"No such command '{name}'." + (f" Did you mean '{near[0]}'?" if near else ""))
        return super().resolve_command(ctx, args)


class UsageLine(click.ClickException):
    """A command given wrongly: one line, exit status 2."""

    exit_code = 2


class DebugLines(logging.Handler):
    """The library's log, one `debug:` line each on stderr (as it is when the line is written)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"debug: {record.getMessage()}", err=True)


logging.getLogger("audiogen").addHandler(DebugLines())


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(__version__, prog_name="audiogen")
@click.option("--debug", is_flag=True, help="Show what happens (encodings again, tracebacks of errors).")
def main(debug: bool) -> None:
    """Turn written articles into narrated audio: MP3 chapters, full episodes with
    chapter marks, transcripts, podcast feeds, talking books and an accessible web player.

    Example:

        audiogen build articles -o output
    """
    logging.getLogger("audiogen").setLevel(logging.DEBUG if debug else logging.WARNING)


class Date(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx) -> str:
        from .dates import iso_date

        try:
            return iso_date(value)
        except ValueError:
            self.fail(f"{value!r} is not a date such as 2024-03-01", param, ctx)


class Interval(click.ParamType):
    """"90", "90s", "15m", "1h" as seconds; at least a minute, to be polite to feeds."""

    name = "INTERVAL"

    def convert(self, value, param, ctx) -> float:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([smh]?)", str(value).strip().lower())
        if not match:
            self.fail(f"{value!r} is not an interval such as 90s, 15m or 1h", param, ctx)
        seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
        if seconds < MIN_WATCH_SECONDS:
            self.fail(f"{value!r} is too short: at least {MIN_WATCH_SECONDS} s, to be polite to servers", param, ctx)
        return seconds

    @staticmethod
    def text(seconds: float) -> str:
        """An interval as the option takes it: "1h", "15m", "90s"."""
        for unit, size in (("h", 3600), ("m", 60)):
            if seconds % size == 0:
                return f"{seconds / size:g}{unit}"
        return f"{seconds:g}s"


class WebAddress(click.ParamType):
    name = "URL"

    def convert(self, value, param, ctx) -> str:
        if not is_address(value):
            self.fail(f"{value!r} is not an http:// or https:// address", param, ctx)
        return value


def setting(name: str):
    """`[default: the NAME setting]`: an option that overrides audiogen.toml only when given."""
    return f"the {name} setting"


config_option = click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
                             help="Settings file.", show_default="./audiogen.toml, if there is one")


class EngineOption(click.Option):
    """--engine, whose help names the engines installed, looked up only when help is read."""

    @property
    def help(self) -> str:
        return f"Voice engine: {', '.join(config.engine_names())}."

    @help.setter
    def help(self, text: str | None) -> None:
        pass  # click sets it when the option is made; it is always the line above


def settings_options(command):
    """Options every command that narrates shares; each overrides audiogen.toml when given."""
    command = config_option(command)
    command = click.option("--engine", cls=EngineOption, metavar="NAME", show_default=setting("engine"))(command)
    command = click.option("--voice", type=click.Path(path_type=str, dir_okay=False), show_default=setting("voice"),
                           help="A Piper .onnx voice file instead of the bundled voice.")(command)
    return command


def selection_options(command):
    """Which entries of the feeds among the sources to narrate, and the voices' strictness."""
    command = click.option("--strict-voices", is_flag=True, default=None, show_default=setting("strict_voices"),
                           help="Refuse an article whose language no configured voice speaks "
                                "(else eSpeak NG reads it).")(command)
    command = click.option("--since", type=Date(), show_default="all",
                           help="Only feed entries published on or after this date.")(command)
    command = click.option("--limit", type=click.IntRange(0), default=0, show_default="0, all",
                           help="Only the newest N entries of each feed.")(command)
    return command


def existing(sources: tuple[str, ...]) -> tuple[str, ...]:
    for source in sources:
        if not is_url(source) and not Path(source).exists():
            raise AudiogenError(f"{source}: no such file or folder")
    return sources


@main.command()
@click.argument("sources", nargs=-1)
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              help="Folder to write into.")
@click.option("--base-url", type=WebAddress(), show_default=setting("base_url"),
              help="Where the output folder will be published (for feed URLs).")
@click.option("--earcons/--no-earcons", default=None, show_default=setting("earcons"),
              help="A gentle tone at each section boundary.")
@click.option("--jobs", type=int, show_default=setting("jobs"), help="Sections encoded at once while the voice speaks.")
@click.option("--watch", type=Interval(), show_default="build once", help="Build again every INTERVAL until Ctrl+C.")
@click.option("--scheduler", metavar="ADDRESS", show_default=setting("scheduler"),
              help="Render sections on a Dask cluster (tcp://host:8786), or on N local worker processes (local:N).")
@settings_options
@selection_options
def build(sources, output, base_url, earcons, jobs, watch, scheduler, config_path, engine, voice, since, limit,
          strict_voices) -> None:
    """Narrate articles into OUTPUT: files or folders of them, web pages and feeds
    (RSS, Atom, JSON Feed) by address; with none given, the `sources` setting.

    Each article becomes one MP3 per section, a full episode with ID3 chapters,
    transcripts, talking books and a manifest.json, in OUTPUT/<article-slug>/;
    the show's feed and page cover them all.

    Examples:

        audiogen build articles -o output

        audiogen build https://example.org/feed.xml --limit 10 --watch 1h
    """
    from .model import BuildReport
    from .unchanged import up_to_date

    settings = config.load(config_path, engine=engine, voice=voice, base_url=base_url, earcons=earcons,
                           jobs=jobs, strict_voices=strict_voices, scheduler=scheduler)
    chosen = existing(sources or settings.sources)
    debug = click.get_current_context().find_root().params["debug"]

    def build_once() -> None:
        started = time.monotonic()
        built = up_to_date(chosen, output, settings)
        if built is not None:
            return summarise(BuildReport(built, seconds=time.monotonic() - started), f"{output}/")
        from .build import build as build_output
        from .reading.feeds import Selection

        reporter = ProgressReporter(debug=debug)
        try:
            report = build_output(chosen, output, settings, reporter, Selection(limit=limit, since=since or ""))
        finally:
            reporter.close()
        summarise(report, f"{output}/")

    if watch is None:
        return build_once()
    while True:
        try:
            build_once()
        except Exception as error:  # --watch runs unattended: a round that fails must not end it
            show_cause(click.get_current_context(), error, error)
            click.echo(f"Error: {one_line(error)}", err=True)
        click.echo(f"Next build in {Interval.text(watch)}; Ctrl+C stops.", err=True)
        time.sleep(watch)


def summarise(report, destination: str) -> None:
    """The build's report in a few lines; one line more, and exit status 1, for failed articles."""
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
              help="The book file to write.")
@click.option("--format", "book_format", type=click.Choice(["epub", "m4b"]),
              help="EPUB 3 talking book or M4B audiobook.  [default: from the output's extension, else epub]")
@click.option("--title", show_default="the show's title", help="The book's title.")
@click.option("--author", show_default="the show's author", help="The book's author.")
@settings_options
@selection_options
def book(sources, output, book_format, title, author, config_path, engine, voice, since, limit,
         strict_voices) -> None:
    """Make one book of many articles (files, folders, pages or feeds; with none given,
    the `sources` setting): an EPUB 3 talking book, a part per article, text and
    narration synchronised; or an M4B audiobook for audiobook apps, a chapter per
    section, with cover and tags.

    Speech comes from the cache: a book of articles already built costs no synthesis.

    Examples:

        audiogen book articles/ -o handbook.epub --title "Living with SPS"

        audiogen book articles/ -o handbook.m4b --title "Living with SPS"
    """
    from .build import make_book
    from .reading.feeds import Selection

    settings = config.load(config_path, engine=engine, voice=voice, strict_voices=strict_voices)
    reporter = ProgressReporter(debug=click.get_current_context().find_root().params["debug"])
    try:
        report = make_book(existing(sources or settings.sources), output, settings,
                           title or settings.title, author if author is not None else settings.author, reporter,
                           Selection(limit=limit, since=since or ""),
                           book_format or ("m4b" if output.suffix.lower() == ".m4b" else "epub"))
    finally:
        reporter.close()
    summarise(report, str(output))


class ProgressReporter:
    """A progress bar per article, advancing a step per section (what build.Reporter is told)."""

    def __init__(self, debug: bool = False) -> None:
        self.bar = None
        self.debug = debug

    def start_article(self, article) -> None:
        label = article.title if len(article.title) <= 40 else article.title[:39] + "…"
        self.bar = click.progressbar(length=len(article.sections), label=label, file=sys.stderr,
                                     show_pos=True)
        self.bar.__enter__()

    def section_done(self) -> None:
        self.bar.update(1)

    def end_article(self, manifest) -> None:
        self.close()

    def failed(self, error: AudiogenError) -> None:
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

    With --json, each sentence as written and as spoken, and, once a build has narrated it,
    when each of its words is heard (seconds from the sentence's start).

    Example:

        audiogen sections articles/stem-cell-miracle.txt --json
    """
    from .build import load_lexicons, read, script_writer
    from .narration.voices import Voices
    from .reading.sources import FileOrigin

    settings = config.load(config_path, engine=engine, voice=voice)
    article = read(FileOrigin(file), settings)
    voices = Voices(settings)
    writer, reader = script_writer(article, settings, voices, load_lexicons(settings))
    scripts = [writer.section(section) for section in article.sections]
    if as_json:
        from .cache import Cache

        cache = Cache.of(settings)
        found = {"title": article.title,
                 "sections": [{"title": script.title, "text": script.text,
                               "sentences": [sentence_timings(sentence, voices.for_language(sentence.language)
                                                              if sentence.language else reader, cache)
                                             for sentence in script.sentences]} for script in scripts]}
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    click.echo(f"{article.title}  ({plural(len(scripts), 'section')})")
    for index, script in enumerate(scripts, 1):
        click.echo(f"\n{index:2d}. {script.title}  ({plural(len(script.text.split()), 'word')})")
        click.echo(click.wrap_text(script.text, initial_indent="    ", subsequent_indent="    "))


def sentence_timings(sentence, voice, cache) -> dict:
    """A sentence as written and spoken, with its words' times if its speech is in the cache."""
    from .narration.narrator import speech_entry
    from .narration.words import written_words

    timed = cache.find("speech", speech_entry(sentence.spoken, voice), ".json")
    words = written_words(sentence.written, sentence.spoken, tuple(map(tuple, json.loads(timed.read_text()))), 0.0) \
        if timed else None
    return {"text": sentence.written, "spoken": sentence.spoken,
            "words": [{"start": word.start, "end": word.end, "text": word.text} for word in words]
            if words is not None else None}


@main.command()
@click.argument("directory", default=Path("output"), type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--host", default="127.0.0.1", help="Address to listen on; 0.0.0.0 lets phones on your network connect.")
@click.option("--port", default=8000, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--public-url", type=WebAddress(), show_default="none",
              help="The address phones use to reach this server, if not its own (behind a proxy or a tunnel): "
                   "feeds point there.")
@click.option("--list-folders", is_flag=True, help="List the files of folders that have no index.html.")
def serve(directory, host, port, public_url, list_folders) -> None:
    """Serve DIRECTORY over HTTP for podcast apps and browsers.

    Answers HEAD and byte-range requests (podcast apps need them to seek) and
    serves nothing outside DIRECTORY. A feed built without --base-url points at
    this server, at whatever address the app used to reach it.

    Examples:

        audiogen serve

        audiogen serve output --host 0.0.0.0 --port 8000
    """
    from .web.serve import Server

    server = Server(directory, host, port, public_url or "", list_folders)  # listening from here on
    click.echo(f"Serving {directory}/ at {server.address} ; subscribe to {server.feed_url} . "
               "Press Ctrl+C to stop.")
    server.run()


@main.command()
@click.argument("output", default=Path("output"), type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--jobs", default=2, type=click.IntRange(1, 64), help="Sections recognised at once.")
def verify(output, jobs) -> None:
    """Listen to every narrated section in OUTPUT with an independent, offline speech
    recogniser and report its word error rate against the narrated text.

    Sections where speech was dropped, cut off or garbled are flagged, and the
    exit status is then 1. Needs the optional recogniser: pip install 'audiogen[verify]'.

    Example:

        audiogen verify output
    """
    from .narration.verify import overall_wer
    from .narration.verify import verify as verify_output

    checks = verify_output(output, jobs)
    width = max(len(check.slug) for check in checks)
    click.echo(f"{'Article':{width}}   #  {'Section':40} Words  Heard   WER  Problem")
    for check in checks:
        title = check.title if len(check.title) <= 40 else check.title[:39] + "…"
        if check.unchecked:
            click.echo(f"{check.slug:{width}}  {check.index:2d}  {title:40} {check.words:5d}      -     -  "
                       f"not checked: {check.unchecked}")
            continue
        click.echo(f"{check.slug:{width}}  {check.index:2d}  {title:40} {check.words:5d}  {check.heard:5d}  "
                   f"{check.wer:4.2f}  {check.problem or 'ok'}")
    flagged = [check for check in checks if check.problem]
    unchecked = [check for check in checks if check.unchecked]
    click.echo(f"Overall word error rate: {overall_wer(checks):.2f} over "
               f"{plural(sum(check.words for check in checks if not check.unchecked), 'word')}; "
               f"{plural(len(flagged), 'section')} flagged"
               + (f"; {plural(len(unchecked), 'section')} not checked "
                  f"({', '.join(sorted({check.unchecked for check in unchecked}))})." if unchecked else "."))
    if flagged:
        raise AudiogenError(f"{plural(len(flagged), 'section')} may not say what was written")


@main.command()
@config_option
def cache(config_path) -> None:
    """Show where synthesised speech is cached and how much room it takes.

    Example:

        audiogen cache
    """
    from .cache import Cache

    store = Cache.of(config.load(config_path))
    files, size = store.usage()
    click.echo(f"{store.root}: {plural(files, 'file')}, {size / 1e6:.1f} MB")


@main.command()
@config_option
def clean(config_path) -> None:
    """Empty the speech cache. The next build synthesises everything again.

    Only what audiogen wrote there is removed.

    Example:

        audiogen clean
    """
    from .cache import Cache

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
    from .narration.engines import registered
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
    `voices_url` setting) into the voices folder, over HTTPS, checking its size and
    checksum; a cut download resumes where it stopped. Then name it under [voices]
    in audiogen.toml.

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
    click.echo(f"Installed {name} in {model.parent} (checked against its {checked}). To use it, add to "
               f"audiogen.toml:\n[voices]\n{name.split('_')[0]} = \"{name}\"")


@voices.command()
@click.argument("name")
@click.argument("text", required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), show_default="sample-NAME.mp3",
              help="The MP3 to write.")
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
