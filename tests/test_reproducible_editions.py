"""The ePub and the e-mail are reproducible with ``SOURCE_DATE_EPOCH`` (issue 21).

N° 20 is built twice, in two folders, with the same ``SOURCE_DATE_EPOCH``: the
``.epub`` file is the same bytes (members, their order, dates and modes), dated
from the epoch in its package (``dcterms:modified``, ``dc:date``) and in its
zip members; the e-mail's ``.html``, ``.txt`` and ``.eml`` (MIME boundary
included) are the same bytes too.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

import pytest

from conftest import PROJECT_DIR, TESTS_DIR
from helpers import assert_epub_clean

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

#: 1 February 2018, 00:00 UTC.
EPOCH = '1517443200'


def build(builder: str, build_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-M', builder, str(PROJECT_DIR), str(build_dir), '-q'],
        capture_output=True,
        text=True,
        check=False,
        env={
            'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
            'PATH': '/usr/bin:/bin',
            'LANG': 'C.UTF-8',
            'SOURCE_DATE_EPOCH': EPOCH,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope='module')
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folders = [tmp_path_factory.mktemp('first'), tmp_path_factory.mktemp('second')]
    for folder in folders:
        build('epub', folder)
        build('email', folder)
    return folders


def test_the_epub_is_the_same_file_from_two_folders(builds):
    first, second = (folder / 'epub' / 'galien.epub' for folder in builds)
    with zipfile.ZipFile(first) as book:
        members = book.infolist()
        opf = book.read('content.opf').decode('utf-8')
    assert members[0].filename == 'mimetype'
    assert members[0].compress_type == zipfile.ZIP_STORED
    assert {member.date_time for member in members} == {(2018, 2, 1, 0, 0, 0)}
    assert {member.external_attr >> 16 for member in members} == {0o100644}
    assert '<dc:date>2018-02-01T00:00:00Z</dc:date>' in opf
    assert '<meta property="dcterms:modified">2018-02-01T00:00:00Z</meta>' in opf
    assert first.read_bytes() == second.read_bytes()
    assert_epub_clean(first)


def test_the_email_parts_are_the_same_bytes_from_two_folders(builds):
    first, second = (folder / 'email' for folder in builds)
    names = sorted(p.name for p in first.iterdir())
    assert names == ['galien-020.eml', 'galien-020.html', 'galien-020.txt']
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    message = (first / 'galien-020.eml').read_text(encoding='ascii')
    assert 'boundary="===============' in message
