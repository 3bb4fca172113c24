"""The print edition for the archive: PDF/A-2b, with its metadata, and reproducible (issue 21).

Every PDF of N° 20 (the real tree) and of the clinical issues 21–24
(``tests/roots/test-clinical``: figures, tables, fallback fonts, links) is
validated by pikepdf's PDF/A validator; the XMP packet carries the issue's
title, publisher, language, date and ISSN. The PDF/A step changes nothing a
reader sees: each page's image (``pdftoppm``), the text, the outline, the links,
``/Lang`` and the embedded fonts are those of the PDF LuaLaTeX wrote (built with
``PDFSTEP=true``, the Makefile's hook left empty). With ``SOURCE_DATE_EPOCH``, two
clean builds in two folders give the same bytes. The step's process loads no Sphinx,
and a PDF it cannot make archival names the issue file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

import pikepdf
import pytest
from bs4 import BeautifulSoup
from pikepdf import pdfa
from test_print_edition import latexpdf, pdffonts

from archive import write_archive
from conftest import CLINICAL_EPOCH, PROJECT_DIR, TESTS_DIR
from helpers import assert_epub_clean, require_tool, run_sphinx

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

CLINICAL = TESTS_DIR / 'roots' / 'test-clinical'
ISSN = '0378-5955'


def build(srcdir: Path, build_dir: Path, *options: str, **env: str) -> dict[str, Path]:
    result = latexpdf(srcdir, build_dir, *options, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    pdfs = sorted((build_dir / 'latex').glob('galien-[0-9]*.pdf'))
    assert pdfs
    return {p.name: p for p in pdfs}


@pytest.fixture(scope='module')
def clinical(
    tmp_path_factory: pytest.TempPathFactory, clinical_print: Path
) -> dict[str, dict[str, Path]]:
    """The clinical root as made twice (the run's shared build, and one in another folder from
    another copy), and once without the PDF/A step."""
    root = tmp_path_factory.mktemp('clinical')
    source = shutil.copytree(CLINICAL, root / 'src')
    first = sorted((clinical_print / 'latex').glob('galien-[0-9]*.pdf'))
    return {
        'first': {p.name: p for p in first},
        'second': build(source, root / 'second', SOURCE_DATE_EPOCH=CLINICAL_EPOCH),
        'latex': build(source, root / 'latex', SOURCE_DATE_EPOCH=CLINICAL_EPOCH, PDFSTEP='true'),
    }


@pytest.fixture(scope='module')
def issue_20(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdfs = build(PROJECT_DIR, tmp_path_factory.mktemp('n20'), '-D', f'galien_issn={ISSN}')
    return pdfs['galien-020.pdf']


def xmp(pdf: Path) -> dict[str, object]:
    with pikepdf.open(pdf) as document:
        meta = document.open_metadata()
        return {key: meta[key] for key in meta}


def test_every_pdf_is_pdfa_2b(clinical, issue_20):
    pdfs = [issue_20, *clinical['first'].values()]
    assert [p.name for p in pdfs] == [
        'galien-020.pdf',
        'galien-021.pdf',
        'galien-022.pdf',
        'galien-023.pdf',
        'galien-024.pdf',
    ]
    for pdf in pdfs:
        report = pdfa.validate_written(pdf, '2b')
        assert report.passed, (pdf.name, [str(f) for f in report.findings])
    # ...and the PDF LuaLaTeX writes alone is not.
    assert not pdfa.validate_written(clinical['latex']['galien-021.pdf'], '2b').passed


def test_xmp_metadata_of_the_issue(issue_20):
    meta = xmp(issue_20)
    dc = '{http://purl.org/dc/elements/1.1/}'
    assert meta[f'{dc}title'] == 'Galien N° 20 – février 2018'
    assert meta[f'{dc}publisher'] == {
        'Centre Oscar Lambret – Centre Régional de Lutte Contre le Cancer'
    }
    assert meta[f'{dc}language'] == {'fr'}
    assert meta[f'{dc}date'] == ['2018-02']
    assert meta[f'{dc}identifier'] == f'urn:issn:{ISSN}'
    # The issue as a source, as the website's metadata name it (galien.core.metadata).
    assert meta[f'{dc}source'] == f'Galien, N° 20, février 2018, ISSN {ISSN}'
    assert meta[f'{dc}creator'] == ['Centre Oscar Lambret']
    assert meta['{http://www.aiim.org/pdfa/ns/id/}part'] == '2'
    assert meta['{http://www.aiim.org/pdfa/ns/id/}conformance'] == 'B'
    with pikepdf.open(issue_20) as document:
        assert str(document.Root.Lang) == 'fr'
        assert str(document.docinfo.Title) == 'Galien N° 20 – février 2018'
        # The letter's own information entries went into the XMP packet.
        assert not {'/GalienDate', '/GalienPublisher', '/GalienISSN', '/GalienSource'} & set(
            document.docinfo
        )


def test_without_an_issn_there_is_no_identifier(clinical):
    meta = xmp(clinical['first']['galien-021.pdf'])
    assert '{http://purl.org/dc/elements/1.1/}identifier' not in meta
    assert meta['{http://purl.org/dc/elements/1.1/}source'] == 'Galien, N° 21, mars 2018'
    assert meta['{http://purl.org/dc/elements/1.1/}date'] == ['2018-03']


def page_images(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(
        [require_tool('pdftoppm'), '-r', '72', '-png', str(pdf), str(folder / 'page')], check=True
    )
    return [p.read_bytes() for p in sorted(folder.glob('page*.png'))]


def text(pdf: Path) -> str:
    return subprocess.run(
        [require_tool('pdftotext'), '-layout', str(pdf), '-'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def reader_view(pdf: Path) -> dict[str, object]:
    """What a reader meets besides the pages: outline, links, language, page count."""
    with pikepdf.open(pdf) as document:
        outline = []
        with document.open_outline() as tree:
            pending = list(tree.root)
            while pending:
                item = pending.pop(0)
                outline.append(item.title)
                pending[:0] = list(item.children)
        links = [
            (number, str(a.get('/A', {}).get('/URI', a.get('/Dest', ''))), list(a.Rect))
            for number, page in enumerate(document.pages)
            for a in page.get('/Annots', [])
            if a.get('/Subtype') == '/Link'
        ]
        return {
            'outline': outline,
            'links': links,
            'lang': str(document.Root.get('/Lang')),
            'pages': len(document.pages),
        }


def test_the_pdfa_step_changes_nothing_a_reader_sees(clinical, tmp_path):
    for name, archival in clinical['first'].items():
        latex = clinical['latex'][name]
        assert page_images(archival, tmp_path / f'a-{name}') == page_images(
            latex, tmp_path / f'l-{name}'
        ), name
        assert text(archival) == text(latex), name
        view = reader_view(archival)
        assert view == reader_view(latex), name
        assert view['lang'] == 'fr' and view['outline']
        assert [f['name'] for f in pdffonts(archival) if f['emb'] != 'yes'] == []
    links = reader_view(clinical['first']['galien-021.pdf'])['links']
    assert any(uri.startswith('https://') for _page, uri, _rect in links)  # type: ignore[attr-defined]


#: Runs the step's :func:`main` as its command line does, and prints its exit status and
#: which of these packages the process loaded.
STEP_RUNNER = (
    'import sys\n'
    'from galien.print.pdfa import main\n'
    'status = main(sys.argv[1:])\n'
    'loaded = {name.split(".")[0] for name in sys.modules}\n'
    'print(status, sorted(loaded & {"sphinx", "docutils", "myst_parser", "babel", "pikepdf"}))\n'
)
STEP_ENV = {'PYTHONPATH': str(PROJECT_DIR / 'extensions'), 'PATH': '/usr/bin:/bin'}


def step_pdf(clinical: dict[str, dict[str, Path]], folder: Path, name: str) -> Path:
    """A copy of N° 21 as LuaLaTeX wrote it, under the name the Makefile gives it."""
    pdf = folder / f'{name}.part.pdf'
    pdf.write_bytes(clinical['latex']['galien-021.pdf'].read_bytes())
    return pdf


def test_the_pdfa_step_runs_without_loading_sphinx(clinical, tmp_path):
    """A process per PDF: loading Sphinx took most of its time."""
    pdf = step_pdf(clinical, tmp_path, 'galien-021')
    result = subprocess.run(
        [sys.executable, '-c', STEP_RUNNER, str(pdf)],
        capture_output=True,
        text=True,
        check=False,
        env=STEP_ENV,
    )
    assert result.stdout.split() == ['0', "['pikepdf']"], result.stdout + result.stderr
    assert pdfa.validate_written(pdf, '2b').verdict == 'pass'


def test_a_failure_of_the_step_names_the_issue_file(tmp_path):
    (tmp_path / 'galien-sources.tsv').write_text('galien-021\t/redaction/issues/021.md\n')
    (tmp_path / 'galien-021.part.pdf').write_text('pas un PDF')
    result = subprocess.run(
        [sys.executable, '-m', 'galien.print.pdfa', 'galien-021.part.pdf'],
        capture_output=True,
        text=True,
        check=False,
        env=STEP_ENV,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    line = result.stderr.strip()
    assert line.startswith('/redaction/issues/021.md: ERROR: galien-021.pdf ne peut pas'), line
    assert 'Traceback' not in result.stderr


def test_two_clean_builds_give_the_same_bytes(clinical):
    first, second = clinical['first'], clinical['second']
    assert first.keys() == second.keys()
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    info = subprocess.run(
        [require_tool('pdfinfo'), '-isodates', str(first['galien-021.pdf'])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r'^CreationDate:\s+2018-02-01T00:00:00Z$', info, re.MULTILINE), info


# -- the ISSN in the other editions ---------------------------------------------------

ISSUE_ROOT = TESTS_DIR / 'roots' / 'test-issue'


@pytest.mark.parametrize('builder', ['html', 'epub'])
def test_the_issn_is_in_the_site_and_the_epub(tmp_path, builder):
    result = run_sphinx(
        '-M', builder, str(ISSUE_ROOT), str(tmp_path), '-q', '-D', f'galien_issn={ISSN}'
    )
    assert result.returncode == 0, result.stdout + result.stderr
    if builder == 'html':
        issue = BeautifulSoup(
            (tmp_path / 'html/issues/020.html').read_text(encoding='utf-8'), 'html.parser'
        )
        assert [m['content'] for m in issue.find_all('meta', attrs={'name': 'citation_issn'})] == [
            ISSN
        ]
        return
    epub = tmp_path / 'epub/Galien.epub'
    with zipfile.ZipFile(epub) as book:
        opf = BeautifulSoup(book.read('content.opf'), 'xml')
    identifiers = [i.get_text() for i in opf.find_all('identifier')]
    assert f'urn:issn:{ISSN}' in identifiers and len(identifiers) == 2
    assert_epub_clean(epub)


def test_a_wrong_issn_is_said_and_left_out(tmp_path):
    result = run_sphinx(
        '-M', 'html', str(ISSUE_ROOT), str(tmp_path), '-q', '-D', 'galien_issn=0378-5954'
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "galien_issn : '0378-5954' n'est pas un ISSN (format 1234-5679, clé de contrôle juste)"
    ) in result.stderr
    assert '[galien.config]' in result.stderr
    assert 'citation_issn' not in (tmp_path / 'html/issues/020.html').read_text(encoding='utf-8')


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
<rect x="10" y="10" width="180" height="80" fill="#1b4d89"/>
<text x="20" y="60" font-family="DejaVu Sans" font-size="16" fill="#ffffff">Courbe</text>
</svg>
"""


def test_an_issue_with_an_svg_figure_is_pdfa_2b(tmp_path):
    """A converted SVG is an included PDF, which LuaTeX marks with keys of its own."""
    srcdir = write_archive(tmp_path / 'src', 1)
    (srcdir / 'issues/courbe.svg').write_text(SVG, encoding='utf-8')
    issue = srcdir / 'issues/001.md'
    issue.write_text(
        issue.read_text(encoding='utf-8') + '\n```{figure} courbe.svg\n\nSurvie globale.\n```\n',
        encoding='utf-8',
    )
    pdf = build(srcdir, tmp_path / 'build')['galien-001.pdf']
    report = pdfa.validate_written(pdf, '2b')
    assert report.passed, [str(f) for f in report.findings]
    assert 'Courbe' in text(pdf)
