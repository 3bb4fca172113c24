"""The caches of upstream look-ups: same answers, asked once."""

from __future__ import annotations

import pybtex.plugin
import pytest

from galien.content.caching import FrenchSearchWithStemCache, _cached, cache_pybtex_plugins


def test_entry_point_selections_are_read_once():
    calls = []

    def entry_points(**selection):
        calls.append(selection)
        return ('entry point',)

    cached = _cached(entry_points)
    assert cached(group='pybtex.backends', name='plaintext') == ('entry point',)
    assert cached(group='pybtex.backends', name='plaintext') == ('entry point',)
    assert calls == [{'group': 'pybtex.backends', 'name': 'plaintext'}]
    cached()
    cached()
    assert len(calls) == 3  # the unselected listing is never cached


def test_pybtex_finds_its_plugins_through_the_cache():
    cache_pybtex_plugins()
    cache_pybtex_plugins()  # idempotent: no cache around the cache
    assert not hasattr(pybtex.plugin.entry_points.uncached, 'uncached')
    style = pybtex.plugin.find_plugin('pybtex.style.formatting', 'unsrt')
    assert style is pybtex.plugin.find_plugin('pybtex.style.formatting', 'unsrt')
    assert style.__module__ == 'pybtex.style.formatting.unsrt'


def test_french_stems_are_kept_across_pages():
    language = FrenchSearchWithStemCache({})
    assert language.stem('médicaments') == language.stem('médicament')
    assert language._stems['médicaments'] == language.stem('médicaments')


@pytest.mark.sphinx('html', testroot='chiffre', freshenv=True)
def test_site_search_uses_the_cached_french_stemmer(app):
    app.build()
    assert isinstance(app.builder.indexer.lang, FrenchSearchWithStemCache)
    assert 'patient' in app.builder.indexer._mapping
