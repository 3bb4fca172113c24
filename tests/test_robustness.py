"""Input that used to crash Sphinx or pass silently: a clear warning, file and line."""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTS_DIR
from helpers import run_sphinx, warnings

pytestmark = pytest.mark.fast


def test_file_not_in_utf8_is_reported_and_left_out(make_app, tmp_path):
    # A copy of the root: the Latin-1 file must not reach the other tests of this root.
    source = tmp_path / 'robustness'
    shutil.copytree(TESTS_DIR / 'roots/test-robustness', source)
    (source / 'issues/001.md').write_bytes(
        b'---\nnumero: 1\ndate: 2018-01\n---\n\n# Titre\n\nCaf\xe9 en Latin-1.\n'
    )
    app = make_app('html', srcdir=source, freshenv=True)
    app.build()
    log = warnings(app)
    assert "issues/001.md:8: WARNING: le fichier n'est pas enregistré en UTF-8 (octet 0xe9)" in log
    assert '[galien.encodage]' in log
    assert 'Traceback' not in log and 'Encoding error' not in log
    assert (app.outdir / 'issues/002.html').exists()
    assert not (app.outdir / 'issues/001.html').exists()


@pytest.mark.sphinx('html', testroot='robustness', freshenv=True)
def test_image_without_alt_text(app):
    app.build()
    log = warnings(app)
    assert (
        "issues/002.md:10: WARNING: l'image issues/schema.png n'a pas de texte alternatif"
    ) in log
    assert log.count('[galien.image]') == 1


@pytest.mark.sphinx('html', testroot='robustness', freshenv=True)
def test_bib_key_defined_twice(app):
    app.build()
    assert "refs.bib:8: WARNING: la clé 'ravi2017' est déjà définie en " in warnings(app)
    assert '[galien.bibtex]' in warnings(app)


@pytest.mark.sphinx('html', testroot='robustness', freshenv=True)
def test_chiffre_without_figure(app):
    app.build()
    assert "issues/002.md:14: WARNING: le chiffre du mois n'a pas de chiffre" in warnings(app)


@pytest.mark.slow  # sphinx-build in a subprocess: what make runs
@pytest.mark.parametrize('root', ['front-matter-errors', 'directive-errors', 'robustness'])
def test_strict_build_fails_cleanly(root, tmp_path):
    result = run_sphinx(
        '-W',
        '--keep-going',
        '-q',
        '-b',
        'html',
        str(TESTS_DIR / 'roots' / f'test-{root}'),
        str(tmp_path / 'out'),
        '-d',
        str(tmp_path / 'doctrees'),
    )
    assert result.returncode != 0
    assert '[galien.' in result.stderr
    assert 'Traceback' not in result.stderr + result.stdout
    assert 'Exception occurred' not in result.stderr + result.stdout
