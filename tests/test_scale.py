"""A regression guard on scale that is not a timing: what one page renders of the archive.

The stock book theme renders the whole toctree in every page's sidebar, so a
build grows with the square of the number of issues. With 240 issues (20
years) a page's sidebar must hold only its own year's issues.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

import bench
from helpers import built

ISSUES = 240  # January 2018 to December 2037
pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def archive(tmp_path_factory):
    source = bench.make_project(tmp_path_factory.mktemp('scale') / 'src', ISSUES, 'galien')
    with built('html', source) as app:
        yield app


def sidebar(app, docname):
    page = BeautifulSoup(
        (app.outdir / f'{docname}.html').read_text(encoding='utf-8'), 'html.parser'
    )
    return page.select_one('nav.galien-nav')


@pytest.mark.parametrize('numero', [1, 150, 240])
def test_sidebar_holds_one_year_of_issues(archive, numero):
    nav = sidebar(archive, f'issues/{numero:03d}')
    issue_links = nav.select('li.toctree-l2 a')
    years = nav.select('li.galien-nav-annee')
    assert len(issue_links) == 12  # its own year only, whatever the archive's size
    assert len(years) == 20
    assert len(nav.find_all('a')) == 3 + 20 + 12  # home, chiffres, drugs; years; its issues
    assert len(str(nav)) < 8_000  # bytes; the theme's full toctree is about 26 KB here


def test_every_issue_page_was_written(archive):
    pages = sorted(p.name for p in (archive.outdir / 'issues').glob('*.html'))
    assert pages == [f'{n:03d}.html' for n in range(1, ISSUES + 1)]
