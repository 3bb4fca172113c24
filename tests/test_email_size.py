"""An e-mail too heavy for Gmail (which cuts messages past about 102 KB) is reported."""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTS_DIR
from helpers import warnings

pytestmark = pytest.mark.fast


PARAGRAPH = 'Le traitement est bien toléré chez les patients de plus de 75 ans. ' * 20


def email_root(tmp_path, paragraphs):
    source = tmp_path / 'src'
    shutil.copytree(TESTS_DIR / 'roots/test-email', source)
    issue = source / 'issues/020.md'
    issue.write_text(
        issue.read_text(encoding='utf-8') + ''.join(f'\n{PARAGRAPH}\n' for _ in range(paragraphs)),
        encoding='utf-8',
    )
    return source


def test_heavy_email_is_reported_with_its_size(make_app, tmp_path):
    app = make_app('email', srcdir=email_root(tmp_path, 120), freshenv=True)
    app.build()
    size = (app.outdir / 'galien-020.eml').stat().st_size
    assert size > 100 * 1024
    kilobytes = -(-size // 1024)
    assert (
        f"issues/020.md: WARNING: l'e-mail galien-020.eml pèse {kilobytes} Ko, plus de 100 Ko"
        in warnings(app)
    ), warnings(app)
    assert '[galien.email]' in warnings(app)


def test_light_email_says_nothing_of_its_size(make_app, tmp_path):
    app = make_app('email', srcdir=email_root(tmp_path, 2), freshenv=True)
    app.build()
    assert (app.outdir / 'galien-020.eml').stat().st_size < 100 * 1024
    assert 'pèse' not in warnings(app)
