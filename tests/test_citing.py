"""« Citer ce numéro »: the Vancouver citation, and RIS and BibTeX files read by real parsers."""

from __future__ import annotations

import bibtexparser
import pytest
import rispy

from helpers import page, warnings

HOSTILE = '</script><script>alert(1)</script> Tagrisso® & β-HCG ≥ 75 ans'


@pytest.mark.sphinx('html', testroot='metadata', freshenv=True)
def test_an_issue_page_offers_its_citation_and_files(app):
    app.build()
    assert warnings(app) == ''
    block = page(app, 'issues/020').select_one('.galien-citer')
    assert block.select_one('.rubric').get_text() == 'Citer ce numéro'
    assert block.select_one('.galien-citation-vancouver').get_text() == (
        f'Centre Oscar Lambret. {HOSTILE}. Galien. 2018 Feb;(20). ISSN 0378-5955. '
        'Disponible sur\u00a0: https://galien.test/issues/020.html'
    )
    # Before the colophon, and no script made of the headline.
    assert block.find_next_sibling().name == 'footer'
    assert page(app, 'issues/020').find('script', string='alert(1)') is None
    links = {a.get_text(): a['href'] for a in block.select('a')}
    assert links == {
        'RIS': '../_static/citer/galien-020.ris',
        'BibTeX': '../_static/citer/galien-020.bib',
    }

    ris_text = (app.outdir / '_static/citer/galien-020.ris').read_text(encoding='utf-8')
    [record] = rispy.loads(ris_text)
    assert record['type_of_reference'] == 'JOUR'
    assert record['primary_title'] == HOSTILE
    assert record['journal_name'] == 'Galien'
    assert record['number'] == '20'
    assert record['issn'] == '0378-5955'
    assert record['year'] == '2018'
    assert record['urls'] == ['https://galien.test/issues/020.html']

    bib_text = (app.outdir / '_static/citer/galien-020.bib').read_text(encoding='utf-8')
    library = bibtexparser.parse_string(bib_text)
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry.key == 'galien-020'
    assert entry.entry_type == 'article'
    assert entry['journal'] == 'Galien'
    assert entry['number'] == '20'
    assert entry['issn'] == '0378-5955'
    assert entry['url'] == 'https://galien.test/issues/020.html'
    assert entry['title'] == HOSTILE.replace('&', r'\&')


@pytest.mark.sphinx('html', testroot='metadata', freshenv=True, confoverrides={'galien_issn': ''})
def test_without_an_issn_the_files_say_nothing_of_it(app):
    app.build()
    [record] = rispy.loads((app.outdir / '_static/citer/galien-021.ris').read_text('utf-8'))
    assert 'issn' not in record
    assert record['primary_title'] == 'Galien N° 21 – mars 2018'
    [entry] = bibtexparser.parse_string(
        (app.outdir / '_static/citer/galien-021.bib').read_text('utf-8')
    ).entries
    assert 'issn' not in entry.fields_dict


@pytest.mark.sphinx('epub', testroot='metadata', freshenv=True)
def test_the_epub_has_no_citation_block(app):
    app.build()
    assert not list(app.outdir.rglob('galien-020.ris'))
    assert 'galien-citer' not in (app.outdir / 'issues/020.xhtml').read_text(encoding='utf-8')
