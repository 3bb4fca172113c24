"""Caches for look-ups that upstream code repeats on every page of every issue.

* pybtex 0.26 (``pybtex/plugin/__init__.py``, ``_load_entry_point``) asks
  ``importlib.metadata.entry_points()`` again on every ``find_plugin`` call,
  which re-reads every installed package's metadata (about 8 ms, twice per
  ``footcite``). Entry points do not change during a build: cache them.
* Sphinx memoises search-index stems per page only (``IndexBuilder.feed``);
  the French Snowball stemmer is pure Python and a letter repeats its
  vocabulary from issue to issue: keep the stems for the whole build.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import pybtex.plugin
from sphinx.search.fr import SearchFrench

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _cached(entry_points: Any) -> Any:
    @functools.cache
    def selected(**selection: str) -> Any:
        return entry_points(**selection)

    def entry_points_cached(**selection: str) -> Any:
        # Only selections are cached: pybtex always passes group= and name=.
        return selected(**selection) if selection else entry_points()

    entry_points_cached.cache_clear = selected.cache_clear  # type: ignore[attr-defined]
    entry_points_cached.uncached = entry_points  # type: ignore[attr-defined]
    return entry_points_cached


def cache_pybtex_plugins() -> None:
    if not hasattr(pybtex.plugin.entry_points, 'uncached'):
        pybtex.plugin.entry_points = _cached(pybtex.plugin.entry_points)


class FrenchSearchWithStemCache(SearchFrench):
    """Sphinx's French search language, stemming each word once per build."""

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        try:
            return self._stems[word]
        except KeyError:
            stemmed = self._stems[word] = super().stem(word)
            return stemmed


def setup(app: Sphinx) -> None:
    cache_pybtex_plugins()
    app.add_search_language(FrenchSearchWithStemCache)
