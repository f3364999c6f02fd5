"""Settings: defaults, then `audiogen.toml`, then command-line options."""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .addresses import is_address, is_url
from .errors import AudiogenError
from .languages import is_language_tag
from .typed import Mistyped, typed

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

CONFIG_FILE = "audiogen.toml"


@dataclass(frozen=True)
class Pauses:
    """Silences, in seconds, that carry the article's shape to the ear."""

    lead_in: float = 0.5
    """Before the first word of every file, so that no player clips it."""
    sentence: float = 0.3
    """Between sentences of a paragraph."""
    list_item: float = 0.55
    """Between list items and between table rows."""
    paragraph: float = 0.8
    """Between paragraphs."""
    heading: float = 1.0
    """After a sub-heading."""
    title: float = 1.3
    """After a section's title."""
    section_end: float = 2.0
    """After a section's last word: with the next lead-in, the gap between chapters."""


@dataclass(frozen=True)
class Settings:
    """Everything a build can be told; each field is also an `audiogen.toml` key."""

    title: str = "audiogen"
    """The show's title, in the feed and on the web player."""
    author: str = ""
    """The show's author, used for articles that name none."""
    description: str = "Articles, narrated."
    """The show's description (at most 4,000 bytes for Apple Podcasts)."""
    language: str = "en-us"
    """Language (ISO 639, with an optional region) for articles that state none."""
    category: str = "Education"
    """Apple Podcasts category; "Health & Fitness/Medicine" gives a subcategory."""
    explicit: bool = False
    """Whether the show is marked explicit."""
    image: str = ""
    """Square cover art (PNG or JPEG, 1400-3000 px); generated from the title when empty."""
    owner_name: str = ""
    """The show owner's name, for podcast directories."""
    owner_email: str = ""
    """The show owner's e-mail, for podcast directories and `podcast:locked`."""
    base_url: str = ""
    """Where `output/` will be published; feeds need absolute URLs. Empty: `audiogen serve` fills it in."""
    guid: str = ""
    """The show's `podcast:guid`; empty: made by the first build and kept in `output/show.json`."""
    link: str = ""
    """The show's website; defaults to the base URL."""
    copyright: str = ""
    """Copyright line for the feed."""
    locked: bool = False
    """`podcast:locked`: true asks other platforms not to import the feed without the owner's e-mail."""
    license: str = ""
    """The narration's licence, as `podcast:license` names it: a well-known identifier such as
    `CC-BY-4.0`, or your own licence's short name with `license_url`."""
    license_url: str = ""
    """Where the licence's full text is (required for a licence of your own)."""
    medium: str = "podcast"
    """`podcast:medium`: `podcast` for articles read aloud, `audiobook` for a book, or `blog`,
    `newsletter`."""
    sources: tuple[str, ...] = ("articles",)
    """What `audiogen build` narrates when given nothing: folders, files, page and feed addresses."""
    timeout: float = 30.0
    """Seconds a web request may take, connecting, headers and body together (however slowly a
    server sends), and seconds to wait for a Dask scheduler to answer."""
    allow_private_addresses: bool = False
    """Let addresses that feeds and pages give (entry links, redirects) lead into private
    networks (loopback, 10.x, 192.168.x, link-local...): only for an intranet whose feeds you trust."""
    engine: str = "piper"
    """Voice engine: `piper` (offline, the default), `espeak` (eSpeak NG, offline, about a hundred
    languages) or `gtts` (Google's, online)."""
    voice: str = ""
    """A Piper `.onnx` voice file; empty for the bundled en_US "joe" voice."""
    voices: dict[str, str] = field(default_factory=dict)
    """The `[voices]` table: a language ("es", "en-gb") and the voice that reads it (see Voices and
    languages)."""
    strict_voices: bool = False
    """Refuse an article whose language no configured voice speaks, rather than read it with eSpeak NG."""
    voices_dir: str = ""
    """Where `audiogen voices install` puts Piper voices; empty for `$XDG_DATA_HOME/audiogen/voices`."""
    voices_url: str = "https://huggingface.co/rhasspy/piper-voices/resolve/main/"
    """The Piper voices collection (or a mirror of it): `voices.json` and the voices' files."""
    speed: float = 1.0
    """Speaking rate: 1.0 is the voice's own, 1.2 is 20% faster."""
    bitrate: int = 64
    """MP3 bit rate in kbit/s (constant), at 44.1 kHz mono: one MPEG-1 Layer III allows."""
    loudness: float = -16.0
    """Integrated loudness target in LUFS (podcast norm: -16)."""
    true_peak: float = -1.0
    """Highest true peak allowed, in dBTP."""
    earcons: bool = False
    """Play a short, gentle tone at each section boundary."""
    spoken_contents: bool = True
    """Open each full episode with its spoken table of contents (title, author, length, sections)."""
    epub: bool = True
    """Write each article as an EPUB 3 talking book, text and narration synchronised."""
    daisy: bool = True
    """Write each article as a DAISY 2.02 talking book, a folder and a zip."""
    read_along: str = "sentence"
    """What the EPUB's media overlays mark as it is heard: each `sentence`, or each `word` (for
    readers who follow best word by word; the web player marks words either way)."""
    m4b: bool = False
    """Write each article as an M4B audiobook too (AAC, chapters, cover), for audiobook apps."""
    audiobook_shelf: bool = False
    """Also file each M4B as `audiobooks/<Author>/<Title>/<Title>.m4b` in the output folder, the
    layout Audiobookshelf scans (hard links: no second copy on disk)."""
    lexicon: str = "lexicon.toml"
    """Pronunciation lexicon: a `.toml` (word = "how to say it") or W3C `.pls` file; skipped if absent."""
    cache_dir: str = ""
    """Where synthesised speech is kept; empty for `$XDG_CACHE_HOME/audiogen` (~/.cache/audiogen).
    A folder, or an fsspec URL (`s3://bucket/prefix`) that a cluster's machines share."""
    jobs: int = 1
    """Sections encoded at once while the voice speaks the next ones."""
    voice_threads: int = 0
    """Cores each Piper voice computes on; 0 for every core this process may use. On two or
    more it speaks two sentences at once, each on half of them. A machine running several
    cluster workers gives each its share of the cores."""
    scheduler: str = ""
    """A Dask scheduler's address (`tcp://host:8786`) to render sections on, or `local:N` for N
    worker processes on this machine; empty to render here."""
    pauses: Pauses = field(default_factory=Pauses)
    """The `[pauses]` table: see Pauses."""

    @property
    def voices_path(self) -> Path:
        if self.voices_dir:
            return Path(self.voices_dir).expanduser()
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        return Path(base) / "audiogen" / "voices"

    @property
    def prepared_path(self) -> Path:
        """Where voices are kept as audiogen runs them (made once per voice file, kept across
        cache cleaning): `$XDG_DATA_HOME/audiogen/prepared`."""
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        return Path(base) / "audiogen" / "prepared"

    @property
    def shared_cache(self) -> str:
        """The fsspec URL of a cache that a cluster's machines share, if `cache_dir` is one."""
        return self.cache_dir if is_url(self.cache_dir) else ""

    @property
    def cache_path(self) -> Path:
        """The cache on this machine (which keeps a copy of what it uses from a shared one)."""
        if self.cache_dir and not self.shared_cache:
            return Path(self.cache_dir).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(base) / "audiogen"


def usable_cores() -> int:
    """Cores this process may run on: fewer than the machine's under an affinity mask (a
    container's, `taskset`'s); every one where the system cannot tell (macOS)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def load(path: Path | None = None, **overrides: Any) -> Settings:
    """Settings from `path` (default `./audiogen.toml`, if present), then `overrides` not None
    (the command line's options).

    Relative paths in the file are taken from the file's folder; every value is checked
    here, and only here, before anything is narrated: an error names the file and the
    setting, or the option."""
    config_path = path or Path(CONFIG_FILE)
    given = {name: value for name, value in overrides.items() if value is not None}

    def where(name: str) -> str:
        top = name.split(".")[0]
        return f"--{top.replace('_', '-')}" if top in given else f"{config_path}: '{name}'"

    values = {**resolved_paths(read_file(config_path, required=path is not None), config_path.parent), **given}
    try:
        settings = typed(Settings, values)
    except Mistyped as error:
        raise AudiogenError(f"{where(error.name)} {explained(error)}") from None
    settings = dataclasses.replace(settings, voices={tag.lower(): voice for tag, voice in settings.voices.items()})
    check(settings, where)
    return settings


def explained(error: Mistyped) -> str:
    """Why a setting was refused; for a name that is not a setting, the one meant, if it is near."""
    if error.reason != "is not a name it knows":
        return error.reason
    table, _, name = error.name.rpartition(".")
    names = [item.name for item in dataclasses.fields(Pauses if table == "pauses" else Settings)]
    near = difflib.get_close_matches(name, names, n=1)
    return "is not a setting" + (f"; did you mean '{near[0]}'?" if near else " (docs/settings.md lists them)")


PATH_SETTINGS = ("image", "voice", "lexicon", "cache_dir", "sources", "voices_dir", "voices")


def resolved_paths(values: dict, folder: Path) -> dict:
    """`values` with the path settings (given, or left at their defaults) taken from `folder`."""
    defaults = Settings()
    for name in PATH_SETTINGS:
        value = values.get(name, getattr(defaults, name))
        if isinstance(value, str):
            values[name] = resolved(value, folder)
        elif isinstance(value, (list, tuple)):
            values[name] = [resolved(item, folder) if isinstance(item, str) else item for item in value]
        elif isinstance(value, dict):  # [voices]: only the voice files are paths
            values[name] = {language: resolved(voice, folder) if isinstance(voice, str) and voice.endswith(".onnx")
                            else voice for language, voice in value.items()}
    return values


def resolved(value: str, folder: Path) -> str:
    return str(folder / Path(value).expanduser()) if value and not is_url(value) else value


def check(settings: Settings, where: Callable[[str], str]) -> None:
    """Values that are of the right type but that a build could not use."""
    def refuse(name: str, reason: str) -> None:
        raise AudiogenError(f"{where(name)} {reason}")

    for name, value in ((name, getattr(settings, name)) for name in RANGES if "." not in name):
        low, high = RANGES[name]
        if not low <= value <= high:
            refuse(name, f"must be from {low} to {high}, not {value}")
    for pause in dataclasses.fields(Pauses):
        if not 0 <= getattr(settings.pauses, pause.name) <= MOST_PAUSE:
            refuse(f"pauses.{pause.name}", f"must be from 0 to {MOST_PAUSE} seconds")
    if settings.bitrate not in MP3_BITRATES:
        refuse("bitrate", f"must be one of {', '.join(map(str, MP3_BITRATES))}, not {settings.bitrate}")
    if not settings.title.strip():
        refuse("title", "must not be empty")
    category_problem = categories_problem(settings.category)
    if category_problem:
        refuse("category", category_problem)
    if not is_language_tag(settings.language):
        refuse("language", f"must be a language code such as 'en-us' or 'es', not {settings.language!r}")
    if settings.read_along not in READ_ALONG:
        refuse("read_along", f"must be one of {', '.join(READ_ALONG)}, not {settings.read_along!r}")
    if settings.medium not in MEDIUMS:
        refuse("medium", f"must be one of {', '.join(MEDIUMS)}, not {settings.medium!r}")
    for name in ("base_url", "link", "license_url"):
        if getattr(settings, name) and not is_address(getattr(settings, name)):
            refuse(name, f"must be an http:// or https:// address, not {getattr(settings, name)!r}")
    if settings.license_url and not settings.license:
        refuse("license_url", "names a licence's text, but 'license' gives the licence no name")
    if len(settings.license) > 128 or "\n" in settings.license:
        refuse("license", "must be one line of at most 128 characters")
    if settings.owner_email and not EMAIL.match(settings.owner_email):
        refuse("owner_email", f"must be an e-mail address, not {settings.owner_email!r}")
    if settings.guid and not is_uuid(settings.guid):
        refuse("guid", f"must be a UUID such as '9b024349-ccf0-5f69-a609-6b82873eab3c', not {settings.guid!r}")
    for language in settings.voices:
        if not is_language_tag(language):
            refuse(f"voices.{language}", "is not a language code such as 'es' or 'en-gb'")
    engines = engine_names()
    if settings.engine not in engines:
        refuse("engine", f"must be one of {', '.join(engines)}, not {settings.engine!r}")
    if settings.scheduler and not SCHEDULER.match(settings.scheduler):
        refuse("scheduler", f"must be a Dask scheduler's address such as 'tcp://10.0.0.5:8786', or 'local:N' for "
                            f"N worker processes on this machine (1 to 64), not {settings.scheduler!r}")
    if settings.voices_url and not (is_address(settings.voices_url) and settings.voices_url.startswith("https://")):
        refuse("voices_url", f"must be an https:// address (voices are downloaded over HTTPS only), "
                             f"not {settings.voices_url!r}")
    if settings.image:
        image_problem = cover_problem(Path(settings.image))
        if image_problem:
            raise AudiogenError(f"{settings.image}: {image_problem}")


@lru_cache(maxsize=1)
def engine_names() -> list[str]:
    """The voice engines installed (their entry points), by name."""
    from importlib.metadata import entry_points

    return sorted(point.name for point in entry_points(group="audiogen.engines"))


def categories_problem(category: str) -> str:
    """What is wrong with an Apple Podcasts category (with the ones meant or allowed), or ""."""
    main, sub = category_parts(category)
    if main not in APPLE_CATEGORIES:
        near = difflib.get_close_matches(main, APPLE_CATEGORIES, n=1)
        return (f"must be one of Apple Podcasts' categories ({', '.join(APPLE_CATEGORIES)}; a subcategory "
                f"follows a slash, as in 'Health & Fitness/Medicine'), not {category!r}"
                + (f"; did you mean '{near[0]}'?" if near else ""))
    if sub and sub not in APPLE_CATEGORIES[main]:
        allowed = APPLE_CATEGORIES[main]
        return (f"has no subcategory {sub!r} under {main!r}: "
                + (f"it has {', '.join(allowed)}" if allowed else "it has none"))
    return ""


def cover_problem(path: Path) -> str:
    """What keeps `path` from being the show's cover art (Apple's rules), or ""."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            found, width, height = image.format, image.width, image.height
    except (OSError, UnidentifiedImageError) as error:
        return f"not a usable cover image ({error})"
    if found not in ("PNG", "JPEG"):
        return f"cover art must be PNG or JPEG, not {found}"
    if width != height or width < COVER_SIZE:
        return f"cover art must be square and at least {COVER_SIZE} px (it is {width}×{height})"
    return ""


def category_parts(category: str) -> tuple[str, str | None]:
    """"Health & Fitness/Medicine" as its category and subcategory."""
    main, _, sub = category.partition("/")
    return main.strip(), sub.strip() or None


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def read_file(path: Path, required: bool) -> dict:
    if not path.is_file():
        if required:
            raise AudiogenError(f"{path}: no such settings file")
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise AudiogenError(f"{path}: not valid TOML ({error})") from None


MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
"""The constant bit rates MPEG-1 Layer III allows at 44.1 kHz, in kbit/s."""
RANGES = {"speed": (0.5, 2.0), "loudness": (-30.0, -10.0), "true_peak": (-9.0, 0.0), "jobs": (1, 16),
          "voice_threads": (0, 256), "timeout": (1.0, 600.0)}
"""Numbers a build can work with."""
READ_ALONG = ("sentence", "word")
MEDIUMS = ("podcast", "audiobook", "blog", "newsletter")
"""The values of `podcast:medium` that articles read aloud can be."""
MOST_PAUSE = 10.0
"""Seconds a pause may last."""
COVER_SIZE = 1400
"""Apple's smallest cover art, in pixels a side (and 3000 the largest)."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SCHEDULER = re.compile(r"^(?:local:(?:[1-9]|[1-5][0-9]|6[0-4])|(?:tcp|tls|ws|wss|ucx)://[^\s/]+:\d+|[^\s/:]+:\d+)$")
"""`local:N` (N from 1 to 64), or a Dask scheduler's address: `tcp://host:8786`, `host:8786`."""
APPLE_CATEGORIES = {
    "Arts": ["Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"],
    "Business": ["Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"],
    "Comedy": ["Comedy Interviews", "Improv", "Stand-Up"],
    "Education": ["Courses", "How To", "Language Learning", "Self-Improvement"],
    "Fiction": ["Comedy Fiction", "Drama", "Science Fiction"],
    "Government": [], "History": [],
    "Health & Fitness": ["Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition",
                         "Sexuality"],
    "Kids & Family": ["Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"],
    "Leisure": ["Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
                "Home & Garden", "Video Games"],
    "Music": ["Music Commentary", "Music History", "Music Interviews"],
    "News": ["Business News", "Daily News", "Entertainment News", "News Commentary", "Politics",
             "Sports News", "Tech News"],
    "Religion & Spirituality": ["Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion",
                                "Spirituality"],
    "Science": ["Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
                "Natural Sciences", "Nature", "Physics", "Social Sciences"],
    "Society & Culture": ["Documentary", "Personal Journals", "Philosophy", "Places & Travel",
                          "Relationships"],
    "Sports": ["Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey",
               "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"],
    "Technology": [], "True Crime": [],
    "TV & Film": ["After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"],
}


def allowed(name: str) -> str:
    """The values a setting may take, where its type does not say it all."""
    if name in RANGES:
        return f"{RANGES[name][0]:g} to {RANGES[name][1]:g}"
    if name.startswith("pauses."):
        return f"0 to {MOST_PAUSE:g} seconds"
    return {"bitrate": ", ".join(map(str, MP3_BITRATES)), "medium": ", ".join(MEDIUMS),
            "read_along": ", ".join(READ_ALONG), "engine": ", ".join(engine_names()),
            "category": "Apple Podcasts' categories", "language": "a language tag", "scheduler": "tcp://host:port, "
            "local:1 to local:64"}.get(name, "")


def reference() -> list[tuple[str, Any, str]]:
    """Every setting (a table's as `pauses.lead_in`), its default and what it does, read from the
    definitions above: the documentation's settings reference is written from this."""
    import ast
    import inspect

    found = []
    for kind, table in ((Settings, ""), (Pauses, "pauses.")):
        body = ast.parse(inspect.getsource(kind)).body[0].body
        docs = {node.target.id: ast.get_docstring(ast.Module(body=[following], type_ignores=[])) or ""
                for node, following in zip(body, body[1:])
                if isinstance(node, ast.AnnAssign) and isinstance(following, ast.Expr)}
        for item in dataclasses.fields(kind):
            if dataclasses.is_dataclass(item.default_factory if item.default_factory is not dataclasses.MISSING
                                        else None):
                continue
            default = item.default if item.default is not dataclasses.MISSING else item.default_factory()
            found.append((f"{table}{item.name}", default, " ".join(docs.get(item.name, "").split())))
    return found
