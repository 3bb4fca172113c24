"""The real tree (issue N°20) in all three formats, built strictly (-W) outside the sources."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT_DIR
from helpers import N20_BOARD, N20_SOURCE, NBSP, assert_epub_clean, build_project, pdftotext

pytestmark = pytest.mark.slow


def source_checksums() -> dict[str, str]:
    """A checksum of every file of the source tree (outputs and caches aside)."""
    skipped = {'_build', '.venv', '.git', '__pycache__', '.pytest_cache', '.hypothesis'}
    skipped |= {'node_modules', '.galien'}  # npm's installs; make send's journal
    return {
        str(path.relative_to(PROJECT_DIR)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(PROJECT_DIR.rglob('*'))
        if path.is_file() and not skipped & set(path.relative_to(PROJECT_DIR).parts)
    }


@pytest.fixture(scope='module')
def sources_before() -> dict[str, str]:
    return source_checksums()


@pytest.fixture(scope='module')
def build_dir(tmp_path_factory: pytest.TempPathFactory, sources_before) -> Path:
    return tmp_path_factory.mktemp('real-tree')


def test_html(build_dir):
    build_project('html', build_dir)
    html = (build_dir / 'html/issues/020.html').read_text(encoding='utf-8')
    soup = BeautifulSoup(html, 'html.parser')
    assert soup.find('html')['lang'] == 'fr'
    chiffre = soup.select_one('section.galien-chiffre')
    assert chiffre.select_one('.galien-chiffre-valeur').get_text(strip=True) == '15'
    assert 'L’engagement du LEEM contre le cancer' in chiffre.get_text()
    assert chiffre.select_one('.galien-source a')['href'].endswith(
        'LEEM_Plateforme_Cancers_Exe-V7.pdf'
    )
    members = [n.get_text() for n in soup.select('aside.galien-board .galien-membre-nom')]
    assert members == N20_BOARD
    papers = [n.get_text() for n in soup.select('span.galien-papier')]
    assert papers == ['Galien 7', 'Galien 2']
    citation = soup.select_one('a.footnote-reference')
    footnote = soup.select_one(citation['href'])
    assert ' '.join(footnote.find('p').get_text().split()) == N20_SOURCE
    assert citation.parent.get_text() == f'Source{NBSP}: Ravì et al., 2017[1]'
    colophon = soup.select_one('footer.galien-colophon').get_text()
    assert 'Directeur de publication' in colophon and 'Pr JL. Cazin' in colophon
    assert f'«{NBSP}L’engagement du LEEM contre le cancer{NBSP}»' in chiffre.get_text()


def test_pdf(build_dir):
    build_project('latexpdf', build_dir)
    pdf = build_dir / 'latex/galien-020.pdf'
    assert sorted((build_dir / 'latex').glob('*.pdf')) == [pdf], 'one PDF per issue'
    # Reading order rather than layout: the letter is set in two columns.
    text = ' '.join(pdftotext(pdf, layout=False).split())
    assert 'LE CHIFFRE DU MOIS' in text
    assert '15' in text and 'LEEM contre le cancer' in text
    for name in N20_BOARD:
        assert name in text
    # Footnote text may be broken at a hyphen or inside the DOI: compared without them.
    assert squeezed(N20_SOURCE) in squeezed(text)
    assert 'Source : Ravì et al., 2017' in text.replace(NBSP, ' ')
    assert 'Galien 7' in text and 'Galien 2' in text


def test_epub(build_dir):
    build_project('epub', build_dir)
    epub = build_dir / 'epub/galien.epub'
    assert_epub_clean(epub)
    with zipfile.ZipFile(epub) as archive:
        xhtml = archive.read('issues/020.xhtml').decode('utf-8')
    assert 'galien-chiffre-valeur' in xhtml
    assert 'Pinguet' in xhtml
    soup = BeautifulSoup(xhtml, 'html.parser')
    footnote = soup.select_one('aside.footnote p')
    assert ' '.join(footnote.get_text().split()) == N20_SOURCE
    assert 'Ravì et al., 2017' in soup.get_text()


def squeezed(text: str) -> str:
    return re.sub(r'[\s\u00a0\u202f-]', '', text)


RESOURCE_SOURCES = {
    'script': 'src',
    'img': 'src',
    'iframe': 'src',
    'source': 'src',
    'audio': 'src',
    'video': 'src',
    'embed': 'src',
    'track': 'src',
    'object': 'data',
}
RESOURCE_LINKS = {
    'stylesheet',
    'icon',
    'shortcut',
    'apple-touch-icon',
    'preload',
    'modulepreload',
    'prefetch',
    'preconnect',
    'dns-prefetch',
    'manifest',
}
OTHER_HOST = re.compile(r'^\s*(https?:)?//', re.IGNORECASE)
CSS_OTHER_HOST = re.compile(r'(url\(\s*[\'"]?|@import\s+[\'"])(https?:)?//', re.IGNORECASE)


def test_site_loads_nothing_from_other_hosts(build_dir):
    """Readers are not tracked: scripts, styles, fonts and images all come from the site."""
    html_dir = build_dir / 'html'
    pages = sorted(html_dir.rglob('*.html'))
    assert len(pages) >= 3
    offenders = []
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding='utf-8'), 'html.parser')
        for tag, attribute in RESOURCE_SOURCES.items():
            offenders += [
                (path.name, el[attribute])
                for el in soup.find_all(tag)
                if OTHER_HOST.match(el.get(attribute, ''))
            ]
        offenders += [
            (path.name, src)
            for el in soup.find_all(srcset=True)
            for src in el['srcset'].split(',')
            if OTHER_HOST.match(src)
        ]
        offenders += [
            (path.name, link['href'])
            for link in soup.find_all('link', href=True)
            if RESOURCE_LINKS & set(link.get('rel', [])) and OTHER_HOST.match(link['href'])
        ]
        offenders += [
            (path.name, el['style'])
            for el in soup.find_all(style=True)
            if CSS_OTHER_HOST.search(el['style'])
        ]
    for path in html_dir.rglob('*.css'):
        if CSS_OTHER_HOST.search(path.read_text(encoding='utf-8', errors='replace')):
            offenders.append((path.name, 'external url() or @import'))
    assert offenders == []
    # Links in the text are fine: the article links to the LEEM report.
    assert 'https://www.leem.org/' in (html_dir / 'issues/020.html').read_text(encoding='utf-8')


def test_make_check_is_clean(build_dir):
    stamp = Path(sys.prefix) / '.requirements-runtime.txt'
    if not stamp.exists():
        pytest.fail('the test venv was not made by the Makefile: run make test')
    result = subprocess.run(
        [
            'make',
            '--no-print-directory',
            'check',
            f'VENV={sys.prefix}',
            f'BUILDDIR={build_dir / "make"}',
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert 'make check : tout est en ordre.' in result.stdout
    assert 'fichier(s) XML valide(s)' in result.stdout


def test_no_build_writes_into_the_source_tree(build_dir, sources_before):
    """Runs last: html, latexpdf, epub, make check above and make site here write elsewhere."""
    if (Path(sys.prefix) / '.requirements-runtime.txt').exists():
        result = subprocess.run(
            [
                'make',
                '--no-print-directory',
                'site',
                f'VENV={sys.prefix}',
                f'BUILDDIR={build_dir / "site-build"}',
            ],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert (build_dir / 'site-build/site/index.html').exists()
    assert {'html', 'latex', 'epub'} <= {p.name for p in build_dir.iterdir()}
    assert source_checksums() == sources_before
