"""A regression guard on scale that is not a timing: what one page renders of the archive.

The stock book theme renders the whole toctree in every page's sidebar, so a
build grows with the square of the number of issues. With 60 issues (five
years) a page's sidebar must hold only its own year's issues, whatever the
archive's size (``make bench`` measures 240).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

import bench
from helpers import built

ISSUES = 60  # January 2018 to December 2022
YEARS = ISSUES // 12
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


@pytest.mark.parametrize('numero', [1, 30, 60])
def test_sidebar_holds_one_year_of_issues(archive, numero):
    nav = sidebar(archive, f'issues/{numero:03d}')
    issue_links = nav.select('li.toctree-l2 a')
    years = nav.select('li.galien-nav-annee')
    assert len(issue_links) == 12  # its own year only, whatever the archive's size
    assert len(years) == YEARS
    assert len(nav.find_all('a')) == 3 + YEARS + 12  # home, chiffres, drugs; years; its issues
    # bytes: one year's issues and the years (about 2.5 KB), not the archive's whole toctree
    assert len(str(nav)) < 4_000


def test_every_issue_page_was_written(archive):
    pages = sorted(p.name for p in (archive.outdir / 'issues').glob('*.html'))
    assert pages == [f'{n:03d}.html' for n in range(1, ISSUES + 1)]


def test_index_of_drugs_holds_every_issue_once_per_drug(archive):
    index = BeautifulSoup(
        (archive.outdir / 'medicaments.html').read_text(encoding='utf-8'), 'html.parser'
    )
    entries = index.select('li.galien-medicaments-dci')
    assert len(entries) == 43  # tests/bench/archive.py's drugs
    assert len(index.select('li.galien-medicaments-renvoi')) == 43
    # Ten drugs in each issue, each issue linked once per drug; two presented per issue.
    assert len(index.select('.galien-medicaments-numeros a')) == 10 * ISSUES
    assert len(index.select('.galien-medicaments-numeros strong a')) == 2 * ISSUES


def test_editing_one_issue_rewrites_it_and_the_index_of_drugs(archive):
    """Last in this module: it edits the archive's issue 30 and builds again."""
    source, outdir = archive.srcdir, archive.outdir
    before = {p: p.stat().st_mtime_ns for p in outdir.rglob('*.html')}
    bench.edit_one_issue(source, 30, 1, drugs=True)
    again = SphinxTestApp('html', srcdir=source, builddir=source.parent / 'build')
    try:
        assert list(again.builder.get_outdated_docs()) == ['issues/030']
        again.build()
        rewritten = sorted(
            str(p.relative_to(outdir))
            for p in outdir.rglob('*.html')
            if before.get(p) != p.stat().st_mtime_ns
        )
    finally:
        again.cleanup()
    # index.html lists the issues in its toctree; Sphinx's additional pages (genindex, search,
    # the accessibility statement) are written every time.
    assert rewritten == [
        'accessibilite.html',
        'genindex.html',
        'index.html',
        'issues/030.html',
        'medicaments.html',
        'search.html',
    ]
