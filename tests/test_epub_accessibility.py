"""The ePub of the real tree (``make epub``) for every reader: Ace by DAISY, EPUB Accessibility 1.1.

Ace by DAISY (tests/package.json, installed by ``make npm-tools``) runs with
Debian's chromium and must report no violation at all, whatever its impact;
the package metadata is read with an XML parser.
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import pytest

from helpers import ace, ace_violations, assert_epub_clean, npm_version

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

pytestmark = pytest.mark.slow

OPF = '{http://www.idpf.org/2007/opf}'
XHTML = '{http://www.w3.org/1999/xhtml}'
EPUB = '{http://www.idpf.org/2007/ops}'
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'


@pytest.fixture(scope='module')
def epub(project_build: Callable[[str], Path]) -> Path:
    """``make epub`` on the project, strictly (-W), outside the source tree (shared)."""
    return project_build('epub') / 'epub' / 'galien.epub'


def read(epub: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name)


def metadata(epub: Path) -> dict[str, list[str]]:
    """The package's ``<meta property=...>`` values, by property."""
    package = ElementTree.fromstring(read(epub, 'content.opf'))
    values: dict[str, list[str]] = {}
    for meta in package.iter(f'{OPF}meta'):
        if meta.get('property'):
            values.setdefault(meta.get('property', ''), []).append(meta.text or '')
    return values


def test_ace_reports_no_violation(
    epub: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = ace(epub, tmp_path / 'ace')
    with capsys.disabled():
        print(f'\nAce by DAISY {npm_version("@daisy/ace-cli")}: {report["earl:result"]}')
    assert ace_violations(report) == []
    assert report['earl:result']['earl:outcome'] == 'pass'
    assert report['a11y-metadata']['empty'] == []


def test_ace_would_report_a_page_without_language(epub: Path, tmp_path: Path) -> None:
    """The check above can fail: the same book with one page's language taken out."""
    broken = tmp_path / 'sans-langue.epub'
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, 'w') as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == 'issues/020.xhtml':
                data = data.replace(b' lang="fr" xml:lang="fr"', b'', 1)
            target.writestr(info, data)
    found = ace_violations(ace(broken, tmp_path / 'ace'))
    assert ('issues/020.xhtml', 'html-has-lang', 'serious') in found, found


def test_package_declares_epub_accessibility_1_1(epub: Path) -> None:
    meta = metadata(epub)
    assert meta['dcterms:conformsTo'] == ['EPUB Accessibility 1.1 - WCAG 2.1 Level AA']
    assert meta['a11y:certifiedBy'] == [
        'Centre Oscar Lambret – Centre Régional de Lutte Contre le Cancer'
    ]
    assert sorted(meta['schema:accessMode']) == ['textual', 'visual']
    assert sorted(meta['schema:accessModeSufficient']) == ['textual', 'textual,visual']
    assert set(meta['schema:accessibilityFeature']) >= {
        'tableOfContents',
        'readingOrder',
        'structuralNavigation',
        'alternativeText',
    }
    assert meta['schema:accessibilityHazard'] == ['none']
    [summary] = meta['schema:accessibilitySummary']
    assert summary.startswith('Galien, la lettre d’information sur les médicaments innovants')
    assert 'chaque image (la couverture, les figures) a une alternative textuelle' in summary
    assert 'WCAG 2.1 niveau AA' in summary


def test_cover_image_is_marked_for_epub_2_and_3(epub: Path) -> None:
    package = ElementTree.fromstring(read(epub, 'content.opf'))
    [cover_meta] = [m for m in package.iter(f'{OPF}meta') if m.get('name') == 'cover']
    covers = [i for i in package.iter(f'{OPF}item') if 'cover-image' in i.get('properties', '')]
    assert [i.get('href') for i in covers] == ['_static/galien-couverture.png']
    assert covers[0].get('id') == cover_meta.get('content')


def test_every_page_says_french_and_the_nav_has_its_role(epub: Path) -> None:
    package = ElementTree.fromstring(read(epub, 'content.opf'))
    pages = [
        item.get('href', '')
        for item in package.iter(f'{OPF}item')
        if item.get('media-type') == 'application/xhtml+xml'
    ]
    assert {'nav.xhtml', 'index.xhtml', 'epub-cover.xhtml', 'issues/020.xhtml'} <= set(pages)
    for name in pages:
        root = ElementTree.fromstring(read(epub, name))
        assert (root.get('lang'), root.get(XML_LANG)) == ('fr', 'fr'), name
    nav = ElementTree.fromstring(read(epub, 'nav.xhtml'))
    [toc] = [n for n in nav.iter(f'{XHTML}nav') if n.get(f'{EPUB}type') == 'toc']
    assert toc.get('role') == 'doc-toc'


def test_website_files_stay_out_of_the_book(epub: Path) -> None:
    with zipfile.ZipFile(epub) as archive:
        inside = set(archive.namelist())
        pages = [archive.read(n).decode('utf-8') for n in inside if n.endswith('.xhtml')]
    for name in (
        '_static/galien-print.css',
        '_static/galien-logo.svg',
        '_static/minus.png',
        '_static/plus.png',
    ):
        assert name not in inside
    assert not [page for page in pages if 'galien-print.css' in page or 'galien-logo' in page]
    assert '_static/galien.css' in inside


def test_epubcheck_stays_clean(epub: Path) -> None:
    assert_epub_clean(epub)


@pytest.mark.sphinx(
    'epub',
    testroot='issue',
    freshenv=True,
    confoverrides={'galien_epub_accessibility_summary': 'Résumé <propre> & court : sans image.'},
)
def test_summary_of_conf_py_replaces_the_default(app: SphinxTestApp) -> None:
    app.build()
    meta = metadata(app.outdir / f'{app.config.epub_basename}.epub')
    # French spacing before the colon, the markup characters kept as text.
    assert meta['schema:accessibilitySummary'] == ['Résumé <propre> & court\u00a0: sans image.']
