"""One LuaLaTeX run per issue from a clean build, more only where needed (issue 21).

A wrapper in front of ``lualatex`` (first on ``PATH``) notes each run. From a
clean build, an issue that reads nothing from its ``.aux`` but the page count
(N° 20, two plain issues of one and two pages) is compiled once, from the
predicted page count; the others (tables, a reference to a section of its own,
three pages) are left to latexmk from an empty ``.aux``: twice or more. Each PDF
equals, in bytes, in text (``pdftotext``) and in page images (``pdftoppm``), the
PDF of a build forced to run as before (``PDFONEPASS=no``: every issue from an
empty ``.aux``).
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from test_killed_builds import job_runs, spy_path
from test_print_edition import latexpdf

from conftest import CLINICAL_EPOCH, PROJECT_DIR, TESTS_DIR
from helpers import pdftotext, require_tool

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

CLINICAL = TESTS_DIR / 'roots' / 'test-clinical'
#: An issue whose text refers to one of its own sections (a label read from the .aux).
REFERENCE_ISSUE = """---
numero: 24
date: 2018-06
titre: Une référence interne
---

# Actualité

Comme le dit la section {ref}`plus-loin`, le texte renvoie à lui-même.

{paragraphs}

(plus-loin)=
## Plus loin

La section citée plus haut.
"""

PARAGRAPH = (
    'Le suivi des patients traités par thérapie ciblée demande une surveillance '
    'clinique et biologique régulière, dont le rythme dépend de la molécule, des '
    'antécédents et des traitements associés. '
)

LONG_ISSUE = """---
numero: {numero}
date: 2018-{month:02d}
titre: Un numéro de {pages} pages
---

# Actualité

{paragraphs}
"""


def paragraphs(count: int) -> str:
    return '\n\n'.join(PARAGRAPH * 6 for _ in range(count))


def long_issue(numero: int, count: int, pages: str) -> str:
    """An issue of plain text, ``count`` paragraphs long."""
    return LONG_ISSUE.format(
        numero=numero,
        month=numero - 18,
        pages=pages,
        paragraphs=paragraphs(count),
    )


#: The issues that do not fill the predicted two pages (025: three or more).
PAGES = {'galien-027': 1}


def build(srcdir: Path, build_dir: Path, tmp_path: Path, **env: str) -> dict[str, int]:
    """A clean ``latexpdf`` build; the LuaLaTeX runs of each issue."""
    spy = tmp_path / f'{build_dir.name}-spy'
    spy.mkdir()
    path, journal = spy_path(spy)
    result = latexpdf(
        srcdir,
        build_dir,
        path=path,
        LUALATEX_JOURNAL=str(journal),
        SOURCE_DATE_EPOCH=CLINICAL_EPOCH,
        # The spy and its journal are outside the LaTeX jobs' sandbox (test_confined_build.py).
        CONFINE='',
        **env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        job.removesuffix('.part'): count
        for job, count in job_runs(journal).items()
        if job.startswith('galien-')
    }


def page_images(pdf: Path, folder: Path) -> list[bytes]:
    """Each page of ``pdf`` as PPM bytes (``pdftoppm``, 72 dpi)."""
    folder.mkdir()
    subprocess.run(
        [require_tool('pdftoppm'), '-r', '72', str(pdf), str(folder / 'page')], check=True
    )
    return [page.read_bytes() for page in sorted(folder.glob('page-*.ppm'))]


@pytest.fixture(scope='module')
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clinical N° 21 (tables), an issue that refers to itself, one of three, two, one page."""
    srcdir = tmp_path_factory.mktemp('onepass') / 'src'
    shutil.copytree(CLINICAL, srcdir)
    # One issue with tables is enough to show them left to latexmk (021: the others have more).
    for numero in (22, 23):
        (srcdir / 'issues' / f'{numero:03d}.md').unlink()
    # Two pages, the section referred to on the second.
    reference = REFERENCE_ISSUE.replace('{paragraphs}', paragraphs(10))
    (srcdir / 'issues' / '024.md').write_text(reference, encoding='utf-8')
    # Three pages: the foot's « 1 / 3 » is not the predicted « 1 / 2 ».
    (srcdir / 'issues' / '025.md').write_text(long_issue(25, 16, 'trois'), encoding='utf-8')
    (srcdir / 'issues' / '026.md').write_text(long_issue(26, 10, 'deux'), encoding='utf-8')
    # One page, as predicted from its length.
    (srcdir / 'issues' / '027.md').write_text(long_issue(27, 2, 'une'), encoding='utf-8')
    return srcdir


@pytest.mark.parametrize(
    ('project', 'once'),
    [
        ('n20', {'galien-020': True}),
        (
            'clinical',
            # 021 has tables (longtable keeps its column widths in the .aux), 024 refers
            # to its own section, 025 needs three pages: latexmk runs those from an empty
            # .aux, as many times as it finds needed (twice here), which is its business.
            {
                'galien-021': False,
                'galien-024': False,
                'galien-025': False,
                'galien-026': True,
                'galien-027': True,
            },
        ),
    ],
)
def test_a_clean_build_runs_lualatex_once_where_once_is_enough(project, once, sources, tmp_path):
    srcdir = PROJECT_DIR if project == 'n20' else sources
    runs = build(srcdir, tmp_path / 'onepass', tmp_path)
    assert runs.keys() == once.keys()
    assert {job for job, count in runs.items() if count == 1} == {job for job in once if once[job]}
    # As before: every issue from an empty .aux, at least twice.
    runs = build(srcdir, tmp_path / 'twopass', tmp_path, PDFONEPASS='no')
    assert runs.keys() == once.keys()
    assert min(runs.values()) >= 2, runs
    for job in once:
        onepass = tmp_path / 'onepass' / 'latex' / f'{job}.pdf'
        twopass = tmp_path / 'twopass' / 'latex' / f'{job}.pdf'
        assert pdftotext(onepass) == pdftotext(twopass), job
        images = page_images(onepass, tmp_path / f'{job}-onepass')
        assert images == page_images(twopass, tmp_path / f'{job}-twopass'), job
        if job == 'galien-025':
            assert len(images) >= 3
            assert f'1/{len(images)}' in pdftotext(onepass)
        else:
            assert len(images) == PAGES.get(job, 2), job
        assert onepass.read_bytes() == twopass.read_bytes(), job
    if project == 'clinical':
        long_text = pdftotext(tmp_path / 'onepass' / 'latex' / 'galien-025.pdf')
        assert '/ ??' not in long_text
        reference = pdftotext(tmp_path / 'onepass' / 'latex' / 'galien-024.pdf')
        assert 'Plus loin' in reference and '??' not in reference
