"""Issue dates: parsing the front matter's ``YYYY-MM`` and naming the month.

Every month and date the letter prints is named here, by Babel, in the
project's ``language`` (``fr``, ``pt_BR``, ``zh-CN``...); a language Babel does
not know names them in English rather than stopping the build.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from babel import Locale, UnknownLocaleError
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
def babel_locale(language: str | None) -> Locale:
    """Babel's locale for Sphinx's ``language`` (``pt_BR`` or ``pt-BR``); English if unknown."""
    if language:
        try:
            return Locale.parse(language.replace('-', '_'))
        except (UnknownLocaleError, ValueError, TypeError):
            pass
    return Locale('en')


@cache
def month_name(year: int, month: int, language: str | None) -> str:
    """The month and year as readers say it, e.g. ``février 2018``.

    Kept: Babel takes about a millisecond each time, and every page names a
    dozen issues in its sidebar (the index of drugs, thousands).
    """
    return spoken_date(year, month, None, language)


@cache
def spoken_date(year: int, month: int, day: int | None, language: str | None) -> str:
    """``2 février 2016``, or ``février 2016`` without a day."""
    pattern = 'd MMMM y' if day else 'MMMM y'
    return format_date(dt.date(year, month, day or 1), pattern, locale=babel_locale(language))
