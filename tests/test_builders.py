"""Every builder that Sphinx ships either makes the letter or stops in one French line.

Each case builds a copy of the ``email`` test root in a subprocess, as
``sphinx-build -b NAME`` would, and looks at what it wrote and said.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTS_DIR
from helpers import run_sphinx

#: Builders that make an edition, with a file each one must write.
EDITIONS = {
    'html': 'issues/020.html',
    'dirhtml': 'issues/020/index.html',
    'singlehtml': 'index.html',
    'latex': 'galien-020.tex',
    'epub': 'Galien.epub',  # epub_basename is the project's name by default
    'email': 'galien-020.eml',
    'text': 'issues/020.txt',
    'man': 'galien.1',
    'texinfo': 'galien.texi',
}
#: Builders that check or extract the sources, with a file each one must write.
TOOLS = {
    'gettext': 'issues.pot',
    'xml': 'issues/020.xml',
    'pseudoxml': 'issues/020.pseudoxml',
    'changes': None,  # nothing to say without versionadded/versionchanged
    'dummy': None,
}
#: Builders shipped with Sphinx that make no edition of the letter.
STOPPED = ('pickle', 'json', 'devhelp', 'htmlhelp', 'qthelp')
CRASHES = ('Traceback', 'Exception occurred', 'Sphinx error', 'Extension error', 'Erreur')


def build(tmp_path, builder, *options):
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / 'src'
    shutil.copytree(TESTS_DIR / 'roots/test-email', source)
    return run_sphinx(
        '-b',
        builder,
        '-q',
        *options,
        str(source),
        str(tmp_path / 'out'),
        '-d',
        str(tmp_path / 'doctrees'),
        cwd=tmp_path,
        timeout=600,
    )


@pytest.mark.parametrize('builder', sorted({**EDITIONS, **TOOLS}))
def test_builder_makes_the_letter(builder, tmp_path):
    result = build(tmp_path, builder)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    for crash in CRASHES:
        assert crash not in log, log
    expected = {**EDITIONS, **TOOLS}[builder]
    if expected is not None:
        assert (tmp_path / 'out' / expected).is_file(), sorted(
            str(p.relative_to(tmp_path / 'out')) for p in (tmp_path / 'out').rglob('*')
        )


@pytest.mark.parametrize(('builder', 'output'), [('man', 'galien.1'), ('texinfo', 'galien.texi')])
def test_man_page_and_texinfo_hold_the_chiffre_du_mois(builder, output, tmp_path):
    result = build(tmp_path, builder)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / 'out' / output).read_text(encoding='utf-8')
    assert '1 sur 3' in text
    assert 'Un patient sur trois' in text


@pytest.mark.parametrize('builder', STOPPED)
def test_other_builders_stop_with_one_french_line(builder, tmp_path):
    result = build(tmp_path, builder)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f'galien : le constructeur « {builder} » ne fait aucune édition')
    for supported in ('html', 'latex', 'epub', 'email', 'man', 'texinfo', 'linkcheck'):
        assert supported in lines[0]
    assert list((tmp_path / 'out').rglob('*.*')) == []  # stopped before writing anything


def test_linkcheck_starts_and_reports_offline(tmp_path):
    """No network here: only that it runs to the end and writes its report."""
    result = build(tmp_path, 'linkcheck', '-D', 'linkcheck_timeout=1', '-D', 'linkcheck_retries=1')
    log = result.stdout + result.stderr
    for crash in CRASHES:
        assert crash not in log, log
    report = (tmp_path / 'out/output.txt').read_text(encoding='utf-8')
    assert 'issues/020.md' in report


BASE = 'myst_parser,sphinxcontrib.bibtex,galien'


@pytest.mark.parametrize(
    ('editions', 'builder', 'present', 'absent'),
    [
        # The core and the content alone still make readable pages.
        ('', 'html', ['issues/020.html'], ['atom.xml']),
        ('', 'text', ['issues/020.txt'], []),
        ('galien.print', 'latex', ['galien-020.tex', 'galien.sty'], []),
        ('galien.print', 'html', ['issues/020.html', '_static/galien.css'], ['atom.xml']),
        (
            'galien.epub',
            'epub',
            ['Galien.epub', '_static/galien.css'],
            ['_static/galien-print.css'],
        ),
        ('galien.mail', 'email', ['galien-020.eml', 'galien-020.txt'], []),
        ('galien.web', 'html', ['atom.xml', '_static/galien-print.css'], []),
        ('galien.web,galien.epub', 'epub', ['Galien.epub'], ['atom.xml']),
    ],
)
def test_each_edition_can_be_switched_off(editions, builder, present, absent, tmp_path):
    extensions = f'{BASE},{editions}' if editions else BASE
    result = build(tmp_path, builder, '-D', f'extensions={extensions}')
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    for crash in CRASHES:
        assert crash not in log, log
    # The root holds editors' mistakes on purpose: their galien.* warnings are expected;
    # any other warning would come from an edition missing its neighbours.
    foreign = [
        line for line in result.stderr.splitlines() if 'WARNING' in line and '[galien.' not in line
    ]
    assert foreign == []
    out = tmp_path / 'out'
    assert [name for name in present if not (out / name).is_file()] == []
    assert [name for name in absent if (out / name).exists()] == []


def test_the_site_links_the_pdf_only_with_the_web_edition(tmp_path):
    without = build(tmp_path / 'print', 'html', '-D', f'extensions={BASE},galien.print')
    with_web = build(tmp_path / 'web', 'html', '-D', f'extensions={BASE},galien.web')
    assert without.returncode == with_web.returncode == 0
    assert 'galien-020.pdf' not in (tmp_path / 'print/out/issues/020.html').read_text()
    assert 'galien-020.pdf' in (tmp_path / 'web/out/issues/020.html').read_text()
