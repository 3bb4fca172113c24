"""The real tree's home page, chiffres page, feed and ePub, built strictly (-W)."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT_DIR
from helpers import build_project

pytestmark = pytest.mark.slow

ATOM = '{http://www.w3.org/2005/Atom}'


@pytest.fixture(scope='module')
def build_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp('real-archive')
    build_project('html', folder)
    build_project('epub', folder)
    return folder


def config_baseurl():
    namespace: dict = {'__file__': str(PROJECT_DIR / 'conf.py')}
    exec((PROJECT_DIR / 'conf.py').read_text(encoding='utf-8'), namespace)
    return namespace['html_baseurl']


def test_home_page_is_made_from_the_issues(build_dir):
    home = BeautifulSoup((build_dir / 'html/index.html').read_text(encoding='utf-8'), 'html.parser')
    latest = home.select_one('.galien-dernier')
    assert latest.select_one('.galien-dernier-titre a')['href'] == 'issues/020.html'
    assert latest.select_one('.galien-chiffre-valeur').get_text(strip=True) == '15'
    assert [s['id'] for s in home.select('section.galien-annee')] == ['annee-2018']
    assert home.select_one('nav.galien-nav a[href="chiffres.html"]') is not None


def test_feed_links_to_the_published_site(build_dir):
    baseurl = config_baseurl()
    feed = ElementTree.parse(build_dir / 'html/atom.xml').getroot()
    entries = feed.findall(f'{ATOM}entry')
    assert len(entries) == len(list((PROJECT_DIR / 'issues').glob('[0-9][0-9][0-9].md')))
    for entry in entries:
        for link in entry.findall(f'{ATOM}link'):
            assert link.get('href').startswith(baseurl)


def test_epub_has_no_website_page(build_dir):
    with zipfile.ZipFile(build_dir / 'epub/galien.epub') as book:
        inside = book.namelist()
    assert 'issues/020.xhtml' in inside
    for name in ('atom.xml', 'sitemap.xml', 'chiffres.xhtml', 'genindex.xhtml', 'search.html'):
        assert name not in inside
    assert '_static/galien-couverture.png' in inside
