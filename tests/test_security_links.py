"""Links and metas of an issue: http, https, mailto and relative addresses only, in every edition.

The hostile issue (``roots/test-security-links``) writes ``javascript:``,
``data:``, ``vbscript:`` and ``file:`` links every way MyST and ``{eval-rst}``
allow, disguised (case, tab, spaces, entity), and redirects with ``http-equiv``
from ``.. meta::`` and from front matter ``html_meta``.
"""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from security_helpers import build_editions, output_texts

from conftest import TESTS_DIR
from helpers import assert_epub_clean

ROOT = TESTS_DIR / 'roots/test-security-links'
FORBIDDEN = re.compile(rb'(?i)(javascript|vbscript|data)\s*:|http-equiv|alert\(|msgbox\(')
# (line, scheme) of each refused link in issues/020.md.
REFUSED_LINKS = [
    (16, 'javascript'),
    (16, 'javascript'),
    (17, 'javascript'),
    (17, 'javascript'),
    (18, 'data'),
    (19, 'vbscript'),
    (19, 'file'),
    (19, 'javascript'),
    (22, 'javascript'),
    (22, 'javascript'),
    (24, 'vbscript'),
    (30, 'javascript'),
]


@pytest.fixture(scope='module')
def hostile_links(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('liens')
    source = tmp / 'projet'
    shutil.copytree(ROOT, source)
    log = build_editions(source, tmp / 'build')
    return tmp / 'build', log


def test_unsafe_links_and_http_equiv_are_refused_with_located_warnings(hostile_links):
    _build, log = hostile_links
    for line, scheme in REFUSED_LINKS:
        assert re.search(
            rf'issues/020\.md:{line}: WARNING: lien refusé \({scheme}:\) : seules les adresses '
            r'http, https, mailto et relatives sont acceptées',
            log,
        ), (line, scheme, log)
    assert log.count('[galien.lien]') == len(REFUSED_LINKS), log
    for line in (6, 27):
        assert f'issues/020.md:{line}: WARNING: métadonnée http-equiv (refresh) refusée' in log
    assert log.count('[galien.meta]') == 2, log


def test_no_unsafe_address_reaches_any_edition(hostile_links):
    build, _log = hostile_links
    # Sphinx's own scripts, the issue's source shown as text and the doctrees aside.
    seen = []
    for name, data in output_texts(build, skip=('_static', '_sources', 'doctrees')):
        seen.append(name)
        assert FORBIDDEN.search(data) is None, (name, FORBIDDEN.search(data))
    assert {'html/issues/020.html', 'latex/galien-020.tex', 'email/galien-020.eml'} <= set(seen)
    assert 'epub/galien.epub!issues/020.xhtml' in seen
    assert 'href{javascript' not in (build / 'latex/galien-020.tex').read_text(encoding='utf-8')


def test_the_rest_of_the_issue_keeps_its_links_and_text(hostile_links):
    build, _log = hostile_links
    for path in ('html/issues/020.html', 'email/galien-020.html'):
        soup = BeautifulSoup((build / path).read_text(encoding='utf-8'), 'html.parser')
        hrefs = {a.get_text(): a['href'] for a in soup.find_all('a', href=True)}
        assert hrefs['avis de la HAS'] == 'https://www.has-sante.fr/avis-osimertinib', path
        assert hrefs['pharmacie'].startswith('mailto:pharmacie'), path
        text = soup.get_text()
        for number in range(1, 11):
            if number != 8:  # <javascript:alert(8)>: its text is the address, left out
                assert f'lien {number}' in text, (path, number)
            assert f'lien {number}' not in hrefs, (path, number)
        assert 'Le β-HCG se dose en µg/mL.' in text, path
    page = BeautifulSoup(
        (build / 'html/issues/020.html').read_text(encoding='utf-8'), 'html.parser'
    )
    assert page.find('a', href='#en-bref') is not None
    image = page.find('img', alt="Schéma de l'essai FLAURA")
    assert image is not None and image.find_parent('a') is None
    metas = {meta.get('name'): meta.get('content') for meta in page.find_all('meta')}
    assert metas['description'] == 'Osimertinib en première ligne'
    assert metas['keywords'] == 'osimertinib, EGFR'
    tex = (build / 'latex/galien-020.tex').read_text(encoding='utf-8')
    assert r'\sphinxhref{https://www.has-sante.fr/avis-osimertinib}' in tex
    assert 'lien 9' in tex and 'En bref' in tex
    assert_epub_clean(build / 'epub/galien.epub')
