"""The chiffre-du-mois directive in every builder."""

from __future__ import annotations

import pytest

from helpers import NBSP, assert_epub_clean, page, warnings

pytestmark = pytest.mark.fast


@pytest.mark.sphinx('html', testroot='chiffre', freshenv=True)
def test_html_block_is_a_labelled_section_with_a_large_figure(app):
    app.build()
    block = page(app, 'issues/020').select_one('section.galien-chiffre')
    heading = block.find('h2')
    assert heading.get_text() == 'Le chiffre du mois'
    assert block['aria-labelledby'] == heading['id']
    assert block.select_one('p.galien-chiffre-valeur').get_text(strip=True) == f'3,5{NBSP}%'
    assert block.find('strong').get_text() == 'patients'
    assert block.find('em').get_text() == 'immunothérapie'
    assert [li.get_text(strip=True) for li in block.select('li')] == [
        f'en ville{NBSP};',
        'à l’hôpital.',
    ]
    link = block.select_one('p.galien-source a')
    assert link['href'] == 'https://example.org/rapport?annee=2018&page=2'
    assert 'galien.css' in (app.outdir / 'issues/020.html').read_text()
    assert (app.outdir / '_static/galien.css').exists()
    assert warnings(app) == ''


@pytest.mark.sphinx('html', testroot='chiffre', freshenv=True)
def test_chiffre_is_registered_for_other_pages(app):
    app.build()
    chiffre = app.env.domains['galien'].chiffres['issues/020']
    assert chiffre.figure == '3,5 %'
    assert chiffre.source == 'https://example.org/rapport?annee=2018&page=2'
    assert chiffre.summary == "C'est la part des patients traités par immunothérapie :"


@pytest.mark.sphinx('latex', testroot='chiffre', freshenv=True)
def test_latex_block_uses_the_letter_style(app):
    app.build()
    tex = (app.outdir / 'galien-020.tex').read_text(encoding='utf-8')
    assert r'\usepackage{galien}' in tex
    assert r'\begin{galienchiffre}{Le chiffre du mois}' in tex
    assert f'\\galienchiffrevaleur{{3,5{NBSP}\\%}}' in tex
    assert r'\sphinxstylestrong{patients}' in tex
    assert r'\end{galienchiffre}' in tex
    assert (app.outdir / 'galien.sty').exists()
    assert warnings(app) == ''


@pytest.mark.sphinx('text', testroot='chiffre', freshenv=True)
def test_text_block_reads_as_plain_text(app):
    app.build()
    text = (app.outdir / 'issues/020.txt').read_text(encoding='utf-8')
    label, figure = text.index('LE CHIFFRE DU MOIS'), text.index(f'3,5{NBSP}%')
    assert label < figure < text.index('C’est la part')
    assert 'Source : https://example.org/rapport?annee=2018&page=2' in text.replace(NBSP, ' ')


@pytest.mark.slow  # epubcheck, sphinx-build: real components
@pytest.mark.sphinx('epub', testroot='chiffre', freshenv=True)
def test_epub_uses_html_visitors_and_passes_epubcheck(app):
    app.build()
    xhtml = (app.outdir / 'issues/020.xhtml').read_text(encoding='utf-8')
    assert '<section aria-labelledby="chiffre-du-mois-titre" class="galien-chiffre"' in xhtml
    assert 'galien-chiffre-valeur' in xhtml
    assert_epub_clean(app.outdir / 'Galien.epub')
