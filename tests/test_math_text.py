"""Formulas as text where neither MathJax nor TeX draws them (galien/content/math_text.py).

The e-mail, the ePub and the text edition show each accepted formula as one line
of Unicode a reader understands, with the reading of the TeX (a fraction's terms
bracketed); a refused formula stays its source as typed (math_guard). Every
command the allow-list accepts has a rendering, and any formula it accepts becomes
text without a backslash.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from galien.content import math_guard, math_text
from galien.content.math_text import formula_text
from helpers import NBSP, warnings

pytestmark = pytest.mark.fast

COCKCROFT = (
    r'\mathrm{Cl}_{cr} = \frac{(140 - \text{âge}) \times \text{poids}}{0{,}814 \times \text{créat}}'
)


@pytest.mark.parametrize(
    ('tex', 'shown'),
    [
        (COCKCROFT, 'Cl_cr = ((140 − âge) × poids) / (0,814 × créat)'),
        (r'\frac{1}{2} + \frac{a+b}{c}', '1/2 + (a + b) / c'),
        (r'\left( \frac{a}{b} \right)^{2}', '(a/b)²'),
        (r'\alpha \geq 2 \cdot 10^{-3}', 'α ≥ 2 · 10⁻³'),
        (r'AUC_{0-\infty} \approx 25\,\mu g \cdot h/mL', 'AUC_(0−∞) ≈ 25 μg · h/mL'),
        (r'D = 80 \text{ mg/m}^2', 'D = 80 mg/m²'),
        (r'CO_2 \to H_2CO_3', 'CO₂ → H₂CO₃'),
        (r'-3 + x = -y', '−3 + x = −y'),
        (r'e^{-kt} \pm \sigma', 'e^(−kt) ± σ'),
        (r'\sum_{i=1}^{n} x_i', '∑_(i=1)^n x_i'),
        (r'\log_{10} x, \sin x', 'log₁₀ x, sin x'),
        (r'\sqrt{\pi} \neq \sqrt[3]{8}', '√π ≠ ∛8'),
        (r'\bar{x} \pm \sigma', 'x̄ ± σ'),
        (r'\begin{aligned} a &= b \\ c &= d \end{aligned}', 'a = b ; c = d'),
        (r'\binom{n}{k}', 'C(n, k)'),
        (r'50\,\% \text{ des patients}', '50 % des patients'),
        (r'0{,}814 \ne 0,814', '0,814 ≠ 0, 814'),
    ],
)
def test_a_formula_reads_as_typed_by_hand(tex, shown):
    assert formula_text(tex) == shown


def test_every_command_the_allow_list_accepts_has_a_rendering():
    """A command added to math_guard without a rendering here would reach readers as TeX."""
    for command in sorted(math_guard.COMMANDS):
        shown = formula_text(f'\\{command}{{x}}{{y}}')
        assert '\\' not in shown, command
        if command not in math_text.FUNCTIONS | {'pmod', 'bmod'}:
            assert not re.search(rf'\b{command}\b', shown), (command, shown)


def test_a_formula_nested_too_deep_is_shown_as_typed():
    """A thousand nested groups pass math_guard (balanced, short); Python's stack would not."""
    tex = '{' * 900 + 'x' + '}' * 900
    assert math_guard.refusal(tex) is None
    assert formula_text(tex) == tex
    assert formula_text('{' * 10 + 'x^2' + '}' * 10) == 'x²'


TOKENS = st.sampled_from(
    [f'\\{c} ' for c in sorted(math_guard.COMMANDS)]
    + [f'\\{s}' for s in sorted(math_guard.SYMBOLS - {' '})]
    + list('xy2+-=()^_/,')
    + ['{', '}', ' ', 'µ', '≥', 'é']
)


@given(st.lists(TOKENS, max_size=30).map(''.join))
def test_any_accepted_formula_becomes_text_without_tex(tex):
    if math_guard.refusal(tex) is None:
        assert '\\' not in formula_text(tex).replace('\\\\', '')


#: Where each edition writes the issue: its pages, as a reader gets them.
OUTPUTS = {
    'email': ('galien-030.html', 'galien-030.txt'),
    'epub': ('issues/030.xhtml',),
    'text': ('issues/030.txt',),
}


@pytest.mark.parametrize(
    'builder',
    [
        pytest.param(b, marks=pytest.mark.sphinx(b, testroot='formules', freshenv=True), id=b)
        for b in OUTPUTS
    ],
)
def test_editions_without_tex_show_formulas_as_text(app, builder):
    app.build()
    for name in OUTPUTS[builder]:
        raw = (app.outdir / name).read_text(encoding='utf-8')
        shown = BeautifulSoup(raw, 'html.parser').get_text() if name.endswith('html') else raw
        shown = ' '.join(shown.replace(NBSP, ' ').split())
        assert 'Cl_cr = ((140 − âge) × poids) / (0,814 × créat)' in shown, name
        assert 'AUC_(0−∞) ≈ 25 μg · h/mL' in shown and 'α ≤ 5 · 10⁻³' in shown, name
        assert 'D = 5 mg/kg si p ≥ 50 ; D = 3 mg/kg sinon' in shown, name
        assert '\\input{/etc/passwd}' in shown, name  # refused by math_guard: as typed
        assert not re.search(r'\\(?!input)[a-z]', shown), name
    assert '[galien.math]' in warnings(app)
