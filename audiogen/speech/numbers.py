"""Words said right in Spanish, German, French, Italian, Portuguese and Dutch.

The same kinds of rule as normalize.py's English ones (money, percentages, times, dates,
units, ordinals, abbreviations, numbers), with each language's words and writing: a
decimal comma, a full stop or a space between thousands, the day before the month.
num2words says the numbers, years and sums of money. Languages not here get numbers
in their own words (where num2words has them) and nothing English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from num2words import num2words

from ..languages import primary

NUMBER = r"\d{1,3}(?:[.\u202f\u00a0 ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
"""A number as these languages write it: 1.234,5 (or 1 234,5 in French)."""
CURRENCIES = {"€": "EUR", "$": "USD", "£": "GBP"}
GERMAN_DATIVE = re.compile(r"\b(?:am|vom|zum|im|dem|ab|seit|bis)\s+$", re.IGNORECASE)
GERMAN_ARTICLE = re.compile(r"\b(?:der|die|das)\s+$", re.IGNORECASE)
"""A German day after these takes -n ("am fünften März"), after these no ending ("der erste Mai"),
else -r ("fünfter März")."""


@dataclass(frozen=True)
class Locale:
    code: str
    months: tuple[str, ...]
    date: str
    """A date said: {day} {month} {year}, in this language's order and words."""
    time: str
    """A time with minutes: {hours} {minutes}."""
    hour: str
    """A time on the hour: {hours}."""
    percent: str
    units: dict[str, tuple[str, str]]
    """Symbol: (one, many)."""
    abbreviations: dict[str, str]
    """Pattern: words."""
    at: str
    dot: str
    ordinals: str = ""
    """A pattern of written ordinals ("1.º", "1er") whose group 1 is the number."""
    ordinal_day: bool = False
    """Whether the day of a date is said as an ordinal (German: "am fünften März", "fünfter März")."""
    hour_word: str = ""
    """The word written after a time ("14:05 Uhr"), said once by the time itself."""
    zero_cents: str = ""
    """What num2words adds to a whole sum ("con cero céntimos"), not said."""
    singular_below: float = 1.0
    """Amounts up to this take the singular (French: under 2)."""


def many(*pairs: str) -> dict[str, tuple[str, str]]:
    """Units from "km=kilómetro/kilómetros" pairs."""
    found = {}
    for pair in pairs:
        symbol, _, names = pair.partition("=")
        one, _, several = names.partition("/")
        found[symbol] = (one, several or one)
    return found


LOCALES = {
    "es": Locale(
        "es", ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
               "noviembre", "diciembre"), "{day} de {month} de {year}", "{hours} y {minutes}", "{hours} en punto",
        "por ciento",
        many("km=kilómetro/kilómetros", "m=metro/metros", "cm=centímetro/centímetros", "mm=milímetro/milímetros",
             "kg=kilogramo/kilogramos", "g=gramo/gramos", "mg=miligramo/miligramos", "l=litro/litros",
             "ml=mililitro/mililitros", "h=hora/horas", "min=minuto/minutos", "s=segundo/segundos",
             "°C=grado Celsius/grados Celsius", "km/h=kilómetro por hora/kilómetros por hora"),
        {r"Sr\.": "señor", r"Sra\.": "señora", r"Dr\.": "doctor", r"Dra\.": "doctora", r"etc\.": "etcétera",
         r"p\. ej\.": "por ejemplo", r"aprox\.": "aproximadamente", r"núm\.": "número"},
        "arroba", "punto", ordinals=r"\b(\d+)\.?[ºª°]", zero_cents=r"\s+con\s+cero\s+\w+$"),
    "de": Locale(
        "de", ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
               "November", "Dezember"), "{day} {month} {year}", "{hours} Uhr {minutes}", "{hours} Uhr", "Prozent",
        many("km=Kilometer", "m=Meter", "cm=Zentimeter", "mm=Millimeter", "kg=Kilogramm", "g=Gramm",
             "mg=Milligramm", "l=Liter", "ml=Milliliter", "h=Stunde/Stunden", "min=Minute/Minuten",
             "s=Sekunde/Sekunden", "°C=Grad Celsius", "km/h=Kilometer pro Stunde"),
        {r"z\. ?B\.": "zum Beispiel", r"bzw\.": "beziehungsweise", r"usw\.": "und so weiter", r"Dr\.": "Doktor",
         r"ca\.": "circa", r"Nr\.": "Nummer", r"d\. ?h\.": "das heißt", r"Hr\.": "Herr", r"Fr\.": "Frau"},
        "at", "Punkt", ordinal_day=True, zero_cents=r"\s+und\s+null\s+\w+$", hour_word="Uhr"),
    "fr": Locale(
        "fr", ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"), "{day} {month} {year}", "{hours} heures {minutes}", "{hours} heures",
        "pour cent",
        many("km=kilomètre/kilomètres", "m=mètre/mètres", "cm=centimètre/centimètres", "mm=millimètre/millimètres",
             "kg=kilogramme/kilogrammes", "g=gramme/grammes", "mg=milligramme/milligrammes", "l=litre/litres",
             "ml=millilitre/millilitres", "h=heure/heures", "min=minute/minutes", "s=seconde/secondes",
             "°C=degré Celsius/degrés Celsius", "km/h=kilomètre par heure/kilomètres par heure"),
        {r"M\.(?= [A-Z])": "Monsieur", r"Mme\.?(?= [A-Z])": "Madame", r"Dr\.?(?= [A-Z])": "Docteur",
         r"etc\.": "et cetera",
         r"p\. ?ex\.": "par exemple", r"env\.": "environ", r"n°": "numéro"},
        "arobase", "point", ordinals=r"\b(\d+)(?:er|re|e|ème)\b", zero_cents=r"\s+et\s+zéro\s+\w+$",
        singular_below=2.0, hour_word="heures?"),
    "it": Locale(
        "it", ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
               "ottobre", "novembre", "dicembre"), "{day} {month} {year}", "{hours} e {minutes}", "{hours} in punto",
        "per cento",
        many("km=chilometro/chilometri", "m=metro/metri", "cm=centimetro/centimetri", "mm=millimetro/millimetri",
             "kg=chilogrammo/chilogrammi", "g=grammo/grammi", "mg=milligrammo/milligrammi", "l=litro/litri",
             "ml=millilitro/millilitri", "h=ora/ore", "min=minuto/minuti", "s=secondo/secondi",
             "°C=grado Celsius/gradi Celsius", "km/h=chilometro orario/chilometri orari"),
        {r"Sig\.": "signor", r"Sig\.ra": "signora", r"[Dd]ott\.": "dottor", r"ecc\.": "eccetera",
         r"ad es\.": "ad esempio", r"n\.(?= ?\d)": "numero"},
        "chiocciola", "punto", ordinals=r"\b(\d+)[ºª°]", zero_cents=r"\s+e\s+zero\s+\w+$"),
    "pt": Locale(
        "pt", ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
               "novembro", "dezembro"), "{day} de {month} de {year}", "{hours} e {minutes}", "{hours} horas",
        "por cento",
        many("km=quilómetro/quilómetros", "m=metro/metros", "cm=centímetro/centímetros", "mm=milímetro/milímetros",
             "kg=quilograma/quilogramas", "g=grama/gramas", "mg=miligrama/miligramas", "l=litro/litros",
             "ml=mililitro/mililitros", "h=hora/horas", "min=minuto/minutos", "s=segundo/segundos",
             "°C=grau Celsius/graus Celsius", "km/h=quilómetro por hora/quilómetros por hora"),
        {r"Sr\.": "senhor", r"Sra\.": "senhora", r"Dr\.": "doutor", r"Dra\.": "doutora", r"etc\.": "etcétera",
         r"p\. ?ex\.": "por exemplo", r"n\.º": "número"},
        "arroba", "ponto", ordinals=r"\b(\d+)\.?[ºª°]", zero_cents=r"\s+e\s+zero\s+\w+$"),
    "nl": Locale(
        "nl", ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
               "november", "december"), "{day} {month} {year}", "{hours} uur {minutes}", "{hours} uur", "procent",
        many("km=kilometer", "m=meter", "cm=centimeter", "mm=millimeter", "kg=kilogram", "g=gram", "mg=milligram",
             "l=liter", "ml=milliliter", "h=uur", "min=minuut/minuten", "s=seconde/seconden",
             "°C=graad Celsius/graden Celsius", "km/h=kilometer per uur"),
        {r"dhr\.": "de heer", r"mevr\.": "mevrouw", r"bijv\.": "bijvoorbeeld", r"enz\.": "enzovoort",
         r"o\.a\.": "onder andere", r"[Dd]r\.": "dokter", r"nr\.": "nummer", r"ca\.": "circa"},
        "apenstaartje", "punt", ordinals=r"\b(\d+)(?:ste|de|e)\b", zero_cents=r",\s+nul\s+\w+$",
        hour_word="uur"),
}


def value(number: str) -> float | int:
    """1.234,5 as 1234.5."""
    digits = re.sub(r"[.\u202f\u00a0 ]", "", number).replace(",", ".")
    return float(digits) if "." in digits else int(digits)


@dataclass(frozen=True)
class Rules:
    """The rules of one language, in the order they must run (as in normalize.py)."""

    locale: Locale

    def say(self, number: float | int, **options) -> str:
        return num2words(number, lang=self.locale.code, **options)

    def year(self, year: int) -> str:
        try:
            return self.say(year, to="year")
        except (NotImplementedError, TypeError):
            return self.say(year)

    def day(self, day: int, after: str = "") -> str:
        """The day of a date; `after` is the text before it (German declines: "am fünften")."""
        if self.locale.ordinal_day:
            ending = "n" if GERMAN_DATIVE.search(after) else "" if GERMAN_ARTICLE.search(after) else "r"
            return self.say(day, to="ordinal") + ending
        return self.say(day, to="ordinal") if day == 1 and self.locale.code in ("fr", "it") else self.say(day)

    def money(self, match: re.Match) -> str:
        amount = value(match.group("amount"))
        said = self.say(float(amount), to="currency", currency=CURRENCIES[match.group("symbol")])
        return re.sub(self.locale.zero_cents, "", said) if self.locale.zero_cents else said

    def percent(self, match: re.Match) -> str:
        return f"{self.say(value(match.group(1)))} {self.locale.percent}"

    def time(self, match: re.Match) -> str:
        hours, minutes = int(match.group(1)), int(match.group(2))
        template = self.locale.time if minutes else self.locale.hour
        return template.format(hours=self.say(hours), minutes=self.say(minutes))

    def iso_date(self, match: re.Match) -> str:
        year, month, day = (int(part) for part in match.groups())
        return self.locale.date.format(day=self.day(day, match.string[:match.start()]),
                                       month=self.locale.months[month - 1], year=self.year(year))

    def written_date(self, match: re.Match) -> str:
        between = match.group("between").replace(".", "")
        said = f"{self.day(int(match.group('day')), match.string[:match.start()])}{between}{match.group('month')}"
        if match.group("year"):
            said += f"{match.group('before_year')}{self.year(int(match.group('year')))}"
        return said

    def unit(self, match: re.Match) -> str:
        amount = value(match.group(1))
        one, several = self.locale.units[match.group(2)]
        return f"{self.say(amount)} {one if amount <= self.locale.singular_below else several}"

    def ordinal(self, match: re.Match) -> str:
        return self.say(int(match.group(1)), to="ordinal")

    def number(self, match: re.Match) -> str:
        return self.say(value(match.group(0)))

    def email(self, match: re.Match) -> str:
        return match.group(0).replace(".", f" {self.locale.dot} ").replace("@", f" {self.locale.at} ")

    def rules(self) -> list[Callable[[str], str]]:
        locale = self.locale
        months = "|".join(locale.months)
        units = "|".join(re.escape(unit) for unit in sorted(locale.units, key=len, reverse=True))
        substitutions = [
            (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), self.email),
            *((re.compile(rf"(?<![\w.]){pattern}"), lambda m, words=words: words)
              for pattern, words in locale.abbreviations.items()),
            (re.compile(rf"(?P<symbol>[€$£])\s?(?P<amount>{NUMBER})|(?P<amount2>{NUMBER})\s?(?P<symbol2>[€$£])"),
             self.money_either),
            (re.compile(rf"({NUMBER})\s?%"), self.percent),
            (re.compile(rf"\b([01]?\d|2[0-3])[:.h]([0-5]\d)\b(?!\s?%)(?:\s+(?:{locale.hour_word or '(?!)'})\b)?"),
             self.time),
            (re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b"), self.iso_date),
            (re.compile(rf"\b(?P<day>[0-3]?\d)(?P<between>\.?\s+(?:de\s+)?)(?P<month>{months})\b"
                        rf"(?:(?P<before_year>,?\s+(?:de\s+)?)(?P<year>\d{{4}}))?", re.IGNORECASE), self.written_date),
            (re.compile(rf"(?<![\w.,])({NUMBER})\s?({units})(?![\w/])"), self.unit),
            *([(re.compile(locale.ordinals), self.ordinal)] if locale.ordinals else []),
            (re.compile(NUMBER), self.number),
        ]
        return [lambda text, pattern=pattern, say=say: pattern.sub(say, text) for pattern, say in substitutions]

    def money_either(self, match: re.Match) -> str:
        """€5 and 5 € alike."""
        symbol = match.group("symbol") or match.group("symbol2")
        amount = match.group("amount") or match.group("amount2")
        return self.money(re.match(r"(?P<symbol>.)(?P<amount>.+)", symbol + amount))


@lru_cache(maxsize=16)
@lru_cache(maxsize=16)
def abbreviations_within(language: str) -> re.Pattern | None:
    """The language's abbreviations where a sentence goes on after them (a lowercase word or a
    number follows): their full stops must not end a sentence ("p. ej. una lista")."""
    locale = LOCALES.get(primary(language))
    if locale is None:
        return None
    union = "|".join(f"(?:{pattern})" for pattern in locale.abbreviations)
    return re.compile(rf"(?<![\w.])(?:{union})(?=\s+[^\W\d_A-ZÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÄËÏÖÜÇÑ]|\s+\d)")


def dot(language: str) -> str:
    """How `language` (one of these) says the dot in a site's name or an e-mail address."""
    return LOCALES[primary(language)].dot


def rules(language: str) -> list[Callable[[str], str]] | None:
    """The rules for `language` ("es-mx" uses Spanish's), or None for a language not here."""
    locale = LOCALES.get(primary(language))
    return Rules(locale).rules() if locale else None
