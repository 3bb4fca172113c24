"""Nothing raw and nothing from outside the project reaches any edition."""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTS_DIR
from helpers import page, warnings

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
    body = page(app, 'issues/020').select_one('main') or page(app, 'issues/020')
    text = body.get_text()
    assert '<script>alert(1)</script>' in text
    assert '<img src=x onerror="alert(2)">' in text
    assert '<b onclick="alert(3)">gras</b>' in text
    log = warnings(app)
    for line, fmt in ((8, 'html'), (13, 'html'), (20, 'html'), (23, 'latex')):
        assert f'issues/020.md:{line}: WARNING: contenu brut ({fmt}) non interprété' in log, log
    assert "contenu brut (html) non interprété : il s'affiche tel quel" in log
    assert log.count('[galien.raw]') == 4, log


def test_raw_latex_is_not_passed_to_the_pdf(make_app, raw_root):
    app = make_app('latex', srcdir=raw_root, freshenv=True)
    app.build()
    tex = (app.outdir / 'galien-020.tex').read_text(encoding='utf-8')
    assert r'\input{/etc/passwd}' not in tex
    # Shown as a block of text: every backslash and brace escaped.
    assert r'\PYGZbs{}input\PYGZob{}/etc/passwd\PYGZcb{}' in tex


def test_files_outside_the_project_are_not_included(make_app, raw_root):
    app = make_app('html', srcdir=raw_root, freshenv=True)
    app.build()
    html = (app.outdir / 'issues/020.html').read_text(encoding='utf-8')
    assert 'Un encadré partagé, dans le projet.' in html
    assert SECRET not in html
    log = warnings(app)
    assert 'le fichier inclus ../secret-include.md est hors du dossier du projet' in log, log
    assert (
        'issues/020.md:33: WARNING: le fichier ../../secret-literal.txt est hors du dossier' in log
    ), log
    assert log.count('[galien.include]') == 2
