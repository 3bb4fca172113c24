"""The caches of upstream look-ups: same answers, asked once, and only during a build."""

from __future__ import annotations

import json
import logging as std_logging
import re
import shutil

import pybtex.plugin
import pytest
from sphinx.search.fr import SearchFrench

from conftest import TESTS_DIR
from galien.content.bibliography import BIBTEX_LOGGERS
from galien.content.caching import CachedEntryPoints, FrenchSearchWithStemCache
from helpers import warnings

pytestmark = pytest.mark.fast


def test_entry_point_selections_are_read_once():
    calls = []

    def entry_points(**selection):
        calls.append(selection)
        return ('entry point',)

    cached = CachedEntryPoints(entry_points)
    assert cached(group='pybtex.backends', name='plaintext') == ('entry point',)
    assert cached(group='pybtex.backends', name='plaintext') == ('entry point',)
    assert calls == [{'group': 'pybtex.backends', 'name': 'plaintext'}]
    cached()
    cached()
    assert len(calls) == 3  # the unselected listing is never cached


@pytest.mark.sphinx('html', testroot='citations', freshenv=True)
def test_a_build_reads_each_pybtex_plugin_once_then_leaves_pybtex_as_it_was(
    app_params, make_app, monkeypatch
):
    """Three issues format their sources with the same pybtex plugins: one read of each."""
    calls = []
    real_entry_points = pybtex.plugin.entry_points

    def counting(**selection):
        calls.append(tuple(sorted(selection.items())))
        return real_entry_points(**selection)

    monkeypatch.setattr(pybtex.plugin, 'entry_points', counting)
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    calls.clear()  # sphinxcontrib-bibtex's own set-up looks some up before
    app.build()
    # The Vancouver style itself is a runtime plugin; each instance looks these up.
    assert (('group', 'pybtex.style.labels'), ('name', 'number')) in calls
    assert len(calls) == len(set(calls)), calls
    # Undone at build-finished: pybtex asks again at every look-up, as it did before.
    calls.clear()
    for _ in range(2):
        pybtex.plugin.find_plugin('pybtex.style.labels', 'number')
    assert calls == [(('group', 'pybtex.style.labels'), ('name', 'number'))] * 2


def test_french_stems_are_computed_once_per_word(monkeypatch):
    stemmed = []
    real_stem = SearchFrench.stem

    def counting(self, word):
        stemmed.append(word)
        return real_stem(self, word)

    monkeypatch.setattr(SearchFrench, 'stem', counting)
    language = FrenchSearchWithStemCache({})
    assert language.stem('médicaments') == 'médic'
    assert language.stem('médicaments') == 'médic'
    assert language.stem('médicament') == 'médic'
    assert stemmed == ['médicaments', 'médicament']


@pytest.mark.sphinx('html', testroot='chiffre', freshenv=True)
def test_site_search_stems_each_word_once(app, monkeypatch):
    """The search index of a build asks the French stemmer once per distinct word."""
    stemmed = []
    real_stem = SearchFrench.stem

    def counting(self, word):
        stemmed.append(word)
        return real_stem(self, word)

    monkeypatch.setattr(SearchFrench, 'stem', counting)
    app.build()
    assert 'patients' in stemmed
    assert len(stemmed) == len(set(stemmed))
    index = (app.outdir / 'searchindex.js').read_text(encoding='utf-8')
    terms = json.loads(re.search(r'"terms":(\{.*?\})', index)[1])
    assert 'patient' in terms


def unknown_key_warning(module: str) -> str:
    """What one of sphinxcontrib-bibtex's loggers makes of its unknown-key warning now."""
    record = std_logging.LogRecord(
        f'sphinx.sphinxcontrib.bibtex.{module}',
        std_logging.WARNING,
        __file__,
        1,
        'could not find bibtex key "%s"',
        ('absente2099',),
        None,
    )
    record.type, record.subtype = 'bibtex', 'key_not_found'
    assert std_logging.getLogger(record.name).filter(record)
    return record.getMessage()


def test_bibtex_warnings_are_reworded_during_the_build_only(make_app, tmp_path):
    """sphinxcontrib-bibtex's English warning is told in French while building, not after."""
    english = 'could not find bibtex key "absente2099"'
    french = "la référence 'absente2099' n'existe pas dans le fichier .bib"
    assert [unknown_key_warning(m) for m in BIBTEX_LOGGERS] == [english] * len(BIBTEX_LOGGERS)

    source = tmp_path / 'src'
    shutil.copytree(TESTS_DIR / 'roots/test-citations', source)
    issue = source / 'issues/020.md'
    issue.write_text(
        issue.read_text(encoding='utf-8') + '\nUne source oubliée {footcite}`absente2099`.\n',
        encoding='utf-8',
    )
    app = make_app('html', srcdir=source, freshenv=True)
    assert all(unknown_key_warning(m).startswith(french) for m in BIBTEX_LOGGERS)
    app.build()
    assert '020.md:' in warnings(app)
    assert french in warnings(app) and english not in warnings(app)
    assert [unknown_key_warning(m) for m in BIBTEX_LOGGERS] == [english] * len(BIBTEX_LOGGERS)
