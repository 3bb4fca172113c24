"""ATC codes: their form, and the French labels of their classes shipped with the project."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

ATC_FILE = Path(__file__).parent / 'data' / 'atc.json'
#: An ATC code at any of its five levels: L, L01, L01E, L01EB, L01EB04.
ATC_CODE = re.compile(r'[ABCDGHJLMNPRSV](?:\d\d(?:[A-Z](?:[A-Z](?:\d\d)?)?)?)?')


@cache
def atc_labels() -> dict[str, str]:
    """French labels of the first ATC levels (``data/atc.json``)."""
    data = json.loads(ATC_FILE.read_text(encoding='utf-8'))
    return {code: label for code, label in data.items() if not code.startswith('_')}


def atc_class(code: str) -> str:
    """The label of the most precise level of ``code`` that the data names."""
    labels = atc_labels()
    for length in (5, 4, 3, 1):
        if len(code) >= length and code[:length] in labels:
            return labels[code[:length]]
    return ''
