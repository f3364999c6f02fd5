"""Dates as articles give them, read the same way on every day.

dateutil fills what a date leaves out from today ("2024" becomes today's month and
day in 2024), which would change the files from one day to the next. Here a date is
read twice with two different fillers: what differs was not given, and is left out.
"""

from __future__ import annotations

import datetime

FILLERS = (datetime.datetime(2000, 1, 1, 0, 0, 0), datetime.datetime(2001, 2, 2, 1, 1, 1))


def iso_date(value: object) -> str:
    """ISO 8601 of as much as `value` gives: "2024", "2024-03", "2024-03-05" or a date and time.

    Raises ValueError when `value` is not a date with a year."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    from dateutil import parser as date_parser  # slow to import, and only articles' dates need it

    try:
        first, second = (date_parser.parse(str(value), default=filler) for filler in FILLERS)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"not a date: {value!r}") from error
    if first.year != second.year:
        raise ValueError(f"no year in {value!r}")
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    if first.hour != second.hour:
        return first.date().isoformat()
    return first.isoformat()


def moment(iso: str) -> datetime.datetime:
    """An ISO date from `iso_date` as a moment: the start of its year, month or day, in UTC
    when it gives no time zone. (Python's own parser: reading manifests needs no dateutil.)"""
    whole = iso + {4: "-01-01", 7: "-01"}.get(len(iso), "") if isinstance(iso, str) else iso
    try:
        found = datetime.datetime.fromisoformat(whole)
    except (TypeError, ValueError) as error:
        raise ValueError(f"not a date: {iso!r}") from error
    return found if found.tzinfo else found.replace(tzinfo=datetime.timezone.utc)
