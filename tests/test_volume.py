"""The annual volume (issue 32): ``make volume ANNEE=2018``.

A tree of thirteen generated issues (twelve of 2018, one of 2019) and a draft of
December 2018; N° 6 is long enough for two pages, its second naming a drug no
other issue of the year names. ``python -m galien volume --annee 2018`` (what
``make volume`` runs) gives one PDF/A-2b and one ePub: the PDF is the front
matter, the twelve issues' own pages and the drug index, its outline lists the
issues, its index sends the reader to the page where the drug is printed;
the ePub passes epubcheck and Ace. A second run with nothing changed does not
run LuaLaTeX; a year with no issue says so in one French line.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from typing import TYPE_CHECKING

import pikepdf
import pytest
from pikepdf import pdfa

from archive import write_archive
from galien.print.volume_pdf import make_volume_pdf
from helpers import ace, ace_violations, assert_epub_clean, require_tool, run_module

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

YEAR = 2018
MONTHS = ('janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
          'septembre', 'octobre', 'novembre', 'décembre')  # fmt: skip
LONG_ISSUE = 6
#: Named only at the end of N° 6 (the generated issues of 2018 never name it).
LATE_DRUG = 'pomalidomide'
#: Named only by the draft.
DRAFT_DRUG = 'lénalidomide'
DRAFT_TITLE = 'Numéro en préparation'
FILLER = (
    'Ce paragraphe allonge le numéro pour que sa fin passe en deuxième page : '
    'les patients de ≥ 75 ans reçoivent 80 µg/mL par m², selon le protocole. '
) * 6
DRAFT = f"""---
numero: 14
date: {YEAR}-12
titre: {DRAFT_TITLE}
brouillon: oui
---

# Brouillon

Un brouillon qui cite {{dci}}`{DRAFT_DRUG}`.
"""


def galien(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_module('galien', *arguments, cwd=cwd, timeout=900)


def page_text(pdf: Path, number: int) -> str:
    result = subprocess.run(
        [require_tool('pdftotext'), '-f', str(number), '-l', str(number), str(pdf), '-'],
        capture_output=True,
        text=True,
        check=True,
    )
    return ' '.join(result.stdout.split())


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as document:
        return len(document.pages)


def outline(pdf: Path) -> list[tuple[str, int]]:
    """The outline's top entries: title and page (from 1)."""
    with pikepdf.open(pdf) as document, document.open_outline() as tree:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        return [
            (str(item.title), pages[item.destination[0].objgen])  # type: ignore[index]
            for item in tree.root
        ]


@pytest.fixture(scope='module')
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_archive(tmp_path_factory.mktemp('volume') / 'src', 13, YEAR)
    long_issue = root / 'issues' / f'{LONG_ISSUE:03d}.md'
    text = long_issue.read_text(encoding='utf-8')
    filler = '\n\n'.join([FILLER] * 14)
    text += f'\n## Complément\n\n{filler}\n\nEn fin de numéro : {{dci}}`{LATE_DRUG}`.\n'
    long_issue.write_text(text, encoding='utf-8')
    (root / 'issues' / '014.md').write_text(DRAFT, encoding='utf-8')
    result = galien('volume', '--annee', str(YEAR), '--builddir', '_build', '-q', cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope='module')
def volume(project: Path) -> Path:
    return project / '_build' / 'volume' / f'galien-{YEAR}.pdf'


def issue_pdf(project: Path, numero: int) -> Path:
    return project / '_build' / 'latex' / f'galien-{numero:03d}.pdf'


def test_outline_lists_the_twelve_issues_in_order(volume):
    titles = [title for title, _page in outline(volume)]
    issues = [f'Galien N° {n} – {MONTHS[n - 1]} {YEAR}' for n in range(1, 13)]
    assert titles == ['Page de titre', 'Sommaire', *issues, 'Index des médicaments']
    # Below each issue, its own sections, on its own pages.
    with pikepdf.open(volume) as document, document.open_outline() as tree:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        entry = tree.root[2 + LONG_ISSUE - 1]
        start = pages[entry.destination[0].objgen]  # type: ignore[index]
        sections = {
            str(c.title): pages[c.destination[0].objgen]  # type: ignore[index]
            for c in entry.children
        }
        news = next(c for c in entry.children if str(c.title) == 'Dans l’actualité')
        below = {
            str(c.title): pages[c.destination[0].objgen]  # type: ignore[index]
            for c in news.children
        }
    assert list(sections)[:3] == ['Le chiffre du mois', 'Nouvelles AMM', 'Dans l’actualité']
    assert sections['Le chiffre du mois'] == start
    assert list(below) == ['Article 6', 'Complément']
    assert 'Complément' in page_text(volume, below['Complément'])  # where its heading is


def test_pages_are_the_front_matter_the_issues_as_printed_and_the_index(project, volume):
    entries = dict(outline(volume))
    starts = [entries[f'Galien N° {n} – {MONTHS[n - 1]} {YEAR}'] for n in range(1, 13)]
    counts = [page_count(issue_pdf(project, n)) for n in range(1, 13)]
    assert counts[LONG_ISSUE - 1] >= 2  # the long issue really is longer
    front = starts[0] - 1
    index = entries['Index des médicaments']
    index_pages = page_count(volume) - index + 1
    assert front >= 2 and index_pages >= 1
    assert page_count(volume) == front + sum(counts) + index_pages
    # Each issue is where the outline says, its pages those of its own PDF.
    for numero, (start, count) in enumerate(zip(starts, counts, strict=True), start=1):
        for offset in range(count):
            printed = page_text(issue_pdf(project, numero), offset + 1)
            assert page_text(volume, start + offset) == printed, (numero, offset)
    assert index == starts[-1] + counts[-1]
    assert 'Volume 2018' in page_text(volume, 1)
    assert 'Sommaire' in page_text(volume, 2)
    assert 'Les chiffres du mois de 2018' in ''.join(
        page_text(volume, n) for n in range(2, front + 1)
    )
    assert 'Index des médicaments' in page_text(volume, index)


def test_the_index_sends_to_the_page_where_the_drug_is_printed(volume):
    entries = dict(outline(volume))
    index = entries['Index des médicaments']
    text = ' '.join(page_text(volume, n) for n in range(index, page_count(volume) + 1))
    match = re.search(rf'{LATE_DRUG} .*?N° {LONG_ISSUE}, p\. (\d+)', text)
    assert match, text
    page = int(match[1])
    start = entries[f'Galien N° {LONG_ISSUE} – {MONTHS[LONG_ISSUE - 1]} {YEAR}']
    assert page > start  # not the issue's first page: the page it is printed on
    assert LATE_DRUG in page_text(volume, page)
    # Every reference of an entry falls within its issue's pages, on a page naming the drug
    # by its DCI or its brand (sorafénib: N° 6 to 10, the long N° 6 among them).
    starts = {n: entries[f'Galien N° {n} – {MONTHS[n - 1]} {YEAR}'] for n in range(1, 13)}
    ends = {n: starts.get(n + 1, index) - 1 for n in starts}
    entry = re.search(r'sorafénib \(Nexavar®\)(.*?)(?:[a-zé]+ \(|$)', text)
    assert entry, text
    references = re.findall(r'N° (\d+), p\. (\d+)', entry[1])
    assert references
    for numero, page_number in ((int(n), int(p)) for n, p in references):
        assert starts[numero] <= page_number <= ends[numero]
        printed = page_text(volume, page_number).casefold()
        assert 'sorafénib' in printed or 'nexavar®' in printed  # some issues name the brand


def test_the_volume_is_pdfa_2b(volume):
    report = pdfa.validate_written(volume, '2b')
    assert report.passed, [str(f) for f in report.findings]
    with pikepdf.open(volume) as document:
        assert str(document.docinfo.Title) == f'Galien – volume {YEAR}'
        assert str(document.Root.Lang) == 'fr'
        labels = document.Root.PageLabels.Nums
        assert labels[0] == 0 and labels[1].S == '/D'


def test_drafts_and_other_years_stay_out(project, volume):
    whole = ' '.join(page_text(volume, n) for n in range(1, page_count(volume) + 1))
    assert DRAFT_DRUG not in whole and DRAFT_TITLE not in whole
    assert 'N° 13' not in whole and '2019' not in whole
    with zipfile.ZipFile(project / '_build' / 'volume' / f'galien-{YEAR}.epub') as book:
        names = book.namelist()
        pages = sorted(n for n in names if re.fullmatch(r'issues/\d+\.xhtml', n))
        assert pages == [f'issues/{n:03d}.xhtml' for n in range(1, 13)]
        text = ''.join(book.read(n).decode('utf-8') for n in names if n.endswith('.xhtml'))
        assert DRAFT_DRUG not in text and DRAFT_TITLE not in text
        package = book.read('content.opf').decode('utf-8')
        # The book reads from January to December: its spine takes the issues oldest first.
        files = dict(re.findall(r'<item id="([^"]+)" href="(issues/\d+\.xhtml)"', package))
        spine = [files[i] for i in re.findall(r'<itemref idref="([^"]+)"', package) if i in files]
        assert spine == pages
        assert '<meta property="belongs-to-collection" id="collection">Galien</meta>' in package
        assert '<meta property="group-position" refines="#collection">2018</meta>' in package


def test_the_epub_passes_epubcheck_and_ace(project, tmp_path):
    book = project / '_build' / 'volume' / f'galien-{YEAR}.epub'
    assert_epub_clean(book)
    assert ace_violations(ace(book, tmp_path / 'ace')) == []


def test_a_year_without_issues_says_so(project):
    result = galien('volume', '--annee', '2016', '--builddir', '_build', '-q', cwd=project)
    assert result.returncode == 1
    assert 'aucun numéro publié en 2016' in result.stderr
    assert 'Traceback' not in result.stdout + result.stderr
    assert not (project / '_build' / 'volume' / 'galien-2016.pdf').exists()


def test_an_issue_citing_another_year_builds_without_warnings(project):
    """N° 13 (2019) cites N° 12 and N° 6, outside its volume: text there, no warning."""
    result = galien('volume', '--annee', '2019', '--builddir', '_build', '-q', cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'WARNING' not in result.stdout + result.stderr
    folder = project / '_build' / 'volume'
    with zipfile.ZipFile(folder / 'galien-2019.epub') as book:
        pages = sorted(n for n in book.namelist() if re.fullmatch(r'issues/\d+\.xhtml', n))
        assert pages == ['issues/013.xhtml']
        assert 'Galien 12' in book.read('issues/013.xhtml').decode('utf-8')
    assert outline(folder / 'galien-2019.pdf')[2][0] == 'Galien N° 13 – janvier 2019'


def test_the_volume_is_reproducible(project, tmp_path, monkeypatch):
    """With ``SOURCE_DATE_EPOCH``, the same plan and issues give the same bytes, anywhere."""
    monkeypatch.setenv('SOURCE_DATE_EPOCH', '1546300800')  # 1 January 2019
    plan = project / '_build' / 'volume' / f'galien-{YEAR}.json'
    made = []
    for folder in ('one', 'two'):
        target = tmp_path / folder / f'galien-{YEAR}.pdf'
        target.parent.mkdir()
        assert make_volume_pdf(plan, project / '_build' / 'latex', target)
        made.append(target.read_bytes())
    assert made[0] == made[1]
    assert pdfa.validate_written(tmp_path / 'one' / f'galien-{YEAR}.pdf', '2b').passed


def test_an_unchanged_year_runs_no_latex(project, volume):
    """Last: runs the command again. LuaLaTeX's log and the volume keep their dates."""
    log = volume.with_name(f'galien-{YEAR}-pages.log')
    before = (log.stat().st_mtime_ns, volume.stat().st_mtime_ns, volume.read_bytes())
    result = galien('volume', '--annee', str(YEAR), '--builddir', '_build', '-q', cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '(à jour)' in result.stdout
    assert (log.stat().st_mtime_ns, volume.stat().st_mtime_ns, volume.read_bytes()) == before
    assert not list(volume.parent.glob('*.job'))
