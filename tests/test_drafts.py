"""Draft issues (``brouillon: oui``): read and checked, published by no edition.

The root ``test-drafts`` has a published issue, N° 20, and a draft, N° 21,
that has a chiffre (427), presents a drug (osimertinib, Tagrisso®) and mentions
another (erlotinib), cites N° 20 and is cited by it (line 17 of 020.md). Words
found only in the draft (``SECRETS``) must appear in no output of any edition.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conftest import PROJECT_DIR, TESTS_DIR
from galien.cli import main
from galien.cli.scaffold import create_issue
from helpers import (
    clean_build,
    page,
    pdftotext,
    require_tool,
    run_module,
    run_sphinx,
    warnings,
)

sys.path.insert(0, str(TESTS_DIR / 'tools'))
from compare_builds import outputs

if TYPE_CHECKING:
    from pathlib import Path

ROOT = TESTS_DIR / 'roots' / 'test-drafts'
#: Only the draft says these.
SECRETS = (
    'Biosimilaires secrets',
    'trastuzumabsecret',
    'brouillonsecret',
    'osimertinib',
    'erlotinib',
    'Tagrisso',
    'issues/021',
    '021.html',
    'galien-021',
    'N°\u00a021',
    'mars 2018',
)
#: Points: taller than a line of text (the logo and the chiffre are large too).
WATERMARK_HEIGHT = 40
#: Points: the margin's tiny numbers (7.1 pt boxes), smaller than any text of the letter.
LINENO_HEIGHT = 7.5
PUBLISHED_EDITIONS = ('html', 'epub', 'latexpdf', 'email', 'text')


def copy_root(destination: Path) -> Path:
    shutil.copytree(ROOT, destination)
    return destination


def set_brouillon(source: Path, value: str) -> None:
    path = source / 'issues/021.md'
    lines = path.read_text(encoding='utf-8').splitlines(keepends=True)
    lines = [f'brouillon: {value}\n' if line.startswith('brouillon:') else line for line in lines]
    path.write_text(''.join(lines), encoding='utf-8')


def build(source: Path, build_dir: Path, *builders: str, options: tuple[str, ...] = ()) -> str:
    """Each builder in turn on shared doctrees, as ``make site`` does; the warnings."""
    log = ''
    for builder in builders:
        result = run_sphinx('-M', builder, str(source), str(build_dir), *options, timeout=600)
        assert result.returncode == 0, f'{builder}:\n{result.stdout}{result.stderr}'
        assert 'Traceback' not in result.stderr, result.stderr
        log += result.stderr
    return log


def every_output(build_dir: Path) -> dict[str, str]:
    """The text of every file the editions wrote (PDFs as text, the ePub member by member)."""
    texts: dict[str, str] = {}
    for path in sorted(build_dir.rglob('*')):
        relative = str(path.relative_to(build_dir))
        if not path.is_file() or relative.startswith('doctrees'):
            continue
        if path.suffix == '.pdf':
            texts[relative] = pdftotext(path, layout=False)
        elif path.suffix == '.epub':
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    texts[f'{relative}!{name}'] = book.read(name).decode('utf-8', 'replace')
        elif path.suffix not in {'.png', '.jpg', '.svg', '.woff', '.woff2', '.ttf', '.otf'}:
            texts[relative] = path.read_bytes().decode('utf-8', 'replace')
    return texts


@pytest.fixture(scope='module')
def published(tmp_path_factory):
    source = copy_root(tmp_path_factory.mktemp('drafts') / 'src')
    build_dir = source.parent / 'build'
    log = build(source, build_dir, *PUBLISHED_EDITIONS)
    return source, build_dir, log


def test_no_output_of_any_edition_carries_the_draft(published):
    _source, build_dir, _log = published
    texts = every_output(build_dir)
    # Every edition was built, and shows the published issue.
    assert 'Immunothérapies' in texts['html/issues/020.html']
    assert (build_dir / 'latex/galien-020.pdf').is_file()
    assert (build_dir / 'email/galien-020.eml').is_file()
    assert any(name.startswith('epub/Galien.epub!') for name in texts)
    # Third-party files (theme scripts, fonts' maps) are not the letter's.
    ours = {n: t for n, t in texts.items() if '_static/' not in n and 'latex/' not in n}
    ours |= {
        n: t for n, t in texts.items() if n.startswith('latex/') and n.endswith(('.pdf', '.tex'))
    }
    leaks = sorted((name, s) for name, text in ours.items() for s in SECRETS if s in text)
    assert leaks == []
    assert not list(build_dir.rglob('*021*'))


def test_draft_is_absent_from_listings_feed_index_and_book(published):
    _source, build_dir, _log = published
    html = build_dir / 'html'
    assert [p.name for p in (html / 'issues').iterdir()] == ['020.html']
    sitemap = (html / 'sitemap.xml').read_text(encoding='utf-8')
    assert 'issues/020.html' in sitemap and '021' not in sitemap
    assert 'issues/020.html' in (html / 'atom.xml').read_text(encoding='utf-8')
    assert 'osimertinib' not in (html / 'medicaments.json').read_text(encoding='utf-8')
    assert 'secret' not in (html / 'searchindex.js').read_text(encoding='utf-8')
    with zipfile.ZipFile(build_dir / 'epub/Galien.epub') as book:
        opf = book.read('content.opf').decode('utf-8')
    assert 'issues/020.xhtml' in opf and '021' not in opf


def test_draft_is_checked_and_citing_it_is_a_located_warning(published):
    source, _build_dir, log = published
    # The draft's own mistakes are shown, with file and line.
    assert f'{source / "issues/021.md"}:31: WARNING: {{galien}} attend un numéro' in log
    # The published issue citing it: a located warning, and its name as plain text.
    expected = f'{source / "issues/020.md"}:17: WARNING: Galien 21 est un brouillon'
    assert expected in log and '[galien.brouillon]' in log
    html = (_build_dir / 'html/issues/020.html').read_text(encoding='utf-8')
    assert 'Galien 21' in html and '021.html' not in html


def test_preview_shows_drafts_with_a_banner_and_noindex(tmp_path):
    source = copy_root(tmp_path / 'src')
    app = SphinxTestApp(
        'html',
        srcdir=source,
        builddir=tmp_path / 'build',
        confoverrides={'galien_drafts': True},
        freshenv=True,
    )
    try:
        app.build()
        draft, issue, home = page(app, 'issues/021'), page(app, 'issues/020'), page(app, 'index')
        banner = draft.select_one('.galien-brouillon')
        assert banner is not None and 'Brouillon' in banner.get_text()
        assert draft.find('meta', attrs={'name': 'robots', 'content': 'noindex'}) is not None
        assert issue.select_one('.galien-brouillon') is None
        assert issue.find('meta', attrs={'name': 'robots'}) is None
        # Listed where it will be once published: the issue of the month, the archive.
        latest = home.select_one('.galien-dernier-titre a')
        assert latest['href'] == 'issues/021.html'
        assert 'Galien 21' in issue.get_text() and issue.find('a', href='021.html')
        assert 'brouillon (brouillon: oui) : cet aperçu le montre' in warnings(app)
    finally:
        app.cleanup()


def test_read_the_docs_pull_request_builds_preview_drafts(tmp_path):
    source = copy_root(tmp_path / 'src')
    result = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-M', 'html', str(source), str(tmp_path / 'b'), '-q'],
        capture_output=True,
        text=True,
        check=False,
        env={
            'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
            'PATH': '/usr/bin:/bin',
            'LANG': 'C.UTF-8',
            'READTHEDOCS_VERSION_TYPE': 'external',
        },
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / 'b/html/issues/021.html').is_file()


@pytest.mark.parametrize(
    ('value', 'draft'),
    [('oui', True), ('true', True), ('yes', True), ('non', False), ('false', False)],
)
def test_brouillon_values(value, draft, tmp_path):
    source = copy_root(tmp_path / 'src')
    set_brouillon(source, value)
    log = build(source, tmp_path / 'build', 'html', options=('-q',))
    assert (tmp_path / 'build/html/issues/021.html').is_file() is not draft
    assert 'galien.en-tete' not in log


def test_brouillon_neither_yes_nor_no_is_said_and_keeps_the_draft(tmp_path):
    source = copy_root(tmp_path / 'src')
    set_brouillon(source, 'peut-être')
    log = build(source, tmp_path / 'build', 'html', options=('-q',))
    expected = f'{source / "issues/021.md"}:5: WARNING: « brouillon » vaut « oui » ou « non »'
    assert expected in log and '[galien.en-tete]' in log
    assert not (tmp_path / 'build/html/issues/021.html').exists()


def differences(incremental: Path, clean: Path) -> list[str]:
    before, after = outputs(clean), outputs(incremental)
    return sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))


def test_publishing_and_withdrawing_a_draft_incrementally_equals_a_clean_build(tmp_path):
    source = copy_root(tmp_path / 'src')
    editions = ('html', 'epub', 'email', 'latex', 'text')
    incremental = tmp_path / 'incremental'
    build(source, incremental, *editions, options=('-q',))
    for step, value in enumerate(('non', 'oui'), start=1):
        set_brouillon(source, value)
        order = editions[step:] + editions[:step]
        build(source, incremental, *order, options=('-q',))
        clean = tmp_path / f'clean-{value}'
        clean_build(source, clean, editions)
        assert differences(incremental, clean) == [], value
        published = value == 'non'
        assert (incremental / 'html/issues/021.html').is_file() is published
        assert (incremental / 'latex/galien-021.tex').is_file() is published
        assert (incremental / 'email/galien-021.eml').is_file() is published
        shutil.rmtree(clean)


def galien_command(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_module('galien', *arguments, cwd=cwd, timeout=600)


def pdf_words(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Per page, each word pdftotext finds: its text, left edge and height, in points."""
    result = subprocess.run(
        [require_tool('pdftotext'), '-bbox', str(pdf), '-'],
        capture_output=True,
        text=True,
        check=True,
    )
    soup = BeautifulSoup(result.stdout, 'html.parser')
    return [
        [
            (w.get_text(), float(w['xmin']), float(w['ymax']) - float(w['ymin']))
            for w in sheet.find_all('word')
        ]
        for sheet in soup.find_all('page')
    ]


def watermark(words: list[tuple[str, float, float]]) -> str:
    """The words set large, left to right.

    The watermark is written at 45°: pdftotext cuts it into pieces (``BR``, ``O``,
    ``U``...), each with its box; the boxes, from left to right, spell it.
    """
    large = [
        (x, text)
        for text, x, height in words
        if height > WATERMARK_HEIGHT and set(text) <= set('BROUILLON')  # not the logo
    ]
    return ''.join(text for _x, text in sorted(large))


def line_numbers(words: list[tuple[str, float, float]]) -> set[int]:
    """The numbers in the margin: digits set in lineno's tiny type."""
    return {int(text) for text, _x, height in words if text.isdigit() and height < LINENO_HEIGHT}


@pytest.mark.parametrize('numero', [21, 20])
def test_review_pdf_has_a_watermark_on_every_page_and_numbered_lines(numero, tmp_path):
    source = copy_root(tmp_path / 'src')
    result = galien_command(
        'relecture', '--numero', str(numero), '--builddir', '_build', '-q', cwd=source
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = source / f'_build/relecture/galien-{numero:03d}-relecture.pdf'
    assert pdf.is_file()
    pages = pdf_words(pdf)
    assert pages and [watermark(words) for words in pages] == ['BROUILLON'] * len(pages)
    # Every line of the first page numbered, from 1, in both columns.
    assert set(range(1, 13)) <= line_numbers(pages[0])
    body = 'brouillonsecret' if numero == 21 else 'atezolizumab arrive'
    assert body in ' '.join(pdftotext(pdf, layout=False).split())
    # The published PDFs are elsewhere: the review build leaves them alone.
    assert not (source / '_build/latex').exists()


def test_review_of_an_unknown_number_says_so(tmp_path):
    source = copy_root(tmp_path / 'src')
    result = galien_command('relecture', '--numero', '99', '--builddir', '_build', '-q', cwd=source)
    assert result.returncode != 0
    assert 'aucun numéro 99' in result.stderr and 'N° 99' in result.stderr
    assert 'Traceback' not in result.stderr


def test_new_issue_is_a_draft_and_says_how_to_publish_it(tmp_path, capsys):
    (tmp_path / 'issues').mkdir()
    shutil.copy(PROJECT_DIR / 'issues/020.md', tmp_path / 'issues/020.md')
    assert main(['new', '--project', str(tmp_path)]) == 0
    said = capsys.readouterr().out
    text = (tmp_path / 'issues/021.md').read_text(encoding='utf-8')
    assert yaml.safe_load(text.split('---')[1])['brouillon'] == 'oui'
    assert 'brouillon: non' in said and 'make relecture NUMERO=21' in said
    assert main(['brouillons', '--project', str(tmp_path)]) == 0
    assert 'issues/021.md' in capsys.readouterr().out
    # Same verdict as the build's: the file is a draft to it too.
    assert create_issue(tmp_path).name == '022.md'
