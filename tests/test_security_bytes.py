"""Control characters and U+FFFD in an issue: a warning at their line, and every edition built.

Written by the test into ``roots/test-security-bytes/issues/020.md.in`` (NUL,
ESC, US, VT, FF, DEL, a C1 character and U+FFFD, some in the front matter's
``titre``), they used to make the ePub ill-formed (epubcheck FATAL).
"""

from __future__ import annotations

import re
import shutil

import pikepdf
import pytest
from bs4 import BeautifulSoup
from security_helpers import build_editions, output_texts

from conftest import TESTS_DIR
from helpers import assert_epub_clean, pdftotext

ROOT = TESTS_DIR / 'roots/test-security-bytes'
CHARACTERS = {
    'NUL': '\x00',
    'ESC': '\x1b',
    'US': '\x1f',
    'VT': '\x0b',
    'FF': '\x0c',
    'DEL': '\x7f',
    'C1': '\x85',
    'FFFD': '\ufffd',
}
BAD = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]')


@pytest.fixture(scope='module')
def bad_bytes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('octets')
    source = tmp / 'projet'
    shutil.copytree(ROOT, source)
    template = source / 'issues/020.md.in'
    (source / 'issues/020.md').write_text(
        template.read_text(encoding='utf-8').format(**CHARACTERS), encoding='utf-8'
    )
    template.unlink()
    log = build_editions(source, tmp / 'build', ('html', 'epub', 'email', 'latexpdf'))
    return tmp / 'build', log


def test_bad_characters_are_reported_at_their_line(bad_bytes):
    _build, log = bad_bytes
    for line, codes in (
        (4, 'U+0000, U+001B, U+001F'),
        (9, 'U+0000, U+FFFD'),
        (11, 'U+000B, U+000C, U+007F, U+0085'),
    ):
        assert (
            f'issues/020.md:{line}: WARNING: caractère invisible ou invalide {codes} retiré'
        ) in log, (line, log)
    assert log.count('[galien.caractere]') == 3, log


def test_every_edition_is_built_without_the_bad_characters(bad_bytes):
    build, _log = bad_bytes
    for name, data in output_texts(build, skip=('_sources', 'doctrees')):
        if name.endswith(('.html', '.xhtml', '.txt', '.eml', '.tex', '.opf', '.ncx', '.js')):
            assert BAD.search(data.decode('utf-8', errors='strict')) is None, name
    assert_epub_clean(build / 'epub/galien.epub')
    page = BeautifulSoup((build / 'html/issues/020.html').read_text('utf-8'), 'html.parser')
    assert 'Osimertinib en première ligne' in page.get_text()
    assert "L'osimertinib (Tagrisso®) est remboursé chez les patients ≥ 75 ans." in (
        page.get_text().replace('’', "'")
    )
    text = (build / 'email/galien-020.txt').read_text(encoding='utf-8')
    assert 'Le β-HCG se dose en µg/mL' in text and 'Nguyễn' in text
    assert (build / 'email/galien-020.eml').is_file()
    pdf = build / 'latex/galien-020.pdf'
    printed = pdftotext(pdf)
    assert 'Osimertinib en première ligne' in printed
    assert 'Le β-HCG se dose en µg/mL' in printed and 'Nguyễn' in printed


def test_the_pdf_links_only_to_allowed_addresses(bad_bytes):
    build, log = bad_bytes
    with pikepdf.open(build / 'latex/galien-020.pdf') as pdf:
        uris = [
            str(annotation.A.URI)
            for page in pdf.pages
            for annotation in page.obj.get('/Annots') or []
            if '/A' in annotation and '/URI' in annotation.A
        ]
    assert 'https://www.has-sante.fr/avis-osimertinib' in uris, uris
    assert not [uri for uri in uris if not uri.startswith(('https:', 'http:', 'mailto:'))], uris
    assert 'issues/020.md:12: WARNING: lien refusé (javascript:)' in log
