"""The month's workflow: ``make site`` after adding an issue to an already built tree.

``make site`` builds the website, then the PDFs, then the ePub, sharing the
doctrees. The website's build reads the new issue first; the print edition must
still write its ``.tex`` and PDF, and the site must carry it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_incremental import copy_project

from archive import issue_text
from conftest import PROJECT_DIR, TESTS_DIR

pytestmark = pytest.mark.slow


def make_site(source: Path, build: Path, stamp: Path) -> subprocess.CompletedProcess[str]:
    paths = [str(PROJECT_DIR / 'extensions'), str(TESTS_DIR)]
    return subprocess.run(
        [
            'make',
            '--no-print-directory',
            'site',
            f'VENV={Path(sys.prefix)}',
            f'SOURCEDIR={source}',
            f'BUILDDIR={build}',
            # The venv running the tests is the one to use: a fresh stamp, so that
            # make (and the sub-makes of `make site`) do not try to reinstall it.
            f'RUNTIME_STAMP={stamp}',
            'SPHINXOPTS=-q',
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, 'PYTHONPATH': os.pathsep.join(paths)},
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )


def test_make_site_after_adding_an_issue_publishes_its_pdf(tmp_path: Path) -> None:
    source = copy_project(tmp_path / 'src')
    build = tmp_path / 'build'
    stamp = tmp_path / 'venv-stamp'
    stamp.touch()
    first = make_site(source, build, stamp)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert (build / 'site/pdf/galien-022.pdf').is_file()
    (source / 'issues/023.md').write_text(issue_text(23, 2018, 5), encoding='utf-8')
    again = make_site(source, build, stamp)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    pdf = build / 'site/pdf/galien-023.pdf'
    assert pdf.is_file()
    assert pdf.read_bytes()[:5] == b'%PDF-'
    info = subprocess.run(['pdfinfo', str(pdf)], capture_output=True, text=True, check=True)
    assert 'Galien N° 23' in info.stdout.replace('\u00a0', ' ')
    # The website links to it, from the new issue's page.
    page = (build / 'site/issues/023.html').read_text(encoding='utf-8')
    assert '../pdf/galien-023.pdf' in page
