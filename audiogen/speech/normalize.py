"""Words said right: rewrite what a voice would misread, before synthesis.

Each rule is a small function from text to text, applied in order: the earlier
rules consume the patterns (money, times, dates, units) that the later, more
general ones (years, plain numbers, acronyms) would otherwise misread.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from num2words import num2words

from ..languages import primary
from . import numbers

Rule = Callable[[str], str]

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTH = r"(?P<month>" + "|".join(m[:3] + f"(?:{m[3:]}|\\.)?" for m in MONTHS) + r")"
# A name follows "Dr." or "St."; lexicon words are held as private-use characters
# (see lexicon.py) while these rules run, and are often names too.
NAME = r"(?= [A-Z\U000f0000-\U000ffffd])"
ABBREVIATIONS = {
    r"e\.g\.": "for example", r"i\.e\.": "that is", r"etc\.": "et cetera", r"vs\.?": "versus",
    r"approx\.": "approximately", r"cf\.": "compare", r"Mr\.": "Mister", r"Mrs\.": "Missus",
    r"Ms\.": "Miz", r"Dr\." + NAME: "Doctor", r"Prof\.": "Professor", r"Jr\.": "Junior",
    r"Sr\.": "Senior", r"St\." + NAME: "Saint", r"Fig\.": "Figure", r"Figs\.": "Figures",
    r"[Nn]o\.(?= ?\d)": "number", r"Vol\.": "Volume", r"Ch\.(?= ?\d)": "Chapter",
    r"Mt\." + NAME: "Mount", r"Inc\.": "Incorporated", r"Ltd\.": "Limited",
}
UNITS = {
    "km": "kilometer", "m": "meter", "cm": "centimeter", "mm": "millimeter", "mi": "mile",
    "ft": "foot", "in": "inch", "kg": "kilogram", "g": "gram", "mg": "milligram",
    "mcg": "microgram", "µg": "microgram", "lb": "pound", "lbs": "pound", "oz": "ounce",
    "l": "liter", "L": "liter", "ml": "milliliter", "mL": "milliliter", "mph": "mile per hour",
    "km/h": "kilometer per hour", "kph": "kilometer per hour", "°C": "degree Celsius",
    "°F": "degree Fahrenheit", "°": "degree", "h": "hour", "hr": "hour", "hrs": "hour",
    "min": "minute", "mins": "minute", "s": "second", "sec": "second", "ms": "millisecond",
    "KB": "kilobyte", "MB": "megabyte", "GB": "gigabyte", "TB": "terabyte", "Hz": "hertz",
    "kHz": "kilohertz", "MHz": "megahertz", "GHz": "gigahertz", "W": "watt", "kW": "kilowatt",
    "kWh": "kilowatt hour", "V": "volt", "mmHg": "millimeter of mercury", "IU": "international unit",
    "bpm": "beat per minute",
}
# Units that are also words ("1 in 5", "5 s"): read as units only when written attached ("5in").
WORDLIKE_UNITS = {"in", "s", "h", "min", "mins", "sec", "g", "l", "L", "W", "V", "hr", "hrs"}
PLURAL_EXCEPTIONS = {"foot": "feet", "inch": "inches", "hertz": "hertz", "degree Celsius":
                     "degrees Celsius", "degree Fahrenheit": "degrees Fahrenheit",
                     "mile per hour": "miles per hour", "kilometer per hour": "kilometers per hour",
                     "millimeter of mercury": "millimeters of mercury", "beat per minute":
                     "beats per minute", "kilowatt hour": "kilowatt hours"}
CURRENCY_NAMES = {"$": (("dollar", "dollars"), ("cent", "cents")),
                  "£": (("pound", "pounds"), ("penny", "pence")),
                  "€": (("euro", "euros"), ("cent", "cents"))}
SCALES = r"thousand|million|billion|trillion"
ROMAN_AFTER = (r"Part|Chapter|Book|Volume|Act|Scene|Section|Phase|Stage|Type|Class|Level|Grade|"
               r"Article|Appendix|Unit|War|Schedule|Category|Season|Episode|Round")
# Acronyms said as words, not letter by letter; a lexicon entry can add more.
SAID_AS_WORDS = {"NASA", "NATO", "UNESCO", "UNICEF", "AIDS", "COVID", "SARS", "MERS", "FIFA",
                 "OPEC", "LASER", "RADAR", "SCUBA", "NAFTA", "OSHA", "FEMA", "GIF", "JPEG", "PIN",
                 "ZIP", "RAM", "ROM", "SIM", "SWAT", "TED", "UNIX", "ASCII", "WASP", "NIMBY",
                 "OK", "ISIS", "LIDAR", "SONAR", "MOOC", "DOS", "CAPTCHA", "IKEA", "LEGO", "POTUS",
                 "NOTE", "FREE", "NEW", "NOW", "NOT", "AND", "THE", "FOR", "YOU", "ALL", "BUT",
                 "TIP", "STOP", "YES", "NO", "SALE", "WOW", "HELP", "ONLY", "READ", "MORE", "END"}
EMOJI = re.compile("[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U0001F1E6-\U0001F1FF"
                   "\U00002B00-\U00002BFF\u200d\ufe0f\u20e3]+")
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                       "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
                       "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
"""Characters with no sound and no width: zero-width spaces and joiners, directional marks,
soft hyphens, variation selectors, tags (as in flag sequences)."""
GIBBERISH = re.compile(r"[A-Za-z0-9+/=_\-]{60,}")
"""A run of letters and digits longer than any word (a hash, a key, base64): not read."""
URL = re.compile(r"(?:[\w.+-]*://|\bwww\.)(?:[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?])?")
"""Any scheme (http, ftp, gopher, even a malformed "0://"), or www.: only its site is read."""
SITE_LABEL = re.compile(r"[^\W\d_][\w-]{0,24}", re.UNICODE)
"""A part of a site's name a listener can take in ("nhs", "example"): not a number or a hash."""
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
UNSPEAKABLE = re.compile(r"[<>{}\[\]|\\^`*_~#=]+")


def number_words(number: str, language: str = "en") -> str:
    """Digits (with thousands commas or a decimal point) as words."""
    digits = number.replace(",", "")
    if len(digits.split(".")[0]) > 15:
        return " ".join(num2words(int(digit), lang=language) for digit in digits if digit.isdigit())
    value = float(digits) if "." in digits else int(digits)
    return num2words(value, lang=language).replace(",", "")


def year_words(year: str) -> str:
    return num2words(int(year), to="year").replace(",", "")


def ordinal_words(number: str) -> str:
    return num2words(int(number), to="ordinal")


def site_name(address: str, dot: str) -> str:
    """The site an address is on, as said: "example dot org" of https://www.example.org/a?b=1, so
    that "Read more at <address>." still names where. Nothing for an address on a bare IP
    address, or one with a name too long or too strange to say."""
    host = re.split(r"[/?#]", address.split("://", 1)[-1], maxsplit=1)[0].rsplit("@", 1)[-1].split(":")[0]
    labels = host.lower().removeprefix("www.").split(".")
    if not 2 <= len(labels) <= 4 or not all(SITE_LABEL.fullmatch(label) and not label.startswith("xn--")
                                             for label in labels):
        return ""
    return f" {dot} ".join(labels)


def read_sites(dot: str) -> Rule:
    """Each address replaced by the name of its site, said with `dot`."""
    return lambda text: URL.sub(lambda match: site_name(match.group(0), dot), text)


def remove_urls(text: str) -> str:
    return URL.sub("", text)


def read_emails(text: str) -> str:
    def spell(match: re.Match) -> str:
        address = match.group(0).replace(".", " dot ").replace("@", " at ")
        return address.replace("-", " dash ").replace("_", " underscore ").replace("+", " plus ")
    return EMAIL.sub(spell, text)


def drop_unspoken(text: str) -> str:
    """Emoji, invisible characters and runs of characters too long to be words: not read."""
    return GIBBERISH.sub("", EMOJI.sub("", INVISIBLE.sub("", text)))


def expand_abbreviations(text: str) -> str:
    for pattern, words in ABBREVIATIONS.items():
        # An abbreviation's full stop also ends the sentence when nothing follows it.
        text = re.sub(rf"(?<![\w.]){pattern}",
                      lambda m, words=words: words + ("." if m.end() == len(m.string) else ""), text)
    return text


def read_money(text: str) -> str:
    def say(match: re.Match) -> str:
        (one, many), (cent, cents) = CURRENCY_NAMES[match.group("symbol")]
        amount, scale = match.group("amount").replace(",", ""), match.group("scale")
        if scale:
            return f"{number_words(amount)} {scale} {many}"
        whole, _, fraction = amount.partition(".")
        words = f"{number_words(whole)} {one if whole == '1' else many}"
        change = int(fraction[:2].ljust(2, "0")) if fraction else 0
        return words + (f" and {num2words(change)} {cent if change == 1 else cents}" if change else "")
    return re.sub(rf"(?P<symbol>[$£€])\s?(?P<amount>{NUMBER})(?:\s(?P<scale>{SCALES}))?\b", say, text)


def plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"


def read_percentages(text: str) -> str:
    return re.sub(rf"({NUMBER})\s?%", lambda m: f"{number_words(m.group(1))} percent", text)


def read_times(text: str) -> str:
    def say(match: re.Match) -> str:
        hours, minutes = int(match.group("hours")), match.group("minutes")
        words = num2words(hours)
        if minutes and minutes != "00":
            words += (" oh " if minutes.startswith("0") else " ") + num2words(int(minutes))
        elif not match.group("half"):
            words += " o'clock"
        half = match.group("half")
        return f"{words} {half.upper()}.M." if half else words
    clock = r"\b(?P<hours>[01]?\d|2[0-3]):(?P<minutes>[0-5]\d)(?:\s?(?P<half>[aApP])\.?[mM]\b\.?)?"
    hour_only = r"\b(?P<hours>1[0-2]|0?[1-9])(?P<minutes>)\s?(?P<half>[aApP])\.?[mM]\b\.?"
    return re.sub(hour_only, say, re.sub(clock, say, text))


def read_dates(text: str) -> str:
    def month_name(value: str) -> str:
        return next(m for m in MONTHS if m.lower().startswith(value.rstrip(".").lower()[:3]))

    def iso(match: re.Match) -> str:
        year, month, day = match.groups()
        return f"{MONTHS[int(month) - 1]} {ordinal_words(day)}, {year_words(year)}"

    def month_first(match: re.Match) -> str:
        year = f", {year_words(match.group('year'))}" if match.group("year") else ""
        return f"{month_name(match.group('month'))} {ordinal_words(match.group('day'))}{year}"

    def day_first(match: re.Match) -> str:
        year = f", {year_words(match.group('year'))}" if match.group("year") else ""
        return f"the {ordinal_words(match.group('day'))} of {month_name(match.group('month'))}{year}"

    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?:,?\s(?P<year>\d{4}))?"
    text = re.sub(r"\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b", iso, text)
    text = re.sub(rf"\b{MONTH}\s{day}\b{year}", month_first, text)
    return re.sub(rf"\b{day}\s{MONTH}\b{year}", day_first, text)


def read_ranges(text: str) -> str:
    return re.sub(rf"(?<![\d.,-])({NUMBER})\s?[–—]\s?({NUMBER})\b|(?<![\d.,-])(\d+)-(\d+)(?![\d-])",
                  lambda m: f"{m.group(1) or m.group(3)} to {m.group(2) or m.group(4)}", text)


def read_units(text: str) -> str:
    names = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
    spaced = "|".join(re.escape(unit) for unit in sorted(set(UNITS) - WORDLIKE_UNITS, key=len, reverse=True))

    def say(match: re.Match) -> str:
        amount, unit = match.group(1), UNITS[match.group(2)]
        one = amount in ("1", "1.0")
        return f"{number_words(amount)} {unit if one else PLURAL_EXCEPTIONS.get(unit, plural(unit))}"
    text = re.sub(rf"(?<![\w.])({NUMBER})({names})(?![\w/])", say, text)
    return re.sub(rf"(?<![\w.])({NUMBER})\s({spaced})(?![\w/])", say, text)


def read_ordinals(text: str) -> str:
    return re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal_words(m.group(1)), text)


def read_decades(text: str) -> str:
    def say(match: re.Match) -> str:
        words = year_words(match.group(1)) if len(match.group(1)) == 4 else num2words(int(match.group(1)))
        return words[:-1] + "ies" if words.endswith("y") else words + "s"
    return re.sub(r"(?:\b|')(\d{3}0|\d0)s\b", say, text)


def read_years(text: str) -> str:
    return re.sub(r"(?<![\d$£€.,])\b(1[1-9]\d\d|20\d\d)\b(?![.,]\d|\s?%)",
                  lambda m: year_words(m.group(1)), text)


def read_fractions(text: str) -> str:
    def say(match: re.Match) -> str:
        top, bottom = int(match.group(1)), int(match.group(2))
        if bottom == 2:
            return f"{num2words(top)} {'half' if top == 1 else 'halves'}"
        name = "quarter" if bottom == 4 else ordinal_words(str(bottom))
        return f"{num2words(top)} {name if top == 1 else plural(name)}"
    return re.sub(r"(?<![\d/])\b(\d{1,2})/(\d{1,2})\b(?!/\d)", say, text)


def read_numbers(text: str, language: str = "en") -> str:
    text = re.sub(rf"(?<![\w.,-])-({NUMBER})(?!\d)", lambda m: "minus " + number_words(m.group(1), language), text)
    text = re.sub(rf"(?<![\d.,])({NUMBER})(?!\d)", lambda m: number_words(m.group(1), language), text)
    # Digits left in odd places ("1.2.3", "2e+16"): one by one, rather than as digits.
    return re.sub(r"\d", lambda m: f" {num2words(int(m.group(0)), lang=language)} ", text)


def read_symbols(text: str) -> str:
    for symbol, words in ((r"\s*&\s*", " and "), (r"(?<=\d)\s?[x×]\s?(?=\d)", " by "),
                          (r"#(?=\d)", "number "), (r"\s\+\s", " plus "), (r"\s=\s", " equals "),
                          (r"\s<\s", " less than "), (r"\s>\s", " more than "),
                          (r"~(?=\s?\d)", "about "), (r"(?<=[a-zA-Z])/(?=[a-zA-Z])", " or ")):
        text = re.sub(symbol, words, text)
    return text


def read_roman_numerals(text: str) -> str:
    return re.sub(rf"\b({ROMAN_AFTER})\s+([IVXLC]+)\b(?![’'\w])",
                  lambda m: f"{m.group(1)} {num2words(roman_value(m.group(2)))}"
                  if roman_value(m.group(2)) else m.group(0), text)


def read_heading_numeral(text: str) -> str:
    """A heading that opens with a Roman numeral ("IV. Results") says the number."""
    return re.sub(r"^([IVXLC]+)([.:])\s",
                  lambda m: f"{num2words(roman_value(m.group(1)))}{m.group(2)} "
                  if roman_value(m.group(1)) else m.group(0), text)


@lru_cache(maxsize=512)
def roman_value(numeral: str) -> int:
    """The numeral's value, or 0 when it is not a well-formed Roman numeral."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = sum(-values[a] if values[a] < values[b] else values[a] for a, b in zip(numeral, numeral[1:]))
    total += values[numeral[-1]]
    canonical = "".join(symbol * count for symbol, count in roman_digits(total))
    return total if canonical == numeral else 0


def roman_digits(value: int):
    for symbol, amount in (("C", 100), ("XC", 90), ("L", 50), ("XL", 40), ("X", 10), ("IX", 9),
                           ("V", 5), ("IV", 4), ("I", 1)):
        count, value = divmod(value, amount)
        yield symbol, count


def spell_acronyms(text: str) -> str:
    """Read capitals as letters ("SPS" as S.P.S.), unless the whole sentence is shouted."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    shouted = sum(word.isupper() for word in words) > len(words) / 2
    if shouted:
        return re.sub(r"\b[A-Z]{2,}\b", lambda m: m.group(0).lower(), text)
    return re.sub(r"\b[A-Z]{2,6}\b",
                  lambda m: m.group(0) if m.group(0) in SAID_AS_WORDS else ".".join(m.group(0)) + ".",
                  text)


def tidy(text: str) -> str:
    text = UNSPEAKABLE.sub(" ", text)
    text = re.sub(r"\s*[–—]\s*", ", ", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = re.sub(r"^[\s,;:.]+", "", text)
    return " ".join(text.split())


ENGLISH_RULES: list[Rule] = [
    read_sites("dot"), read_emails, drop_unspoken, expand_abbreviations, read_money, read_percentages,
    read_times, read_dates, read_ranges, read_decades, read_units, read_ordinals, read_years,
    read_fractions, read_numbers, read_symbols, read_roman_numerals, spell_acronyms, tidy,
]


def rules_for(language: str) -> list[Rule]:
    """English gets every rule; Spanish, German, French, Italian, Portuguese and Dutch their own
    (numbers.py); other languages what does not depend on a language's words, and numbers."""
    if not language or language.lower().startswith("en"):
        return ENGLISH_RULES
    own = numbers.rules(language)
    if own:
        return [read_sites(numbers.dot(language)), drop_unspoken, *own, tidy]
    short = primary(language)

    def numbers_in_language(text: str) -> str:
        try:
            return read_numbers(text, short)
        except NotImplementedError:
            return text
    return [remove_urls, drop_unspoken, numbers_in_language, tidy]


def normalize(text: str, language: str = "en", heading: bool = False) -> str:
    """`text` as the voice should read it."""
    if heading and (not language or language.lower().startswith("en")):
        text = read_heading_numeral(text)
    for rule in rules_for(language):
        text = rule(text)
    return text
