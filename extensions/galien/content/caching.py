"""Caches for look-ups that upstream code repeats on every page of every issue.

* pybtex's plugin look-ups: see :func:`cache_pybtex_plugins`, the one place
  where the extension patches a dependency, for the length of a build only.
* Sphinx memoises search-index stems per page only (``IndexBuilder.feed``);
  the French Snowball stemmer is pure Python and a letter repeats its
  vocabulary from issue to issue: :class:`FrenchSearchWithStemCache` keeps the
  stems for the whole build.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import pybtex.plugin
from sphinx.search.fr import SearchFrench

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx


class CachedEntryPoints:
    """``importlib.metadata.entry_points`` with each selection read once."""

    def __init__(self, entry_points: Callable[..., Any]) -> None:
        self.uncached = entry_points
        self._selected = functools.cache(entry_points)

    def __call__(self, **selection: str) -> Any:
        # Only selections are cached: pybtex always passes group= and name=.
        return self._selected(**selection) if selection else self.uncached()


def cache_pybtex_plugins(app: Sphinx) -> None:
    """For this build, pybtex reads each plugin's entry point once.

    Workaround for pybtex 0.26.1 (``pybtex/plugin/__init__.py``,
    ``_load_entry_point``), used by sphinxcontrib-bibtex 2.7.0: every
    ``find_plugin`` call asks ``importlib.metadata.entry_points()`` again,
    which re-reads every installed package's metadata, twice per ``footcite``
    (its cost: the guide, « Maintenir » › « Performances »). pybtex has no
    cache of its own and no upstream issue is known; Pygments fixed the same
    cost the same way (pygments/pygments#2979).
    Entry points do not change during a build, so the look-up is cached from
    ``builder-inited`` and :func:`restore_pybtex_plugins` puts pybtex back as
    it was on ``build-finished``.
    """
    if not isinstance(pybtex.plugin.entry_points, CachedEntryPoints):
        pybtex.plugin.entry_points = CachedEntryPoints(pybtex.plugin.entry_points)


def restore_pybtex_plugins(app: Sphinx, exception: Exception | None) -> None:
    """Undo :func:`cache_pybtex_plugins` once the build is over, failed or not."""
    if isinstance(pybtex.plugin.entry_points, CachedEntryPoints):
        pybtex.plugin.entry_points = pybtex.plugin.entry_points.uncached


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
    app.connect('builder-inited', cache_pybtex_plugins)
    app.connect('build-finished', restore_pybtex_plugins)
    app.add_search_language(FrenchSearchWithStemCache)
