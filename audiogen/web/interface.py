"""The player's own words in the listener's language: an episode's page in its article's, the show's
page in the show's.

Labels, buttons and the messages player.js and device.js show are gettext messages in the
templates, translated in `locales/<language>/LC_MESSAGES/audiogen.po` (`make messages` extracts
them and merges new ones into every catalogue; a test fails while one is untranslated). Dates,
lengths and sizes are written by Babel from CLDR, which knows every language's forms. A language
with no catalogue gets the English of the templates, its dates and numbers still its own.
"""

from __future__ import annotations

import datetime
import gettext
import io
from functools import lru_cache
from importlib.resources import files

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.units import format_unit

DOMAIN = "audiogen"
ENGLISH = Locale("en")


def N_(message: str) -> str:
    """Marks a message for the catalogues (gettext's gettext_noop): the page translates it."""
    return message


def catalogue_path(language: str):
    return files("audiogen.web").joinpath("locales", language, "LC_MESSAGES", f"{DOMAIN}.po")


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue for a language tag ("es-mx" reads es), compiled in memory from its .po."""
    path = catalogue_path(locale(language).language)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalogue = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@lru_cache(maxsize=None)
def locale(language: str) -> Locale:
    """CLDR's data for a BCP 47 tag (en-us, pt-BR, es); English for a tag it does not know."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return ENGLISH


def date(day: datetime.date, language: str) -> str:
    """3 May 2024, 3 de mayo de 2024, 3. Mai 2024: the language's long form."""
    return format_date(day, "long", locale=locale(language))


def length(seconds: float, language: str) -> str:
    """"4 minutes and 6 seconds", "4 minutos y 6 segundos": a length a screen reader reads naturally."""
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    units = [(hours, "duration-hour"), (minutes, "duration-minute"), (rest, "duration-second")]
    where = locale(language)
    parts = [format_unit(n, unit, length="long", locale=where) for n, unit in units if n]
    return format_list(parts or [format_unit(0, "duration-second", length="long", locale=where)], locale=where)


def megabytes(size: int, language: str) -> str:
    """1.2 MB, 1,2 MB, 1,2 Mo."""
    return format_unit(size / 1e6, "digital-megabyte", length="short", format="#,##0.0", locale=locale(language))


def number(value: float, language: str) -> str:
    """1.25, 1,25."""
    return format_decimal(value, locale=locale(language))
