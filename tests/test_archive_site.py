"""The website made from the archive: home page, years, issue links, chiffres, feed, search.

One generated archive of 30 monthly issues (January 2018 to June 2020), built
once with the book theme and two processes, so that the listings also prove
that what parallel readers collect is merged.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
import snowballstemmer
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from archive import write_archive
from helpers import NBSP, built, warnings

pytestmark = pytest.mark.fast


ISSUES = 30
BASEURL = 'https://galien.example.org/lettre/'
ATOM = '{http://www.w3.org/2005/Atom}'
SITEMAP = '{http://www.sitemaps.org/schemas/sitemap/0.9}'
# Issue 12's title has every character XML must escape.
TRICKY_TITLE = 'Coût < 5 € & « prix » "net" l\'an'

CONF = f"""from rootconf import *  # noqa: F403
html_theme = 'sphinx_book_theme'
html_baseurl = {BASEURL!r}
"""

INDEX = """# Galien

## Le numéro du mois

```{galien-dernier-numero}
```

## Les archives

```{galien-archives}
```

```{toctree}
:hidden:

chiffres
```

```{toctree}
:hidden:
:glob:
:reversed:

issues/*
```
"""

CHIFFRES = """# Les chiffres du mois

```{galien-chiffres}
```
"""


def write_site(root):
    """The generated archive with the project's home and chiffres pages."""
    write_archive(root, ISSUES)
    (root / 'conf.py').write_text(CONF, encoding='utf-8')
    (root / 'index.md').write_text(INDEX, encoding='utf-8')
    (root / 'chiffres.md').write_text(CHIFFRES, encoding='utf-8')
    issue = root / 'issues/012.md'
    text = issue.read_text(encoding='utf-8')
    yaml_title = "'" + TRICKY_TITLE.replace("'", "''") + "'"
    issue.write_text(
        re.sub(r'titre: .*', lambda _: f'titre: {yaml_title}', text, count=1), encoding='utf-8'
    )
    return root


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    with built('html', write_site(tmp_path_factory.mktemp('site') / 'src')) as app:
        yield app


def soup(app, docname):
    return BeautifulSoup(
        (app.outdir / f'{docname}.html').read_text(encoding='utf-8'), 'html.parser'
    )


def test_build_is_clean(site):
    assert warnings(site) == ''


def test_home_page_shows_the_latest_issue_first(site):
    home = soup(site, 'index')
    latest = home.select_one('.galien-dernier')
    assert latest.select_one('.galien-dernier-titre a')['href'] == 'issues/030.html'
    assert latest.select_one('.galien-dernier-titre').get_text() == f'Galien N°{NBSP}30 – juin 2020'
    assert latest.select_one('.galien-chiffre-valeur').get_text(strip=True) == f'30,5{NBSP}%'
    assert 'patients' in latest.select_one('.galien-chiffre-apercu').get_text()
    assert latest.select_one('a.galien-lien-lire')['href'] == 'issues/030.html'
    assert latest.select_one('a.galien-lien-pdf')['href'] == 'pdf/galien-030.pdf'
    subscriptions = home.select_one('.galien-abonnements')
    assert subscriptions.select_one('a.galien-lien-flux')['href'] == 'atom.xml'
    assert subscriptions.select_one('a.galien-lien-epub')['href'] == 'galien.epub'


def test_archive_is_grouped_by_year_newest_first(site):
    home = soup(site, 'index')
    years = home.select('section.galien-annee')
    assert [y['id'] for y in years] == ['annee-2020', 'annee-2019', 'annee-2018']
    assert [y.find('h3').get_text().strip('#¶ ') for y in years] == ['2020', '2019', '2018']
    links = [[a['href'] for a in y.select('li a.reference.internal')] for y in years]
    assert links[0] == [f'issues/{n:03d}.html' for n in range(30, 24, -1)]
    assert links[1] == [f'issues/{n:03d}.html' for n in range(24, 12, -1)]
    assert links[2] == [f'issues/{n:03d}.html' for n in range(12, 0, -1)]
    pdfs = [a['href'] for a in years[2].select('a.galien-lien-pdf')]
    assert pdfs[0] == 'pdf/galien-012.pdf'
    # Text from front matter stays text.
    assert (
        TRICKY_TITLE.replace("'", '’').replace(' « ', f' «{NBSP}').replace(' »', f'{NBSP}»')
        in years[2].get_text()
    )


def test_previous_and_next_follow_the_numbers(site):
    middle = soup(site, 'issues/015').select_one('.galien-precedent-suivant')
    assert middle.select_one('a.galien-precedent')['href'] == '014.html'
    assert middle.select_one('a.galien-suivant')['href'] == '016.html'
    assert 'Numéro précédent' in middle.get_text()
    assert middle.select_one('a.galien-suivant').get_text() == f'N°{NBSP}16 – avril 2019'
    first = soup(site, 'issues/001').select_one('.galien-precedent-suivant')
    assert first.select_one('a.galien-precedent') is None
    assert first.select_one('a.galien-suivant')['href'] == '002.html'
    last = soup(site, 'issues/030').select_one('.galien-precedent-suivant')
    assert last.select_one('a.galien-suivant') is None
    # The theme's own previous/next (toctree order) would contradict them.
    assert soup(site, 'issues/015').select_one('.prev-next-area') is None


def test_issue_lists_the_issues_that_cite_it(site):
    # The generated issue N cites N - 1 and N // 2: issue 10 is cited by 11, 20 and 21.
    cited = soup(site, 'issues/010').select_one('.galien-cite-dans')
    assert cited.get_text() == 'Cité dans Galien 11, 20, 21'
    assert [a['href'] for a in cited.find_all('a')] == ['011.html', '020.html', '021.html']
    # Right under the masthead.
    assert cited.find_previous_sibling().name == 'header'
    assert soup(site, 'issues/030').select_one('.galien-cite-dans') is None


def test_chiffres_page_lists_every_figure(site):
    page = soup(site, 'chiffres')
    entries = page.select('.galien-chiffre-liste')
    assert len(entries) == ISSUES
    assert [e.select_one('.galien-chiffre-etiquette a')['href'] for e in entries] == [
        f'issues/{n:03d}.html' for n in range(30, 0, -1)
    ]
    assert entries[0].select_one('.galien-chiffre-valeur').get_text(strip=True) == f'30,5{NBSP}%'
    assert 'une donnée' in entries[0].get_text()
    assert (
        entries[0].select_one('.galien-source a')['href']
        == 'https://example.org/chiffres/30?a=1&b=2'
    )


def test_sidebar_shows_years_and_only_the_current_year(site):
    nav = soup(site, 'issues/015').select_one('nav.galien-nav')
    years = nav.select('li.galien-nav-annee')
    assert [y.find('a').get_text() for y in years] == ['2020', '2019', '2018']
    assert years[0].find('a')['href'] == '../index.html#annee-2020'
    assert [y.find('details') is not None for y in years] == [False, True, False]
    issues = years[1].select('li.toctree-l2 a')
    assert [a['href'] for a in issues] == [
        '#' if n == 15 else f'{n:03d}.html' for n in range(24, 12, -1)
    ]
    current = years[1].select_one('li.toctree-l2.current a')
    assert current.get_text() == f'N°{NBSP}15 – mars 2019'
    pages = [a.get_text() for a in nav.select('ul.bd-sidenav > li:not(.galien-nav-annee) > a')]
    assert pages == ['Galien', 'Les chiffres du mois']
    # Bounded: the theme's whole-toctree sidebar is gone.
    assert len(nav.find_all('a')) == 2 + 3 + 12
    assert soup(site, 'issues/015').select_one('.bd-docs-nav:not(.galien-nav)') is None
    # Pages that are not issues open the latest year.
    home_nav = soup(site, 'index').select_one('nav.galien-nav')
    assert [y.find('details') is not None for y in home_nav.select('li.galien-nav-annee')] == [
        True,
        False,
        False,
    ]


def test_theme_speaks_french(site):
    page = soup(site, 'issues/015')
    assert page.find('html')['lang'] == 'fr'
    assert (
        page.select_one('button.primary-toggle.btn')['title'] == 'Afficher ou masquer la navigation'
    )
    html = (site.outdir / 'issues/015.html').read_text(encoding='utf-8')
    for english in (
        'Toggle primary sidebar',
        'Toggle secondary sidebar',
        'Skip to main',
        'Back to top',
        'On this page',
    ):
        assert english not in html


def test_atom_feed(site):
    feed = ElementTree.parse(site.outdir / 'atom.xml').getroot()
    assert feed.tag == f'{ATOM}feed'
    assert feed.get('{http://www.w3.org/XML/1998/namespace}lang') == 'fr'
    assert feed.find(f'{ATOM}link[@rel="self"]').get('href') == f'{BASEURL}atom.xml'
    assert feed.find(f'{ATOM}updated').text == '2020-06-01T00:00:00+00:00'
    entries = feed.findall(f'{ATOM}entry')
    assert len(entries) == ISSUES
    assert [e.find(f'{ATOM}id').text for e in entries] == [
        f'{BASEURL}issues/{n:03d}.html' for n in range(30, 0, -1)
    ]
    newest = entries[0]
    assert newest.find(f'{ATOM}updated').text == '2020-06-01T00:00:00+00:00'
    assert newest.find(f'{ATOM}link[@rel="alternate"]').get('href') == f'{BASEURL}issues/030.html'
    enclosure = newest.find(f'{ATOM}link[@rel="enclosure"]')
    assert enclosure.get('href') == f'{BASEURL}pdf/galien-030.pdf'
    assert enclosure.get('type') == 'application/pdf'
    summary = newest.find(f'{ATOM}summary').text
    assert summary.startswith(f'Le chiffre du mois{NBSP}: 30,5{NBSP}%.')
    assert 'patients' in summary
    for entry in entries:
        for link in entry.findall(f'{ATOM}link'):
            assert link.get('href').startswith(BASEURL)
    # Title 12 comes back intact through escaping.
    tricky = entries[ISSUES - 12].find(f'{ATOM}title').text
    assert tricky.startswith(f'Galien N°{NBSP}12 – décembre 2018{NBSP}: Coût < 5 € & ')
    assert '"net"' in tricky
    raw = (site.outdir / 'atom.xml').read_text(encoding='utf-8')
    assert 'Coût &lt; 5 € &amp; ' in raw


def test_sitemap(site):
    urlset = ElementTree.parse(site.outdir / 'sitemap.xml').getroot()
    locations = {
        u.find(f'{SITEMAP}loc').text: u.find(f'{SITEMAP}lastmod')
        for u in urlset.findall(f'{SITEMAP}url')
    }
    assert f'{BASEURL}index.html' in locations
    assert f'{BASEURL}chiffres.html' in locations
    assert locations[f'{BASEURL}issues/030.html'].text == '2020-06-01'
    assert len(locations) == ISSUES + 2


def test_french_search_stems(site):
    script = (site.outdir / 'searchindex.js').read_text(encoding='utf-8')
    index = json.loads(script[script.index('(') + 1 : script.rindex(')')])
    stemmer = snowballstemmer.stemmer('french')
    # The issues say "médicaments"; a reader searches "médicament".
    stem = stemmer.stemWord('médicament')
    assert stem == stemmer.stemWord('médicaments')
    assert stem != 'médicament'
    found = index['terms'][stem]
    found = found if isinstance(found, list) else [found]
    docnames = {index['docnames'][i] for i in found}
    assert {f'issues/{n:03d}' for n in range(1, ISSUES + 1)} <= docnames


def test_a_new_issue_updates_every_page_that_shows_it(tmp_path):
    root = write_site(tmp_path / 'src')
    app = SphinxTestApp('html', srcdir=root, builddir=tmp_path / 'build', freshenv=True)
    app.build()
    app.cleanup()
    text = (root / 'issues/030.md').read_text(encoding='utf-8')
    text = text.replace('numero: 30', 'numero: 31').replace('date: 2020-06', 'date: 2020-07')
    (root / 'issues/031.md').write_text(text, encoding='utf-8')
    again = SphinxTestApp('html', srcdir=root, builddir=tmp_path / 'build')
    try:
        again.build()
        assert warnings(again) == ''
        # Read again: only the new issue and the glob toctree's page.
        assert (
            soup(again, 'index').select_one('.galien-dernier-titre a')['href'] == 'issues/031.html'
        )
        # Written again without being read again: issue 30 (next link, sidebar) and chiffres.
        assert soup(again, 'issues/030').select_one('a.galien-suivant')['href'] == '031.html'
        assert (
            soup(again, 'chiffres').select('.galien-chiffre-liste')[0].select_one('a')['href']
            == 'issues/031.html'
        )
        assert soup(again, 'issues/025').select_one('nav.galien-nav li.current a')
        # Issue 31 cites 29 and 15: both list it, though neither was read again.
        assert (
            soup(again, 'issues/015').select_one('.galien-cite-dans').get_text()
            == 'Cité dans Galien 16, 30, 31'
        )
        entries = ElementTree.parse(again.outdir / 'atom.xml').getroot().findall(f'{ATOM}entry')
        assert len(entries) == ISSUES + 1
        # Issue 1 shows neither 2020 nor issue 31: it was left alone.
        assert soup(again, 'issues/001').select_one('a.galien-suivant')['href'] == '002.html'
    finally:
        again.cleanup()


def test_pages_announce_the_feed(site):
    link = soup(site, 'issues/015').find('link', rel='alternate', type='application/atom+xml')
    assert link['href'] == f'{BASEURL}atom.xml'


def test_feed_stays_xml_whatever_the_chiffre_says(tmp_path):
    root = write_archive(tmp_path / 'src', 2)
    (root / 'conf.py').write_text(CONF, encoding='utf-8')
    issue = root / 'issues/002.md'
    # A backspace pasted from a word processor: XML 1.0 cannot hold it at all.
    issue.write_text(
        issue.read_text(encoding='utf-8').replace("C'est la part", 'C\'est la\x08 part <b> & "co"'),
        encoding='utf-8',
    )
    app = SphinxTestApp('html', srcdir=root, builddir=tmp_path / 'build', freshenv=True)
    try:
        app.build()
        entries = ElementTree.parse(app.outdir / 'atom.xml').getroot().findall(f'{ATOM}entry')
        summary = entries[0].find(f'{ATOM}summary').text
        assert 'C’est la part <b> & "co"' in summary
    finally:
        app.cleanup()
