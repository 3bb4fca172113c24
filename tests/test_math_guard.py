"""Formulas stay formulas: the math allow-list (galien/content/math_guard.py).

One issue with accepted formulas and hostile ones, built as the website and
as the print edition: the accepted ones print as math, the refused ones are
shown as their source text with a located ``galien.math`` warning, and TeX
never sees them (no file of the build machine in the PDF, nothing written).
"""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from archive import BIB, INDEX, ROOT_CONF
from helpers import require_tool, run_sphinx

if TYPE_CHECKING:
    from pathlib import Path

ISSUE = r"""---
numero: 30
date: 2019-06
---

# Formules

La clairance vaut {math}`\frac{U \times V}{P} \leq 120\,\mathrm{mL/min}` chez l'adulte.

Une dose {math}`\alpha_{i} = \sqrt{\beta^2 + \gamma^2}` par patient.

Lire un fichier : {math}`\input{/etc/passwd}` dans le texte.

```{math}
\begin{cases} D = 5\,\mathrm{mg/kg} & \text{si } p \geq 50 \\ D = 3\,\% & \text{sinon} \end{cases}
```

```{math}
\immediate\openout5=../../pwned.tex \immediate\write5{x}
```

Un commentaire {math}`x % y` et un {math}`\directlua{os.execute("touch ../../pwned")}`.


Une formule {math}`\def\x{y} \x` dans le texte.

```{math}
\csname input\endcsname{/etc/passwd}
```


Fin du numéro.
"""


def write_project(root: Path) -> Path:
    (root / 'issues').mkdir(parents=True)
    (root / 'conf.py').write_text(ROOT_CONF, encoding='utf-8')
    (root / 'refs.bib').write_text(BIB, encoding='utf-8')
    (root / 'index.md').write_text(INDEX, encoding='utf-8')
    (root / 'issues' / '030.md').write_text(ISSUE, encoding='utf-8')
    return root


@pytest.fixture(scope='module')
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp('math')
    srcdir = write_project(tmp / 'src')
    logs = {}
    for target in ('html', 'latexpdf'):
        # Separate folders: each build reads the issue (and warns) again.
        result = run_sphinx('-M', target, str(srcdir), str(tmp / target), '-q')
        logs[target] = result.stderr.replace(str(srcdir) + '/', '')
        assert result.returncode == 0, result.stdout + result.stderr
    return srcdir, tmp, logs


REFUSED = [
    (12, r'commande non autorisée : \input'),
    (18, r'commande non autorisée : \immediate'),
    (22, 'signe de commentaire'),
    (22, r'commande non autorisée : \directlua'),
    (25, r'commande non autorisée : \def'),
    (27, r'commande non autorisée : \csname'),
]


@pytest.mark.parametrize(('line', 'reason'), REFUSED)
def test_each_refused_formula_is_a_located_warning(built, line, reason):
    for log in built[2].values():
        assert re.search(
            rf'issues/030\.md:{line}: WARNING: formule refusée, affichée comme du texte : '
            rf'{re.escape(reason)}.*\[galien\.math\]',
            log,
        ), log


def test_only_refused_formulas_warn(built):
    for log in built[2].values():
        assert log.count('[galien.math]') == len(REFUSED), log


def test_the_pdf_prints_accepted_math_and_refused_math_as_text(built):
    srcdir, build, _logs = built
    # In the order the page draws it: a fraction's bar splits the layout's lines.
    result = subprocess.run(
        [require_tool('pdftotext'), '-raw', str(build / 'latexpdf/latex/galien-030.pdf'), '-'],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    flat = ' '.join(text.split())
    # Accepted: typeset (Greek letters, signs), not shown as source.
    assert '≤ 120 mL/min' in flat
    assert '𝛼𝑖 =' in flat and '𝛽2 + 𝛾2' in flat  # LuaLaTeX's math italic letters
    assert '\\frac' not in flat and '\\alpha' not in flat and '\\begin{cases}' not in flat
    # Refused: the source, as typed.
    assert '\\input{/etc/passwd}' in flat
    assert '\\immediate\\openout5=../../pwned.tex' in flat
    assert '\\directlua{os. execute("touch ../../pwned")}' in flat  # a line break after os.
    assert '\\csname input\\endcsname{/etc/passwd}' in flat
    assert 'root:' not in text
    assert 'Fin du numéro.' in flat
    assert not list(srcdir.parent.rglob('pwned*'))
    assert (srcdir / 'conf.py').read_text(encoding='utf-8') == ROOT_CONF


def test_the_website_shows_accepted_math_to_mathjax_and_refused_math_as_code(built):
    _srcdir, build, _logs = built
    soup = BeautifulSoup(
        (build / 'html/html/issues/030.html').read_text(encoding='utf-8'), 'html.parser'
    )
    maths = [m.get_text() for m in soup.select('.math')]
    assert any('\\frac{U \\times V}{P}' in m for m in maths), maths
    assert any('\\begin{cases}' in m for m in maths), maths
    assert not any('input' in m or 'directlua' in m or 'openout' in m for m in maths), maths
    codes = [c.get_text() for c in soup.select('.galien-math-refused')]
    assert '\\input{/etc/passwd}' in codes
    assert any('\\immediate\\openout5' in c for c in codes)
    assert len(codes) == len(REFUSED)


def test_a_pdf_with_formulas_is_pdfa_2b(built):
    """Formulas bring Computer Modern Type 1 fonts, whose glyph lists the PDF/A step fixes."""
    from pikepdf import pdfa

    report = pdfa.validate_written(built[1] / 'latexpdf/latex/galien-030.pdf', '2b')
    assert report.passed, report
