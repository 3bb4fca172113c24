"""The ePub of a generated archive: clean for epubcheck, newest first, TOC by year, cover."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image
from sphinx.testing.util import SphinxTestApp
from test_archive_site import ISSUES, write_site

from helpers import assert_epub_clean, built, warnings

OPF = '{http://www.idpf.org/2007/opf}'
DC = '{http://purl.org/dc/elements/1.1/}'
XHTML = '{http://www.w3.org/1999/xhtml}'


@pytest.fixture(scope='module')
def book(tmp_path_factory):
    with built('epub', write_site(tmp_path_factory.mktemp('book') / 'src')) as app:
        yield app


def epub_path(app):
    return app.outdir / f'{app.config.epub_basename}.epub'


def read(app, name):
    with zipfile.ZipFile(epub_path(app)) as archive:
        return archive.read(name)


def names(app):
    with zipfile.ZipFile(epub_path(app)) as archive:
        return archive.namelist()


def opf(app):
    return ElementTree.fromstring(read(app, 'content.opf'))


def test_epub_is_clean(book):
    assert warnings(book) == ''
    assert_epub_clean(epub_path(book))


def test_no_website_pages_inside(book):
    inside = names(book)
    for name in (
        'atom.xml',
        'sitemap.xml',
        'search.html',
        'search.xhtml',
        'genindex.xhtml',
        'chiffres.xhtml',
        'searchindex.js',
    ):
        assert name not in inside
    assert not [n for n in inside if n.endswith('.html')]
    assert 'issues/030.xhtml' in inside and 'issues/001.xhtml' in inside
    # Nothing in the book links to the website's pages.
    home = read(book, 'index.xhtml').decode('utf-8')
    for link in ('chiffres', 'atom.xml', 'galien.epub', '.pdf'):
        assert link not in home


def test_metadata(book):
    metadata = opf(book).find(f'{OPF}metadata')
    assert metadata.find(f'{DC}title').text == 'Galien'
    assert metadata.find(f'{DC}language').text == 'fr'
    assert metadata.find(f'{DC}publisher').text == 'Centre Oscar Lambret'
    assert metadata.find(f'{DC}identifier').text == 'galien-test'
    assert metadata.find(f'{DC}date').text
    assert 'N°\u00a01 à 30' in metadata.find(f'{DC}description').text


def test_cover_is_generated(book):
    package = opf(book)
    cover_id = package.find(f'{OPF}metadata/{OPF}meta[@name="cover"]').get('content')
    items = {i.get('id'): i.get('href') for i in package.find(f'{OPF}manifest')}
    image = Image.open(io.BytesIO(read(book, items[cover_id])))
    assert image.format == 'PNG'
    assert image.size == (1200, 1800)
    spine = [items[i.get('idref')] for i in package.find(f'{OPF}spine')]
    assert spine[0] == 'epub-cover.xhtml'
    cover_page = read(book, 'epub-cover.xhtml').decode('utf-8')
    assert 'alt="Galien – N°\u00a01 à 30 – janvier 2018 – juin 2020"' in cover_page


def test_issues_newest_first_and_toc_by_year(book):
    package = opf(book)
    items = {i.get('id'): i.get('href') for i in package.find(f'{OPF}manifest')}
    spine = [items[i.get('idref')] for i in package.find(f'{OPF}spine') if i.get('linear') != 'no']
    assert spine == [
        'epub-cover.xhtml',
        'index.xhtml',
        *(f'issues/{n:03d}.xhtml' for n in range(ISSUES, 0, -1)),
    ]
    nav = ElementTree.fromstring(read(book, 'nav.xhtml'))
    assert nav.find(f'.//{XHTML}h1').text == 'Table des matières'
    top = nav.find(f'.//{XHTML}nav/{XHTML}ol')
    labels = [li.find(f'{XHTML}a').text for li in top.findall(f'{XHTML}li')]
    assert labels == ['Galien', '2020', '2019', '2018']
    year_2020 = top.findall(f'{XHTML}li')[1]
    issues = [li.find(f'{XHTML}a') for li in year_2020.findall(f'{XHTML}ol/{XHTML}li')]
    assert [a.text for a in issues][:2] == [
        'Galien N°\u00a030 – juin 2020',
        'Galien N°\u00a029 – mai 2020',
    ]
    assert len(issues) == 6
    # Each issue keeps its own headings below it.
    assert (
        issues[0].find(f'../{XHTML}ol') is not None
        or year_2020.find(f'{XHTML}ol/{XHTML}li/{XHTML}ol') is not None
    )


def test_issue_pages_keep_their_blocks_and_references(book):
    page = read(book, 'issues/005.xhtml').decode('utf-8')
    assert 'galien-chiffre-valeur' in page
    assert 'galien-board' in page
    assert '_static/galien.css' in page
    assert 'Ravì D, Wong C. Deep Learning for Health Informatics.' in page
    # Links between issues stay inside the book.
    assert 'href="006.xhtml"' in page and 'href="004.xhtml"' in page
    assert 'galien.css' in ' '.join(names(book))


def test_rebuilding_into_the_same_folder_stays_clean(book):
    """Sphinx lists a cover page left by the previous build twice in the spine."""
    again = SphinxTestApp('epub', srcdir=book.srcdir, builddir=book.outdir.parent)
    try:
        again.build(force_all=True)
        assert_epub_clean(epub_path(again))
    finally:
        again.cleanup()


def test_epub_catches_up_on_an_issue_the_website_saw_first(tmp_path):
    """``make site``: website, then ePub, from one environment."""
    root = write_site(tmp_path / 'src')
    for builder in ('html', 'epub'):
        app = SphinxTestApp(builder, srcdir=root, builddir=tmp_path / 'build')
        app.build()
        app.cleanup()
    text = (root / 'issues/030.md').read_text(encoding='utf-8')
    text = text.replace('numero: 30', 'numero: 31').replace('date: 2020-06', 'date: 2020-07')
    (root / 'issues/031.md').write_text(text, encoding='utf-8')
    for builder in ('html', 'epub'):
        app = SphinxTestApp(builder, srcdir=root, builddir=tmp_path / 'build')
        try:
            app.build()
            assert warnings(app) == ''
        finally:
            app.cleanup()
    assert 'href="031.xhtml"' in read(app, 'issues/030.xhtml').decode('utf-8')
    assert 'issues/031.xhtml' in read(app, 'index.xhtml').decode('utf-8')
    assert_epub_clean(epub_path(app))
