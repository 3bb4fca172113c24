"""French spacing rules, on their own."""

from __future__ import annotations

import pytest

from galien.content.typography import french_spacing

pytestmark = pytest.mark.fast


NBSP = '\u00a0'


@pytest.mark.parametrize(
    ('typed', 'printed'),
    [
        ('Pourquoi ?', f'Pourquoi{NBSP}?'),
        ('enjeux : « un patient »', f'enjeux{NBSP}: «{NBSP}un patient{NBSP}»'),
        ('3,5 %', f'3,5{NBSP}%'),
        ('N° 20', f'N°{NBSP}20'),
        ("l'oncologie", 'l’oncologie'),
        ('https://example.org/a?b=1', 'https://example.org/a?b=1'),
        ('ratio:1', 'ratio:1'),
        (' : en tête de ligne', ' : en tête de ligne'),
    ],
)
def test_french_spacing(typed, printed):
    assert french_spacing(typed) == printed
