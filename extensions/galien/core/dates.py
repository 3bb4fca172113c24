"""Issue dates: parsing the front matter's ``YYYY-MM`` and naming the month."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from babel.dates import format_date

_YEAR_MONTH = re.compile(r'(\d{4})-(\d{2})')


def parse_year_month(value: str) -> tuple[int, int] | None:
    """Return ``(year, month)`` for a real ``YYYY-MM`` date, else ``None``."""
    match = _YEAR_MONTH.fullmatch(value.strip())
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 1900:
        return None
    return year, month


@cache
def month_name(year: int, month: int, language: str | None) -> str:
    """The month and year as readers say it, e.g. ``février 2018``.

    Kept: Babel takes about a millisecond each time, and every page names a
    dozen issues in its sidebar (the index of drugs, thousands).
    """
    return format_date(dt.date(year, month, 1), 'MMMM y', locale=language or 'en')
