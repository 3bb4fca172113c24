"""The accessibility statement: RGAA's form, from conf.py, linked from every page's footer."""

from __future__ import annotations

import pytest

from helpers import page, warnings


@pytest.mark.sphinx('html', testroot='metadata', freshenv=True)
def test_the_statement_has_what_rgaa_asks_for(app):
    app.build()
    assert warnings(app) == ''
    statement = page(app, 'accessibilite')
    section = statement.select_one('#declaration-accessibilite')
    headings = [h.get_text() for h in section.find_all(['h1', 'h2'])]
    assert headings == [
        "Déclaration d'accessibilité",
        'État de conformité',
        'Résultats des tests',
        'Contenus non accessibles',
        'Établissement de cette déclaration d’accessibilité',
        'Retour d’information et contact',
        'Voies de recours',
    ]
    text = ' '.join(section.get_text(' ').split())
    assert 'non conforme avec le RGAA version 4.1.2' in text
    assert 'article 47 de la loi n° 2005-102' in text
    assert 'Défenseur des droits' in text
    assert 'sa page web' in text  # the PDFs' alternative
    assert section.find('a', href='mailto:galien@oscarlambret.fr') is not None
    assert section.find('a', href='issues/020.html') is not None


@pytest.mark.sphinx('html', testroot='metadata', freshenv=True)
def test_every_page_links_to_it_from_its_footer(app):
    app.build()
    for docname, href in (
        ('index', 'accessibilite.html'),
        ('issues/020', '../accessibilite.html'),
        ('genindex', 'accessibilite.html'),
        ('accessibilite', 'accessibilite.html'),
    ):
        link = page(app, docname).select_one('.galien-accessibilite a')
        assert link['href'] == href, docname
        assert link.get_text() == 'Accessibilité : non conforme'


@pytest.mark.sphinx(
    'html',
    testroot='metadata',
    freshenv=True,
    confoverrides={
        'html_theme': 'sphinx_book_theme',
        'galien_accessibility_status': 'partielle',
        'galien_accessibility_audit': 'Audit du 2 mars 2026 : 80 % des critères <respectés>.',
        'galien_accessibility_contact': [
            'https://galien.test/contact',
            'CPPCC, 3 rue F. Combemale',
        ],
    },
)
def test_with_the_book_theme_and_an_audit(app):
    app.build()
    assert warnings(app) == ''
    footer_links = page(app, 'issues/020').select('.galien-accessibilite a')
    assert [a.get_text() for a in footer_links] == ['Accessibilité : partiellement conforme']
    section = page(app, 'accessibilite').select_one('#declaration-accessibilite')
    assert 'Audit du 2 mars 2026 : 80 % des critères <respectés>.' in section.get_text()
    assert section.find('a', href='https://galien.test/contact') is not None
    assert 'CPPCC, 3 rue F. Combemale' in section.get_text()


@pytest.mark.sphinx(
    'html',
    testroot='metadata',
    freshenv=True,
    confoverrides={'galien_accessibility_contact': [], 'galien_accessibility_status': 'oui'},
)
def test_a_missing_contact_and_a_wrong_status_are_said(app):
    app.build()
    said = warnings(app)
    assert "n'a pas de contact" in said and '[galien.accessibilite]' in said
    assert "galien_accessibility_status vaut 'totale', 'partielle' ou 'non'" in said
    assert 'non conforme' in page(app, 'accessibilite').get_text()


@pytest.mark.sphinx('epub', testroot='metadata', freshenv=True)
def test_the_epub_has_no_statement(app):
    app.build()
    assert not list(app.outdir.rglob('accessibilite*'))
    assert 'galien-accessibilite' not in (app.outdir / 'issues/020.xhtml').read_text('utf-8')
