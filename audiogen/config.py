"""Settings: defaults, then `audiogen.toml`, then command-line options."""

from __future__ import annotations

import dataclasses
import os
import re
import typing
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .characters import clean
from .errors import AudiogenError

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
    """The show owner's e-mail, for podcast directories."""
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
    sources: tuple[str, ...] = ("articles",)
    """What `audiogen build` narrates when given nothing: folders, files, page and feed addresses."""
    timeout: float = 30.0
    """Seconds a web request may take, connecting, headers and body together (however slowly a
    server sends), and seconds to wait for a Dask scheduler to answer."""
    allow_private_addresses: bool = False
    """Let addresses that feeds and pages give (entry links, redirects) lead into private
    networks (loopback, 10.x, 192.168.x, link-local...): only for an intranet whose feeds you trust."""
    engine: str = "piper"
    """Voice engine: `piper` (offline, default) or `gtts` (Google, online)."""
    voice: str = ""
    """A Piper `.onnx` voice file; empty for the bundled en_US "joe" voice."""
    voices: dict[str, str] = field(default_factory=dict)
    """The `[voices]` table: a language ("es", "en-gb") and the voice that reads it (see voices.py)."""
    strict_voices: bool = False
    """Refuse an article whose language no configured voice speaks, rather than read it with eSpeak NG."""
    voices_dir: str = ""
    """Where `audiogen voices install` puts Piper voices; empty for `$XDG_DATA_HOME/audiogen/voices`."""
    voices_url: str = "https://huggingface.co/rhasspy/piper-voices/resolve/main/"
    """The Piper voices collection (or a mirror of it): `voices.json` and the voices' files."""
    speed: float = 1.0
    """Speaking rate: 1.0 is the voice's own, 1.2 is 20% faster."""
    bitrate: int = 64
    """MP3 bit rate in kbit/s (constant), at 44.1 kHz mono."""
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
    lexicon: str = "lexicon.toml"
    """Pronunciation lexicon: a `.toml` (word = "how to say it") or W3C `.pls` file; skipped if absent."""
    cache_dir: str = ""
    """Where synthesised speech is kept; empty for `$XDG_CACHE_HOME/audiogen` (~/.cache/audiogen).
    A folder, or an fsspec URL (`s3://bucket/prefix`) that a cluster's machines share."""
    jobs: int = 1
    """Sections encoded at once while the voice speaks the next ones."""
    voice_threads: int = 0
    """Threads each Piper voice computes on; 0 for onnxruntime's choice, one per core. A
    machine running several cluster workers gives each its share of the cores."""
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
    def shared_cache(self) -> str:
        """The fsspec URL of a cache that a cluster's machines share, if `cache_dir` is one."""
        return self.cache_dir if "://" in self.cache_dir else ""

    @property
    def cache_path(self) -> Path:
        """The cache on this machine (which keeps a copy of what it uses from a shared one)."""
        if self.cache_dir and not self.shared_cache:
            return Path(self.cache_dir).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(base) / "audiogen"


def load(path: Path | None = None, **overrides: Any) -> Settings:
    """Settings from `path` (default `./audiogen.toml`, if present), then `overrides` not None.

    Relative paths in the file are taken from the file's folder; every value is
    checked here, before anything is narrated."""
    config_path = path or Path(CONFIG_FILE)
    values = resolved_paths(read_file(config_path, required=path is not None), config_path.parent)
    values.update({name: value for name, value in overrides.items() if value is not None})
    settings = build(Settings, values, config_path)
    check(settings, config_path)
    return settings


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
    return str(folder / Path(value).expanduser()) if value and "://" not in value else value


def check(settings: Settings, path: Path) -> None:
    """Values that are of the right type but that a build could not use."""
    def refuse(name: str, reason: str) -> None:
        raise AudiogenError(f"{path}: '{name}' {reason}")

    if not settings.title.strip():
        refuse("title", "must not be empty")
    main, sub = category_parts(settings.category)
    if main not in APPLE_CATEGORIES or (sub and sub not in APPLE_CATEGORIES[main]):
        refuse("category", f"must be one of Apple Podcasts' categories (see the README), not {settings.category!r}")
    if not LANGUAGE_TAG.match(settings.language):
        refuse("language", f"must be a language code such as 'en-us' or 'es', not {settings.language!r}")
    for name in ("base_url", "link"):
        if getattr(settings, name) and not web_address(getattr(settings, name)):
            refuse(name, f"must be an http:// or https:// address, not {getattr(settings, name)!r}")
    if settings.owner_email and not EMAIL.match(settings.owner_email):
        refuse("owner_email", f"must be an e-mail address, not {settings.owner_email!r}")
    if settings.guid and not is_uuid(settings.guid):
        refuse("guid", f"must be a UUID such as '9b024349-ccf0-5f69-a609-6b82873eab3c', not {settings.guid!r}")
    for language in settings.voices:
        if not LANGUAGE_TAG.match(language):
            refuse(f"voices.{language}", "is not a language code such as 'es' or 'en-gb'")
    if settings.scheduler and not SCHEDULER.match(settings.scheduler):
        refuse("scheduler", f"must be a Dask scheduler's address such as 'tcp://10.0.0.5:8786', or 'local:N' for "
                            f"N worker processes on this machine (1 to 64), not {settings.scheduler!r}")
    if settings.voices_url and not (web_address(settings.voices_url) and settings.voices_url.startswith("https://")):
        refuse("voices_url", f"must be an https:// address (voices are downloaded over HTTPS only), "
                             f"not {settings.voices_url!r}")
    if settings.image:
        from .podcast.cover import checked_image

        checked_image(Path(settings.image))


def category_parts(category: str) -> tuple[str, str | None]:
    """"Health & Fitness/Medicine" as its category and subcategory."""
    main, _, sub = category.partition("/")
    return main.strip(), sub.strip() or None


def web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"\s", value)


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


def build(kind: type, values: dict, path: Path, table: str = ""):
    """A `kind` dataclass from `values` (the TOML table `table`), checking every name, type and range."""
    fields = {item.name: item for item in dataclasses.fields(kind)}
    hints = typing.get_type_hints(kind)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise AudiogenError(f"{path}: unknown setting '{table}{unknown[0]}' (see the README for the list)")
    checked = {}
    for name, value in values.items():
        expected, key = hints[name], f"{table}{name}"
        if dataclasses.is_dataclass(expected):
            if not isinstance(value, (dict, expected)):
                raise AudiogenError(f"{path}: '{key}' must be a table")
            checked[name] = value if isinstance(value, expected) else build(expected, value, path, f"{key}.")
        else:
            checked[name] = within(key, typed(key, value, expected, path), path)
    return kind(**checked)


def typed(name: str, value: Any, expected: type, path: Path) -> Any:
    if typing.get_origin(expected) is dict:
        if isinstance(value, dict) and all(isinstance(item, str) for item in value.values()):
            return {clean(str(language)).lower(): clean(voice) for language, voice in value.items()}
        raise AudiogenError(f"{path}: '{name}' must be a table of text, as in [{name}] es = \"espeak\"")
    if typing.get_origin(expected) is tuple:
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            return tuple(clean(item) for item in value)
        raise AudiogenError(f"{path}: '{name}' must be a list of text, not {value!r}")
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return clean(value) if isinstance(value, str) else value
    raise AudiogenError(f"{path}: '{name}' must be {TYPE_NAMES[expected]}, not {value!r}")


def within(name: str, value: Any, path: Path) -> Any:
    if name == "bitrate" and value not in MP3_BITRATES:
        raise AudiogenError(f"{path}: 'bitrate' must be one of {', '.join(map(str, MP3_BITRATES))}, not {value}")
    if name in RANGES and not RANGES[name][0] <= value <= RANGES[name][1]:
        raise AudiogenError(f"{path}: '{name}' must be from {RANGES[name][0]} to {RANGES[name][1]}, not {value}")
    return value


TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
"""The constant bit rates MPEG-1 Layer III allows at 44.1 kHz, in kbit/s."""
RANGES = {"speed": (0.5, 2.0), "loudness": (-30.0, -10.0), "true_peak": (-9.0, 0.0), "jobs": (1, 16), "voice_threads": (0, 256),
          "timeout": (1.0, 600.0),
          **{f"pauses.{pause.name}": (0.0, 10.0) for pause in dataclasses.fields(Pauses)}}
"""Numbers a build can work with (the pauses in seconds)."""
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
"""A BCP 47 language tag: "en", "en-us", "pt-br", "zh-hant-tw"."""
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
