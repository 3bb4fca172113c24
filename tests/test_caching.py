"""The caches of upstream look-ups: same answers, asked once, and only during a build."""

from __future__ import annotations

import json
import re

import pybtex.plugin
import pytest
from sphinx.search.fr import SearchFrench

from galien.content.bibliography import BIBTEX_LOGGERS, UnknownKeyInOurWords, bibtex_loggers
from galien.content.caching import CachedEntryPoints, FrenchSearchWithStemCache


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
    assert pybtex.plugin.entry_points is counting  # undone at build-finished


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


@pytest.mark.sphinx('html', testroot='citations', freshenv=True)
def test_bibtex_warnings_are_reworded_during_the_build_only(app_params, make_app):
    """The filter on sphinxcontrib-bibtex's loggers is there while building, gone after."""

    def rewording() -> list[bool]:
        return [
            any(isinstance(f, UnknownKeyInOurWords) for f in logger.filters)
            for logger in bibtex_loggers()
        ]

    assert rewording() == [False] * len(BIBTEX_LOGGERS)
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    assert rewording() == [True] * len(BIBTEX_LOGGERS)
    app.build()
    assert rewording() == [False] * len(BIBTEX_LOGGERS)
