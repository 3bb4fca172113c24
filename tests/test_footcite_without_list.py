"""A ``{footcite}`` with no ``{footbibliography}`` after it: a located warning, every edition built.

Sphinx's LaTeX footnote transform stopped the print edition with a traceback
(a footnote reference with no footnote); the website showed a number leading
nowhere. The call is taken out and the editor told where the list goes.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTS_DIR
from helpers import page, warnings

ISSUE = """---
numero: 20
date: 2018-02
---

```{chiffre-du-mois} 15
Le chiffre *{footcite:p}`ravi2017`* du mois.
```

# Dans l'actualité

Une étude récente {footcite:t}`ravi2017` le montre.
"""


@pytest.fixture
def project(tmp_path):
    source = tmp_path / 'projet'
    shutil.copytree(TESTS_DIR / 'roots/test-raw', source, ignore=shutil.ignore_patterns('partage'))
    (source / 'issues/020.md').write_text(ISSUE, encoding='utf-8')
    return source


@pytest.mark.parametrize('builder', ['html', 'latex', 'epub', 'email'])
def test_a_citation_without_its_list_is_a_located_warning(make_app, project, builder):
    app = make_app(builder, srcdir=project, freshenv=True)
    app.build()
    log = warnings(app)
    for line in (7, 12):
        assert (
            f'issues/020.md:{line}: WARNING: source « ravi2017 » citée sans liste des sources'
            in log
        ), log
    assert log.count('[galien.citation]') == 2, log
    if builder == 'latex':
        tex = (app.outdir / 'galien-020.tex').read_text(encoding='utf-8')
        assert 'le montre' in tex and '\\sphinxfootnotemark' not in tex
    if builder == 'html':
        main = page(app, 'issues/020')
        assert main.select('a.footnote-reference') == []
        assert 'Une étude récente' in main.get_text()
