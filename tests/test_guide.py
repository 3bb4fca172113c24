"""The guide (``docs/``): built with warnings as errors, link-checked, tables made from code.

It is built as ``make guide`` builds it (``-W --keep-going``, then Sphinx's
``linkcheck``), into the test's own folder. The tables that describe the code
are read on the built pages and compared with the code's own tables. The README
stays short, and its table of commands lists every target the Makefile documents.
"""

from __future__ import annotations

import json
import re
import shutil
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT_DIR
from galien.content import language
from galien.core import bibtex_markup
from galien.core.config import SETTINGS
from galien.core.subtypes import Subtype
from helpers import run_sphinx

if TYPE_CHECKING:
    from pathlib import Path

DOCS = PROJECT_DIR / 'docs'
STRICT = ('-W', '--keep-going', '-q')


@pytest.fixture(scope='module')
def guide(tmp_path_factory) -> Path:
    """The guide built as ``make guide`` builds it, then link-checked; the build folder."""
    build = tmp_path_factory.mktemp('guide')
    doctrees = str(build / 'doctrees')
    html = run_sphinx('-b', 'html', *STRICT, '-d', doctrees, str(DOCS), str(build / 'html'))
    assert html.returncode == 0, html.stderr
    assert html.stderr == ''
    links = run_sphinx(
        '-b', 'linkcheck', *STRICT, '-d', doctrees, str(DOCS), str(build / 'linkcheck')
    )
    assert links.returncode == 0, links.stderr
    return build


def built(guide: Path, page: str) -> BeautifulSoup:
    html = (guide / 'html' / f'{page}.html').read_text(encoding='utf-8')
    return BeautifulSoup(html, 'html.parser').select_one('main') or BeautifulSoup(
        html, 'html.parser'
    )


def shown(text: str) -> str:
    """Text without code marks and spaces (Markdown's), apostrophes typographic (smartquotes)."""
    return ''.join(text.replace("'", '’').replace('`', '').split())


def first_column(soup: BeautifulSoup) -> list[str]:
    return [row.select('td')[0].get_text(strip=True) for row in soup.select('tbody tr')]


def test_the_three_parts_are_built(guide):
    for part in ('rediger', 'publier', 'maintenir'):
        assert (guide / 'html' / part / 'index.html').is_file()
    index = built(guide, 'index').get_text()
    assert 'Rédiger' in index and 'Publier et envoyer' in index and 'Maintenir' in index


def test_the_link_check_ran_and_found_nothing_broken(guide):
    lines = (guide / 'linkcheck' / 'output.json').read_text(encoding='utf-8').splitlines()
    results = [json.loads(line) for line in lines]
    # No network: external addresses are listed and ignored (docs/conf.py, linkcheck_ignore).
    assert results and {result['status'] for result in results} <= {'ignored', 'working'}
    assert any(result['uri'].startswith('http://127.0.0.1:8001') for result in results)


def test_a_dead_link_between_pages_fails_the_strict_build(tmp_path):
    source = tmp_path / 'docs'
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns('__pycache__'))
    page = source / 'rediger' / 'board.md'
    page.write_text(page.read_text(encoding='utf-8') + '\nVoir [](absente.md).\n', 'utf-8')
    result = run_sphinx('-b', 'html', *STRICT, str(source), str(tmp_path / 'html'))
    assert result.returncode != 0
    assert re.search(r'rediger/board\.md:\d+: WARNING: .*absente', result.stderr), result.stderr


def test_the_warnings_table_is_the_enumeration(guide):
    page = built(guide, 'rediger/avertissements')
    assert first_column(page) == [f'galien.{member}' for member in Subtype]
    cells = {
        row.select('td')[0].get_text(strip=True): shown(row.select('td')[1].get_text())
        for row in page.select('tbody tr')
    }
    for member in Subtype:
        assert cells[f'galien.{member}'] == shown(member.description)


def test_the_language_table_is_the_allow_list(guide):
    names = first_column(built(guide, 'rediger/langage'))
    assert sorted(names) == sorted(
        f'{{{name}}}' for name in [*language.DIRECTIVES, *language.ROLES]
    )


def test_the_bibtex_table_is_the_allow_list(guide):
    names = first_column(built(guide, 'rediger/citer'))
    with_argument = [*bibtex_markup.STYLES, *bibtex_markup.PLAIN]
    symbols = [name.replace(' ', '␣') for name in bibtex_markup.SYMBOLS]
    assert sorted(names) == sorted(
        [
            *(f'\\{name}{{…}}' for name in with_argument),
            *(f'\\{name}' for name in symbols),
        ]
    )


def test_every_setting_has_its_entry_with_its_default(guide):
    page = built(guide, 'publier/reglages')
    for setting in SETTINGS:
        entry = page.select_one(f'dt#confval-{setting.name}')
        assert entry is not None, setting.name
        text = entry.find_parent('dl').get_text(' ', strip=True)
        if not callable(setting.default):
            assert repr(setting.default) in text, setting.name


def test_the_workarounds_are_listed_with_the_version_they_wait_for(guide):
    rows = {
        row.select('td')[0].get_text(' ', strip=True): row.select('td')[1].get_text(strip=True)
        for row in built(guide, 'maintenir/contournements').select('tbody tr')
    }
    functions = {name.split()[0]: waits for name, waits in rows.items()}
    assert functions['theme_script_filter'].startswith('pydata-sphinx-theme 0.20.0')
    assert functions['leave_out_of_build'] == 'Sphinx 9.0.4'
    assert {'cache_pybtex_plugins', 'reword_unknown_keys', 'writing_builder'} <= set(functions)


def documented_targets() -> set[str]:
    """The targets the Makefile's header documents (what ``make help`` prints)."""
    header = (PROJECT_DIR / 'Makefile').read_text(encoding='utf-8').split('\n\n')[0]
    return set(re.findall(r'^#\s+make ([a-z-]+)', header, re.MULTILINE))


def test_the_readme_is_short_and_lists_every_documented_target():
    readme = (PROJECT_DIR / 'README.md').read_text(encoding='utf-8')
    assert len(readme.splitlines()) <= 220
    listed = set(re.findall(r'^\| `make ([a-z-]+)', readme, re.MULTILINE))
    assert {'html', 'latexpdf', 'send', 'guide', 'test'} <= documented_targets()
    assert sorted(documented_targets() - listed) == []
    makefile = (PROJECT_DIR / 'Makefile').read_text(encoding='utf-8')
    rules = set(re.findall(r'^([a-z-]+(?: [a-z-]+)*):', makefile, re.MULTILINE))
    targets = {name for rule in rules for name in rule.split()}
    assert sorted(listed - targets) == []
