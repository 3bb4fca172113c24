"""What pdfLaTeX can print, on its own: French text passes, emoji and CJK do not."""

from __future__ import annotations

import pytest

from galien.print.latex_charset import printable, unprintable


@pytest.mark.parametrize(
    'text',
    [
        'Æsculape, œdème, « 3,5\u00a0% » — 1 € … ‰ № ™ ‘’ “” „ † • ÿ Łódź Şişli',
        '& % $ # _ { } ~ ^ \\ < > | "',
    ],
)
def test_french_and_latin_text_is_printable(text):
    assert unprintable(text) == []
    assert printable(text) == text


@pytest.mark.parametrize(
    ('text', 'bad', 'printed'),
    [
        ('Dr 李 Wei 😀', ['李', '😀'], 'Dr ? Wei ?'),
        ('😀😀 ✨', ['😀', '✨'], '?? ?'),
        ('Ħ ĸ ſ', ['Ħ', 'ĸ', 'ſ'], '? ? ?'),  # Latin Extended-A letters T1 lacks
    ],
)
def test_what_pdflatex_cannot_print_is_found_and_replaced(text, bad, printed):
    assert unprintable(text) == bad
    assert printable(text) == printed
