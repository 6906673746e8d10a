"""Partial ISO dates, kept as written and compared as the interval they cover."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# [0-9], not \d: \d also matches other scripts' digits ("٢٠٢٥"), which
# int() accepts but no exporter or database does.
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


class DateFormatError(ValueError):
    """A text that is not a valid YYYY, YYYY-MM or YYYY-MM-DD date."""


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day.

    ``first`` and ``last`` bound the interval the text covers, so that
    "2025-01" compares as 1 to 31 January 2025.

    Examples
    --------
    >>> d = PartialDate.parse("2024-02")
    >>> d.first, d.last
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> str(d), d.precision
    ('2024-02', 'month')
    >>> PartialDate.parse("2025-01-15").covers(date(2025, 1, 15))
    True
    """

    text: str
    first: date
    last: date

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise DateFormatError(
                f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-01-15)"
            )
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if year < 1:
            raise DateFormatError(f"{text!r} is not a date: year 0000 does not exist")
        if month is None:
            return cls(text.strip(), date(year, 1, 1), date(year, 12, 31))
        if not 1 <= month <= 12:
            raise DateFormatError(f"{text!r} is not a date: month {month:02d} does not exist")
        days = calendar.monthrange(year, month)[1]
        if day is None:
            return cls(text.strip(), date(year, month, 1), date(year, month, days))
        if not 1 <= day <= days:
            raise DateFormatError(
                f"{text!r} is not a date: {calendar.month_name[month]} {year} has {days} days"
            )
        exact = date(year, month, day)
        return cls(text.strip(), exact, exact)

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.text)]

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    def __str__(self) -> str:
        return self.text


def parse_bound(text: str, *, upper: bool) -> date:
    """The first (or, with ``upper``, the last) day of a partial date.

    Examples
    --------
    >>> parse_bound("2025", upper=True)
    datetime.date(2025, 12, 31)
    """
    d = PartialDate.parse(text)
    return d.last if upper else d.first
