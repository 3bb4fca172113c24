"""The website's issue page offers the issue's PDF; the ePub does not link outside itself."""

from __future__ import annotations

import pytest

from helpers import page, warnings

pytestmark = pytest.mark.fast


@pytest.mark.sphinx(
    'html',
    testroot='issue',
    freshenv=True,
    confoverrides={'html_baseurl': 'https://galien.example.org/'},
)
def test_issue_page_links_to_its_pdf_in_the_site(app):
    app.build()
    link = page(app, 'issues/020').select_one('header.galien-masthead a.galien-pdf')
    assert link.get_text() == 'Télécharger le PDF'
    # Relative, so the assembled site works wherever it is served.
    assert link['href'] == '../pdf/galien-020.pdf'
    older = page(app, 'issues/005').select_one('header.galien-masthead a.galien-pdf')
    assert older['href'] == '../pdf/galien-005.pdf'
    assert warnings(app) == ''


@pytest.mark.sphinx(
    'html',
    testroot='issue',
    freshenv=True,
    confoverrides={'galien_pdf_url': 'https://cdn.example.org/galien-{numero}.pdf'},
)
def test_pdf_address_follows_galien_pdf_url(app):
    app.build()
    link = page(app, 'issues/020').select_one('a.galien-pdf')
    assert link['href'] == 'https://cdn.example.org/galien-20.pdf'


@pytest.mark.sphinx('epub', testroot='issue', freshenv=True)
def test_epub_has_no_pdf_link(app):
    app.build()
    xhtml = (app.outdir / 'issues/020.xhtml').read_text(encoding='utf-8')
    assert 'galien-masthead' in xhtml
    assert 'galien-pdf' not in xhtml
