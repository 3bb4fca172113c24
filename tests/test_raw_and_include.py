"""Raw markup and file insertion are not part of the letter's language: shown as text, never run."""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTS_DIR
from helpers import page, warnings

pytestmark = pytest.mark.fast


SECRET = 'MOT DE PASSE'


@pytest.fixture
def raw_root(tmp_path):
    """The ``raw`` root, with two files next to the project that it must not read."""
    source = tmp_path / 'projet'
    shutil.copytree(TESTS_DIR / 'roots/test-raw', source)
    (tmp_path / 'secret-include.md').write_text(f'{SECRET} inclus\n', encoding='utf-8')
    (tmp_path / 'secret-literal.txt').write_text(f'{SECRET} littéral\n', encoding='utf-8')
    return source


def test_raw_html_is_shown_as_text_with_a_located_warning(make_app, raw_root):
    app = make_app('html', srcdir=raw_root, freshenv=True)
    app.build()
    html = (app.outdir / 'issues/020.html').read_text(encoding='utf-8')
    assert '<script>alert(1)' not in html
    assert '<img src=x' not in html and '<img src="x"' not in html
    assert '<b onclick' not in html
    text = (page(app, 'issues/020').select_one('main') or page(app, 'issues/020')).get_text()
    assert '<script>alert(1)</script>' in text
    assert '<img src=x onerror="alert(2)">' in text
    assert '<b onclick="alert(3)">gras</b>' in text
    log = warnings(app)
    for line, construct in ((8, 'directive {raw}'), (23, 'directive {raw}'), (12, '{eval-rst}')):
        assert f'issues/020.md:{line}: WARNING: ' in log and construct in log, log
    assert log.count('[galien.langage]') == 6, log


def test_raw_latex_is_not_passed_to_the_pdf(make_app, raw_root):
    app = make_app('latex', srcdir=raw_root, freshenv=True)
    app.build()
    tex = (app.outdir / 'galien-020.tex').read_text(encoding='utf-8')
    assert r'\input{/etc/passwd}' not in tex
    # Shown as a block of text: every backslash and brace escaped.
    assert r'\PYGZbs{}input\PYGZob{}/etc/passwd\PYGZcb{}' in tex


def test_no_file_is_inserted_from_inside_or_outside_the_project(make_app, raw_root):
    app = make_app('html', srcdir=raw_root, freshenv=True)
    app.build()
    html = (app.outdir / 'issues/020.html').read_text(encoding='utf-8')
    assert SECRET not in html
    assert 'Un encadré partagé, dans le projet.' not in html
    text = (page(app, 'issues/020').select_one('main') or page(app, 'issues/020')).get_text()
    assert '```{include} ../../secret-include.md' in text
    log = warnings(app)
    for line, name in ((27, 'include'), (30, 'include'), (33, 'literalinclude')):
        assert (
            f"issues/020.md:{line}: WARNING: la directive {{{name}}} n'est pas permise "
            'dans un numéro' in log
        ), log
