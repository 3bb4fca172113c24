"""Links of an issue: http, https, mailto and relative addresses only, in every edition.

The hostile issue (``roots/test-security-links``) writes ``javascript:``,
``data:``, ``vbscript:`` and ``file:`` links every way MyST allows, disguised
(case, tab, spaces, entity), and as an image's ``:target:``.
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
    (12, 'javascript'),
    (12, 'javascript'),
    (13, 'javascript'),
    (13, 'javascript'),
    (14, 'data'),
    (15, 'vbscript'),
    (15, 'file'),
    (15, 'javascript'),
]


@pytest.fixture(scope='module')
def hostile_links(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('liens')
    source = tmp / 'projet'
    shutil.copytree(ROOT, source)
    log = build_editions(source, tmp / 'build')
    return tmp / 'build', log


def test_unsafe_links_are_refused_with_located_warnings(hostile_links):
    _build, log = hostile_links
    for line, scheme in REFUSED_LINKS:
        assert re.search(
            rf'issues/020\.md:{line}: WARNING: lien refusé \({scheme}:\) : seules les adresses '
            r'http, https, mailto et relatives sont acceptées',
            log,
        ), (line, scheme, log)
    assert log.count('[galien.lien]') == len(REFUSED_LINKS), log
    # An image's :target: is a web address or nothing.
    assert re.search(
        r'issues/020\.md:19: WARNING: option :target: de \{image\} ignorée : '
        r"« javascript:alert\(12\) » n'est pas adresse https://",
        log,
    ), log


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
        for number in range(1, 8):
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
    tex = (build / 'latex/galien-020.tex').read_text(encoding='utf-8')
    assert r'\sphinxhref{https://www.has-sante.fr/avis-osimertinib}' in tex
    assert 'lien 7' in tex and 'En bref' in tex
    assert_epub_clean(build / 'epub/galien.epub')
