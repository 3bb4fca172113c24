"""What the print edition can print: under LuaLaTeX (the letter's engine) the letter's
fonts print clinical text; emoji and CJK do not print, under either engine."""

from __future__ import annotations

import pytest
from tools.font_coverage import COVERAGE_FILE, MAIN_COVERAGE_FILE, MAIN_FONTS, coverage, render

from galien.print.latex_charset import printable, unprintable

pytestmark = pytest.mark.fast


# The characters issue 11 lists, typed by hand: what a letter on cancer drugs writes.
CLINICAL = (
    'œ Œ æ ł ř š č ž ő ű ğ ş ı ș ț Nguyễn Trần Phạm Lê Đặng '
    'α β γ δ ε κ λ μ π σ τ ω Δ Σ Ω µ '
    '≥ ≤ ± × ÷ ≈ ≠ ∞ → ← ↑ ↓ ⇒ ↔ ° ‰ ′ ″ √ ∑ ½ ¼ ¾ '
    'm² mL/min/1,73 m² ⁹⁹ᵐTc CD4⁺ ₀₁₂₃₄₅₆₇₈₉ '
    '® ™ © € £ • † ‡ § ✓ ✗ ‐ – — … 1\u202f000 mg'
)
LATIN_1 = ''.join(chr(code) for code in range(0xA0, 0x100))
LATIN_EXTENDED_A = ''.join(chr(code) for code in range(0x100, 0x180))


@pytest.mark.parametrize('text', [CLINICAL, LATIN_1, LATIN_EXTENDED_A, '& % $ # _ { } ~ ^ \\ <>|"'])
def test_clinical_text_is_printable_with_the_letters_fonts(text):
    assert unprintable(text) == []
    assert printable(text) == text


@pytest.mark.parametrize(
    ('text', 'bad', 'printed'),
    [
        ('Dr 李 Wei 😀', ['李', '😀'], 'Dr ? Wei ?'),
        ('😀😀 ✨ α', ['😀', '✨'], '?? ? α'),
    ],
)
def test_emoji_and_cjk_are_found_and_replaced(text, bad, printed):
    assert unprintable(text) == bad
    assert printable(text) == printed


@pytest.mark.parametrize(
    'text',
    [
        'Æsculape, œdème, « 3,5\u00a0% » — 1 € … ‰ № ™ ‘’ “” „ † • ÿ Łódź Şişli',
        '& % $ # _ { } ~ ^ \\ < > | "',
    ],
)
def test_french_and_latin_text_is_printable_by_pdflatex(text):
    assert unprintable(text, 'pdflatex') == []
    assert printable(text, 'pdflatex') == text


@pytest.mark.parametrize(
    ('text', 'bad', 'printed'),
    [
        ('Dr 李 Wei 😀', ['李', '😀'], 'Dr ? Wei ?'),
        ('Ħ ĸ ſ', ['Ħ', 'ĸ', 'ſ'], '? ? ?'),  # Latin Extended-A letters T1 lacks
        ('≥ 75 ans, ≈ 140 µg/mL, ⁹⁹ᵐTc', ['≥', '≈', 'ᵐ'], '? 75 ans, ? 140 µg/mL, ⁹⁹?Tc'),
    ],
)
def test_what_pdflatex_cannot_print_is_found_and_replaced(text, bad, printed):
    assert unprintable(text, 'pdflatex') == bad
    assert printable(text, 'pdflatex') == printed


def test_coverage_file_matches_the_installed_fonts():
    """The printable set is what the font files hold (tests/tools/font_coverage.py)."""
    assert COVERAGE_FILE.read_text(encoding='ascii') == render(coverage())


def test_main_fonts_coverage_file_matches_the_installed_fonts():
    expected = render(coverage(fallbacks=False), MAIN_FONTS)
    assert MAIN_COVERAGE_FILE.read_text(encoding='ascii') == expected
