"""The print edition: one PDF per issue that reads as the printed letter.

Checked on the PDF itself, as a reader or a printer would see it: its text
(pdftotext), its information dictionary and page size (pdfinfo), its fonts
(pdffonts). Each build runs ``sphinx-build -M latexpdf`` as ``make latexpdf``
does, into a temporary folder.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from archive import BIB, ROOT_CONF, write_archive
from conftest import PROJECT_DIR, TESTS_DIR
from helpers import N20_BOARD, NBSP, page_picture, require_tool

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.slow

A4_POINTS = (595.276, 841.89)


# -- tools --------------------------------------------------------------------


def run_tool(name: str, *args: str) -> str:
    result = subprocess.run([require_tool(name), *args], capture_output=True, text=True, check=True)
    return result.stdout


def flat(text: str) -> str:
    """Text with every run of spaces (non-breaking ones too) as one space."""
    return ' '.join(text.replace(NBSP, ' ').replace('\u202f', ' ').split())


def pdf_text(pdf: Path, *pages: int, raw: bool = False) -> str:
    """The PDF's text in reading order, optionally of one page range ``first, last``.

    ``raw``: in the order the page draws it (what copy and paste and assistive
    tools follow), not guessed from the words' boxes: the chiffre's 72 pt figure
    has a box taller than the block's title bar.
    """
    options = ['-f', str(pages[0]), '-l', str(pages[-1])] if pages else []
    if raw:
        options.append('-raw')
    return flat(run_tool('pdftotext', *options, str(pdf), '-'))


def pdfinfo(pdf: Path) -> dict[str, str]:
    lines = run_tool('pdfinfo', str(pdf)).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(':') for line in lines)}


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """One row per font: name, type and whether it is embedded (``emb``)."""
    rows = run_tool('pdffonts', str(pdf)).splitlines()[2:]
    fonts = []
    for row in rows:
        match = re.match(r'(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s', row)
        assert match, row
        fonts.append({'name': match[1], 'type': match[2], 'emb': match[4]})
    return fonts


def pdf_objects(pdf: Path) -> bytes:
    """The PDF's bytes with its compressed streams inflated (catalog, annotations)."""
    data = pdf.read_bytes()
    parts = [data]
    for match in re.finditer(rb'stream\r?\n(.*?)endstream', data, re.DOTALL):
        try:
            parts.append(zlib.decompress(match[1]))
        except zlib.error:
            continue
    return b'\n'.join(parts)


def pdf_unicode_strings(objects: bytes) -> set[str]:
    """The PDF's UTF-16 text strings (bookmarks, information), decoded."""
    escapes = {b'n': b'\n', b'r': b'\r', b't': b'\t', b'b': b'\b', b'f': b'\f'}

    def unescape(match: re.Match[bytes]) -> bytes:
        code = match[1]
        return bytes([int(code, 8)]) if code[:1].isdigit() else escapes.get(code, code)

    strings = set()
    for match in re.finditer(rb'\(((?:\\376\\377|\xfe\xff)(?:[^\\()]|\\.)*)\)', objects, re.DOTALL):
        raw = re.sub(rb'\\([0-7]{1,3}|.)', unescape, match[1], flags=re.DOTALL)
        strings.add(raw[2:].decode('utf-16-be', errors='replace'))
    # The same strings in hexadecimal, as qpdf writes them (the PDF/A step, pdfa.py).
    for match in re.finditer(rb'<[fF][eE][fF][fF]((?:[0-9a-fA-F]{4})*)>', objects):
        strings.add(bytes.fromhex(match[1].decode()).decode('utf-16-be', errors='replace'))
    return strings


def latexpdf(
    srcdir: Path,
    build_dir: Path,
    *options: str,
    quiet: bool = True,
    path: str = '/usr/bin:/bin',
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -M latexpdf``, as ``make latexpdf`` runs it; not checked.

    Not ``quiet``, Sphinx names each ``.tex`` it writes ("processing galien-020.tex").
    """
    return subprocess.run(
        [
            sys.executable,
            '-m',
            'sphinx',
            '-M',
            'latexpdf',
            str(srcdir),
            str(build_dir),
            *(['-q'] if quiet else []),
            *options,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={
            'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
            'PATH': path,
            'LANG': 'C.UTF-8',
            **env,
        },
    )


# -- the real N°20 ------------------------------------------------------------


@pytest.fixture(scope='module')
def real_build(project_build: Callable[[str], Path]) -> Path:
    """``make latexpdf`` on the project, strictly (-W), shared with the other files' tests."""
    return project_build('latexpdf') / 'latex'


@pytest.fixture(scope='module')
def issue_20(real_build: Path) -> Path:
    return real_build / 'galien-020.pdf'


def test_one_pdf_per_issue_named_by_its_number(real_build):
    issues = sorted(p.stem for p in (PROJECT_DIR / 'issues').glob('[0-9][0-9][0-9].md'))
    assert sorted(p.name for p in real_build.glob('*.pdf')) == [
        f'galien-{stem}.pdf' for stem in issues
    ]


def test_page_one_is_the_letter_with_its_masthead(issue_20):
    page_one = pdf_text(issue_20, 1)
    assert page_one.startswith(
        'GaLIEN Centre Oscar Lambret – Centre Régional de Lutte '
        'Contre le Cancer La lettre d’information sur les médicaments '
        'innovants en cancérologie N° 20 – FÉVRIER 2018'
    )
    # No Sphinx title page, table of contents or numbered chapters.
    for manual_only in ('Table des matières', 'Chapitre', 'Version', 'Release', '1 Dans'):
        assert manual_only not in page_one


def test_chiffre_du_mois_opens_the_letter(issue_20):
    page_one = pdf_text(issue_20, 1, raw=True)
    chiffre = page_one[page_one.index('LE CHIFFRE DU MOIS') :]
    assert chiffre.startswith('LE CHIFFRE DU MOIS 15 C’est le nombre d’objectifs')
    assert 'Source : https://www.leem.org/' in chiffre
    assert page_one.index('LE CHIFFRE DU MOIS') < page_one.index('DANS L’ACTUALITÉ')


def test_board_colophon_and_running_foot(issue_20):
    text = pdf_text(issue_20)
    board = text[text.index('BOARD SCIENTIFIQUE') :]
    for name in N20_BOARD:
        assert name in board
    assert 'Directeur de publication : Pr E. Lartigau' in board
    assert 'Comité de rédaction : Pr JL. Cazin, Dr D. Cochelard' in board
    pages = int(pdfinfo(issue_20)['Pages'])
    for page in range(1, pages + 1):
        assert re.search(
            rf'Galien N° 20 – février 2018 {page} ?/ ?{pages}', pdf_text(issue_20, page)
        ), page


def test_citation_is_a_footnote_without_french_space_before_colon(issue_20):
    text = pdf_text(issue_20)
    assert 'Source : Ravì et al., 2017 1' in text
    assert (
        '1. Ravì D, Wong C, Deligianni F, Berthelot M, Andreu-Perez J, Lo B, et al. '
        'Deep Learning for Health Informatics. IEEE J Biomed Health Inform. '
        '2017;21(1):4-21. doi:10.1109/JBHI.2016.2636665'
    ) in text
    assert '2017 ;21(1) :4' not in text
    # The call "1" is a link to its note.
    # (LuaTeX writes /S first, qpdf sorts the keys: the PDF/A step, pdfa.py.)
    assert re.search(
        rb'/S\s*/GoTo\s*/D\s*\(Hfootnote\.1\)|/D\s*\(Hfootnote\.1\)\s*/S\s*/GoTo',
        pdf_objects(issue_20),
    )
    assert 'Galien 7' in text and 'Galien 2' in text


def test_two_a4_pages_with_metadata(issue_20):
    info = pdfinfo(issue_20)
    assert int(info['Pages']) <= 2
    width, height = (float(v) for v in re.findall(r'[\d.]+', info['Page size'])[:2])
    assert (round(width, 1), round(height, 1)) == (round(A4_POINTS[0], 1), round(A4_POINTS[1], 1))
    assert info['Title'] == 'Galien N° 20 – février 2018'  # plain spaces, searchable
    assert info['Author'] == 'Centre Oscar Lambret'
    assert info['Subject'] == (
        'La lettre d’information sur les médicaments innovants en cancérologie'
    )
    objects = pdf_objects(issue_20)
    assert re.search(rb'/Lang\s*\(fr\)', objects)
    assert (
        b'/URI(https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf)'
        in objects.replace(b'/URI ', b'/URI')
    )


def test_bookmarks_keep_french_accents(issue_20):
    strings = {flat(s) for s in pdf_unicode_strings(pdf_objects(issue_20))}
    assert {'Dans l’actualité', '« Deep Learning » ?'} <= strings


def test_every_font_is_embedded(issue_20):
    fonts = pdffonts(issue_20)
    assert fonts
    assert [f['name'] for f in fonts if f['emb'] != 'yes'] == []
    assert [f['name'] for f in fonts if 'Type 3' in f['type']] == []  # no bitmap fonts
    # The letter's OpenType fonts (LuaLaTeX), subset and embedded: N°20 needs no fallback.
    assert {f['name'].split('+')[-1] for f in fonts} <= {
        'TeXGyreTermes-Regular',
        'TeXGyreTermes-Bold',
        'TeXGyreTermes-Italic',
        'TeXGyreTermes-BoldItalic',
        'TeXGyreHeros-Regular',
        'TeXGyreHeros-Bold',
        'TeXGyreHeros-Italic',
        'TeXGyreHeros-BoldItalic',
    }


def test_page_one_picture_for_review(issue_20, tmp_path):
    """A PNG of page 1 in the test's folder, for people to look at: a printed A4 page."""
    page_picture(issue_20, tmp_path / 'galien-020-page1.png')


# -- generated issues -----------------------------------------------------------

INDEX = '# Galien\n\n```{toctree}\n:glob:\n\nissues/*\n```\n'

SPECIALS = r"""---
numero: 30
date: 2019-06
titre: 'R&D à 100 % — 5 $ & 3 € {brut} #1 ~ ^ \ _fin_'
---

```{chiffre-du-mois} 3,5 %
:source: https://example.org/a_b?x=1&y=%20#frag

Part des **patients** : « 3,5 % » des cas — soit 1 sur 3 ; signes & % $ # _ { } ~ ^ \ fin.
```

# Dans l'actualité

## Coûts & « bénéfices » — 100 % ?

Texte avec & % $ # _ { } ~ ^ \ et `code & % $ # _ { } ~ ^ \` puis https://example.org/%7Eu/a_b#c.

```{board} Board & co #1 ✨
- Pr P. Arnaud (Paris)
- Dr 李 Wei 😀 (Lille)
- Mme Ż. Łódź-Şahin (Œuilly)
```
"""


TAGLINE = 'La lettre & co : 100 % {brut} #1 ~ ^ \\ _x_ « ok » — fin'


def write_project(root: Path, issues: dict[str, str]) -> Path:
    (root / 'issues').mkdir(parents=True)
    (root / 'conf.py').write_text(ROOT_CONF, encoding='utf-8')
    (root / 'refs.bib').write_text(BIB, encoding='utf-8')
    (root / 'index.md').write_text(INDEX, encoding='utf-8')
    for name, text in issues.items():
        (root / 'issues' / name).write_text(text, encoding='utf-8')
    return root


def test_latex_specials_survive_into_the_pdf(tmp_path):
    srcdir = write_project(tmp_path / 'src', {'030.md': SPECIALS})
    result = latexpdf(
        srcdir,
        tmp_path / 'build',
        '-D',
        f'galien_tagline={TAGLINE}',
        '-D',
        'galien_publisher=R&D $5 #2',
        '-D',
        'project=Ga&lien_{1}',
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = tmp_path / 'build/latex/galien-030.pdf'
    info = pdfinfo(pdf)
    assert info['Title'] == 'Ga&lien_{1} N° 30 – juin 2019'
    assert flat(info['Subject']) == TAGLINE
    text = pdf_text(pdf)
    assert f'R&D $5 #2 {TAGLINE} N° 30 – JUIN 2019' in text
    assert 'R&D à 100 % — 5 $ & 3 € {brut} #1 ~ ^ \\ _fin_' in text  # plain text, as typed
    assert 'N° 30 – JUIN 2019' in text
    assert 'LE CHIFFRE DU MOIS 3,5 %' in pdf_text(pdf, raw=True)
    assert 'Part des patients : « 3,5 % » des cas — soit 1 sur 3 ;' in text
    assert 'signes & % $ # _ { } ~ ^ \\ fin.' in text
    assert 'Source : https://example.org/a_b?x=1&y=%20#frag' in text
    assert 'Coûts & « bénéfices » — 100 % ?' in text
    assert 'Texte avec & % $ # _ { } ~ ^ \\ et code & % $ # _ { } ~ ^ \\ puis' in text
    assert 'BOARD & CO #1 ?' in text
    assert 'Pr P. Arnaud (Paris)' in text
    assert 'Mme Ż. Łódź-Şahin (Œuilly)' in text
    # What pdfLaTeX cannot print is replaced, and the editor told where it is.
    assert 'Dr ? Wei ? (Lille)' in text
    log = result.stderr.replace(str(srcdir) + '/', '')
    assert re.search(
        r'issues/030\.md:21: WARNING: caractère\(s\) impossible\(s\) à imprimer '
        r"en PDF : '李' \(U\+674E\), '😀' \(U\+1F600\)",
        log,
    ), log
    assert "issues/030.md:19: WARNING: caractère(s) impossible(s) à imprimer en PDF : '✨'" in log
    assert '[galien.latex]' in log


def test_latex_error_fails_and_names_the_issue_file(tmp_path):
    broken = (
        '---\nnumero: 31\ndate: 2019-07\n---\n\nUn texte.\n\n'
        # An allowed formula that TeX cannot set (unknown commands never reach TeX).
        '```{math}\na^b^c\n```\n'
    )
    srcdir = write_project(tmp_path / 'src', {'030.md': SPECIALS, '031.md': broken})
    output_dir = tmp_path / 'build/latex'
    for _attempt in ('first build', 'same sources again'):
        before = output_times(output_dir) if output_dir.is_dir() else {}
        result = latexpdf(srcdir, tmp_path / 'build')
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert (
            f"{srcdir}/issues/031.md: ERROR: LaTeX n'a pas pu produire galien-031.pdf : "
            'Double superscript.'
        ) in output, output
        assert 'galien-030.pdf' not in output.split("n'a pas pu produire")[1]
        # The other issue is compiled all the same (make goes on past the error), once.
        assert 'N° 30 – JUIN 2019' in pdf_text(tmp_path / 'build/latex/galien-030.pdf')
        assert not (tmp_path / 'build/latex/galien-031.pdf').exists()
        if before:
            assert 'galien-030.pdf' not in changed_files(before, output_times(output_dir))


def output_times(latex: Path) -> dict[str, int]:
    """Dates of the issues' ``.tex`` and ``.pdf`` files."""
    return {p.name: p.stat().st_mtime_ns for p in sorted(latex.glob('galien-[0-9]*.[pt][de][fx]'))}


def changed_files(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(name for name in after if after[name] != before.get(name))


def test_editing_one_issue_rebuilds_only_its_pdf(tmp_path):
    srcdir = write_archive(tmp_path / 'src', 3)
    build = tmp_path / 'build'
    assert latexpdf(srcdir, build).returncode == 0
    pdfs = sorted((build / 'latex').glob('galien-*.pdf'))
    assert [p.name for p in pdfs] == ['galien-001.pdf', 'galien-002.pdf', 'galien-003.pdf']
    before = output_times(build / 'latex')

    issue = srcdir / 'issues/002.md'
    issue.write_text(
        issue.read_text(encoding='utf-8') + '\nUn paragraphe ajouté.\n', encoding='utf-8'
    )
    result = latexpdf(srcdir, build, quiet=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert changed_files(before, output_times(build / 'latex')) == [
        'galien-002.pdf',
        'galien-002.tex',
    ]
    assert 'Un paragraphe ajouté.' in pdf_text(build / 'latex/galien-002.pdf')
    # The other issues were not even translated to LaTeX again.
    assert 'processing galien-002.tex' in result.stdout
    assert 'processing galien-001.tex' not in result.stdout
    assert 'processing galien-003.tex' not in result.stdout

    # Nothing changed: nothing written, nothing compiled.
    before = output_times(build / 'latex')
    result = latexpdf(srcdir, build, quiet=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'processing galien-' not in result.stdout
    assert 'latexmk -pdf' not in result.stdout
    assert changed_files(before, output_times(build / 'latex')) == []

    # A lost .tex or PDF is made again, alone.
    (build / 'latex/galien-003.tex').unlink()
    (build / 'latex/galien-001.pdf').unlink()
    result = latexpdf(srcdir, build, quiet=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert changed_files(before, output_times(build / 'latex')) == [
        'galien-001.pdf',
        'galien-003.pdf',
        'galien-003.tex',
    ]
    assert 'processing galien-002.tex' not in result.stdout


def png(red: int, green: int, blue: int) -> bytes:
    """A one-pixel PNG of that colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body))

    header = struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, red, green, blue]))
    return (
        b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', pixels) + chunk(b'IEND', b'')
    )


def test_a_changed_image_recompiles_only_the_pdf_showing_it(tmp_path):
    srcdir = write_archive(tmp_path / 'src', 2)
    (srcdir / 'issues/schema.png').write_bytes(png(200, 0, 0))
    issue = srcdir / 'issues/002.md'
    issue.write_text(
        issue.read_text(encoding='utf-8') + '\n![Schéma du traitement](schema.png)\n',
        encoding='utf-8',
    )
    build = tmp_path / 'build'
    assert latexpdf(srcdir, build).returncode == 0
    before = output_times(build / 'latex')

    (srcdir / 'issues/schema.png').write_bytes(png(0, 0, 200))
    result = latexpdf(srcdir, build)
    assert result.returncode == 0, result.stdout + result.stderr
    assert changed_files(before, output_times(build / 'latex')) == ['galien-002.pdf']
    assert (build / 'latex/schema.png').read_bytes() == png(0, 0, 200)


EXTRA_STY = '\\ProvidesPackage{extra}\n\\newcommand\\galienextra{%s}\n'


def test_a_changed_support_file_recompiles_every_pdf_but_rewrites_no_tex(tmp_path):
    """A new class or style file (here one in latex_additional_files) changes every PDF."""
    srcdir = write_archive(tmp_path / 'src', 2)
    (srcdir / 'conf.py').write_text(
        ROOT_CONF + "latex_additional_files = ['extra.sty']\n"
        "latex_elements = {'preamble': r'\\usepackage{extra}'}\n",
        encoding='utf-8',
    )
    (srcdir / 'extra.sty').write_text(EXTRA_STY % 'un', encoding='utf-8')
    build = tmp_path / 'build'
    assert latexpdf(srcdir, build).returncode == 0
    before = output_times(build / 'latex')

    (srcdir / 'extra.sty').write_text(EXTRA_STY % 'deux', encoding='utf-8')
    result = latexpdf(srcdir, build)
    assert result.returncode == 0, result.stdout + result.stderr
    assert changed_files(before, output_times(build / 'latex')) == [
        'galien-001.pdf',
        'galien-002.pdf',
    ]


def test_a_changed_configuration_rewrites_every_tex(tmp_path):
    srcdir = write_archive(tmp_path / 'src', 2)
    build = tmp_path / 'build'
    assert latexpdf(srcdir, build).returncode == 0
    before = output_times(build / 'latex')
    result = latexpdf(
        srcdir, build, '-D', 'latex_elements.preamble=\\newcommand\\unmot{}', quiet=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'processing galien-001.tex' in result.stdout
    assert 'processing galien-002.tex' in result.stdout
    assert changed_files(before, output_times(build / 'latex')) == [
        'galien-001.pdf',
        'galien-001.tex',
        'galien-002.pdf',
        'galien-002.tex',
    ]
    assert '\\newcommand\\unmot{}' in (build / 'latex/galien-001.tex').read_text(encoding='utf-8')


LATEXMK_SPY = """#!/bin/sh
# Note when each latexmk run starts and ends, then run the real one.
echo "start $*" >> "$LATEXMK_JOURNAL"
{latexmk} "$@"
status=$?
echo "end $*" >> "$LATEXMK_JOURNAL"
exit $status
"""


@pytest.mark.parametrize('jobs', ['1', '2'])
def test_pdfs_are_compiled_in_parallel(tmp_path, jobs):
    """``PDFJOBS`` PDFs at a time (one per core by default), every one complete."""
    spy = tmp_path / 'spy'
    spy.mkdir()
    (spy / 'latexmk').write_text(
        LATEXMK_SPY.format(latexmk=require_tool('latexmk')), encoding='utf-8'
    )
    (spy / 'latexmk').chmod(0o755)
    journal = tmp_path / 'journal.txt'
    srcdir = write_archive(tmp_path / 'src', 2)
    result = latexpdf(
        srcdir,
        tmp_path / 'build',
        path=f'{spy}:/usr/bin:/bin',
        PDFJOBS=jobs,
        LATEXMK_JOURNAL=str(journal),
        # The spy and its journal are outside the LaTeX jobs' sandbox (test_confined_build.py).
        CONFINE='',
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for numero, month in ((1, 'JANVIER'), (2, 'FÉVRIER')):
        text = pdf_text(tmp_path / f'build/latex/galien-{numero:03d}.pdf')
        assert f'N° {numero} – {month} 2018' in text
    events = [line.split()[0] for line in journal.read_text(encoding='utf-8').splitlines()]
    assert sorted(events) == ['end'] * 2 + ['start'] * 2
    if jobs == '1':
        assert events == ['start', 'end'] * 2
    else:
        # The second PDF starts before the first one is done.
        assert events[:2] == ['start', 'start']


def test_a_new_issue_file_adds_its_pdf_and_a_removed_one_takes_it_away(tmp_path):
    srcdir = write_archive(tmp_path / 'src', 1)
    build = tmp_path / 'build'
    assert latexpdf(srcdir, build).returncode == 0
    first = (build / 'latex/galien-001.pdf').stat().st_mtime_ns
    (srcdir / 'issues/002.md').write_text(
        (srcdir / 'issues/001.md')
        .read_text(encoding='utf-8')
        .replace('numero: 1', 'numero: 2')
        .replace('2018-01', '2018-02'),
        encoding='utf-8',
    )
    assert latexpdf(srcdir, build).returncode == 0
    assert 'N° 2 – FÉVRIER 2018' in pdf_text(build / 'latex/galien-002.pdf')
    assert (build / 'latex/galien-001.pdf').stat().st_mtime_ns == first
    # ...and removing it removes its PDF, so the site never publishes it.
    (srcdir / 'issues/002.md').unlink()
    assert latexpdf(srcdir, build).returncode == 0
    assert sorted(p.name for p in (build / 'latex').glob('galien-*.[pt][de][fx]')) == [
        'galien-001.pdf',
        'galien-001.tex',
    ]


# -- the deployable site ------------------------------------------------------------


def local_links(html_file: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files that a page's relative links ending in ``suffixes`` point to."""
    soup = BeautifulSoup(html_file.read_text(encoding='utf-8'), 'html.parser')
    hrefs = [a['href'] for a in soup.find_all('a', href=True)]
    return [
        (html_file.parent / href).resolve()
        for href in hrefs
        if href.endswith(suffixes) and '://' not in href
    ]


def test_make_site_assembles_website_pdfs_and_epub(tmp_path):
    venv = Path(sys.prefix)
    result = subprocess.run(
        [
            'make',
            '--no-print-directory',
            'site',
            f'BUILDDIR={tmp_path}',
            f'VENV={venv}',
            '-o',
            str(venv / '.requirements-runtime.txt'),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / 'site'
    assert (site / 'index.html').is_file()
    assert (site / 'galien.epub').read_bytes()[:2] == b'PK'
    (pdf,) = local_links(site / 'issues/020.html', ('.pdf',))
    assert pdf == (site / 'pdf/galien-020.pdf').resolve()
    assert flat(pdfinfo(pdf)['Title']) == 'Galien N° 20 – février 2018'
    for page in site.rglob('*.html'):
        for target in local_links(page, ('.pdf', '.epub')):
            assert target.is_file(), f'{page.relative_to(site)} -> {target}'
