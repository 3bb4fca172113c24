"""The letter as a periodical of record: the same facts about an issue in every edition.

Structured data are read as crawlers read them (extruct: JSON-LD, Dublin Core and
the ``citation_*`` tags), the JSON-LD is expanded by a JSON-LD processor (pyld),
the ePub's package is read and checked by epubcheck.
"""

from __future__ import annotations

import json
import zipfile

import extruct
import pytest
from bs4 import BeautifulSoup
from pyld import jsonld

from galien.core.metadata import Periodical, json_ld, meta_tags
from helpers import assert_epub_clean, page, warnings

ISSN = '0378-5955'
BASE = 'https://galien.test/'
HOSTILE = '</script><script>alert(1)</script> Tagrisso® & β-HCG ≥ 75 ans'


def structured(app, docname: str) -> dict:
    html = (app.outdir / f'{docname}.html').read_text(encoding='utf-8')
    return extruct.extract(
        html,
        base_url=f'{BASE}{docname}.html',
        syntaxes=['json-ld', 'dublincore', 'opengraph'],
        uniform=True,
    )


def head_meta(app, docname: str) -> list[tuple[str, str]]:
    head = page(app, docname).head
    return [(m['name'], m['content']) for m in head.find_all('meta', attrs={'name': True})]


def schema_org_loader(url: str, options: dict | None = None) -> dict:
    """schema.org's context, offline: every term in the schema.org vocabulary."""
    assert url.rstrip('/') in {'https://schema.org', 'http://schema.org'}, url
    return {
        'contentType': 'application/ld+json',
        'contextUrl': None,
        'documentUrl': url,
        'document': {'@context': {'@vocab': 'https://schema.org/'}},
    }


@pytest.mark.sphinx('html', testroot='metadata', freshenv=True)
def test_an_issue_page_describes_the_issue_of_the_periodical(app):
    app.build()
    assert warnings(app) == ''
    data = structured(app, 'issues/020')
    [issue] = data['json-ld']
    assert issue['@type'] == 'PublicationIssue'
    assert issue['issueNumber'] == '20'
    assert issue['datePublished'] == '2018-02'
    assert issue['url'] == f'{BASE}issues/020.html'
    assert issue['isPartOf']['@type'] == 'Periodical'
    assert issue['isPartOf']['issn'] == ISSN
    assert issue['isPartOf']['publisher']['name'] == 'Centre Oscar Lambret'
    assert issue['encoding']['contentUrl'] == f'{BASE}pdf/galien-020.pdf'
    [article] = issue['hasPart']
    # The headline as written: escaped in the page, the same text once parsed.
    assert article['headline'] == HOSTILE
    first, second = article['citation']
    assert first['name'] == 'Deep Learning for HER2 Screening; a review <b>bold</b>'
    assert [a['name'] for a in first['author']] == [
        'Ravì, Daniele',
        'Nguyễn, Thị Minh',
        'Lefèvre, Jean-Louis',
    ]
    assert first['sameAs'] == 'https://doi.org/10.1109/JBHI.2016.2636665'
    assert second['url'] == 'https://www.leem.org/cancer'

    expanded = jsonld.expand(issue, {'documentLoader': schema_org_loader})
    number = expanded[0]['https://schema.org/issueNumber']
    assert number == [{'@value': '20'}]

    tags = dict(head_meta(app, 'issues/020'))
    assert tags['citation_journal_title'] == 'Galien'
    assert tags['citation_issn'] == ISSN
    assert tags['citation_issue'] == '20'
    assert tags['citation_publication_date'] == '2018/02'
    assert tags['citation_pdf_url'] == f'{BASE}pdf/galien-020.pdf'
    assert tags['citation_language'] == 'fr'
    assert tags['citation_title'] == HOSTILE
    authors = [v for k, v in head_meta(app, 'issues/020') if k == 'citation_author']
    assert authors == ['Pr JL. Cazin', 'Dr D. Cochelard']  # the colophon in force
    assert [a['name'] for a in article['author']] == authors
    references = [v for k, v in head_meta(app, 'issues/020') if k == 'citation_reference']
    assert len(references) == 2
    assert 'citation_doi=10.1109/JBHI.2016.2636665' in references[0]

    [dublin_core] = data['dublincore']
    elements = {e['URI'].rpartition('/')[2]: e['content'] for e in dublin_core['elements']}
    assert elements['title'] == 'Galien N° 20 – février 2018'
    assert elements['date'] == '2018-02'
    assert elements['source'] == f'urn:issn:{ISSN}'


@pytest.mark.sphinx('html', testroot='metadata', freshenv=True)
def test_issue_text_never_becomes_markup_in_the_head(app):
    app.build()
    html = (app.outdir / 'issues/020.html').read_text(encoding='utf-8')
    head = html[: html.index('</head>')]
    assert '<script>alert(1)' not in head
    assert head.count('</script>') == head.count('<script')
    soup = BeautifulSoup(html, 'html.parser')
    assert soup.find('script', string='alert(1)') is None


@pytest.mark.sphinx('html', testroot='metadata', freshenv=True)
def test_the_home_page_is_the_periodical_and_other_pages_say_nothing(app):
    app.build()
    [periodical] = structured(app, 'index')['json-ld']
    assert periodical['@type'] == 'Periodical'
    assert periodical['issn'] == ISSN
    assert periodical['url'] == BASE
    assert not structured(app, 'genindex')['json-ld']


@pytest.mark.sphinx(
    'html',
    testroot='metadata',
    freshenv=True,
    confoverrides={'galien_issn': '', 'html_baseurl': ''},
)
def test_absent_values_are_left_out(app):
    app.build()
    tags = dict(head_meta(app, 'issues/021'))
    assert 'citation_issn' not in tags
    assert 'citation_pdf_url' not in tags
    assert 'citation_title' in tags  # no headline: the issue's title
    assert tags['citation_title'] == 'Galien N° 21 – mars 2018'
    [issue] = structured(app, 'issues/021')['json-ld']
    assert 'issn' not in issue['isPartOf']
    assert 'url' not in issue and 'encoding' not in issue
    assert 'citation' not in issue['hasPart'][0]
    html = (app.outdir / 'issues/021.html').read_text(encoding='utf-8')
    assert 'content=""' not in html


@pytest.mark.sphinx('epub', testroot='metadata', freshenv=True)
def test_the_epub_belongs_to_the_series(app):
    app.build()
    epub = next(app.outdir.glob('*.epub'))
    with zipfile.ZipFile(epub) as book:
        opf = BeautifulSoup(book.read('content.opf'), 'xml')
        pages = [book.read(n).decode() for n in book.namelist() if n.endswith('.xhtml')]
    collection = opf.find('meta', attrs={'property': 'belongs-to-collection'})
    assert collection.get_text() == 'Galien'
    refining = {
        m['property']: m.get_text()
        for m in opf.find_all('meta', attrs={'refines': f'#{collection["id"]}'})
    }
    assert refining == {'collection-type': 'series', 'dcterms:identifier': f'urn:issn:{ISSN}'}
    # Site-only metadata stay out of the book.
    assert not any('citation_' in p or 'ld+json' in p for p in pages)
    assert_epub_clean(epub)


def test_json_ld_cannot_close_its_script():
    text = json_ld({'name': HOSTILE, 'x': '<!-- & \u2028'})
    assert '<' not in text and '>' not in text and '&' not in text
    assert json.loads(text) == {'name': HOSTILE, 'x': '<!-- & \u2028'}


def test_meta_tags_escape_names_and_values():
    assert meta_tags([('a"b', '"><script>')]) == (
        '\n<meta name="a&quot;b" content="&quot;&gt;&lt;script&gt;" />'
    )
    assert Periodical('Galien', 'fr').issn == ''
