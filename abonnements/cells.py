"""The cells of an exported CSV, safe to open in Excel."""

from __future__ import annotations

#: A cell starting with one of these is a formula for Excel: a reader's name must not run.
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')


def exported(value: object) -> str:
    if value is None:
        return ''
    isoformat = getattr(value, 'isoformat', None)
    text = str(isoformat()) if callable(isoformat) else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
