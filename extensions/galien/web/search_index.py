"""``searchindex.js`` without the words of pages deleted or edited since a clean build.

Sphinx's HTML builder loads the index it wrote last time, empties each word of
the documents it writes again or no longer finds, and feeds it the pages it
writes: a word no page holds any more stays, with no page (``"mot":[]``), so
an incremental build's index differs from a clean build's. Once the index is
written, such words are taken out of it, with Sphinx's own reader and writer
of the file (``sphinx.search.js_index``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.search import js_index

from galien.build.record import write_if_changed
from galien.core.editions import Edition, edition

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The index's maps from a word to the pages holding it.
WORD_MAPS = ('terms', 'titleterms')


def without_empty_words(text: str) -> str:
    """The index ``text``, less the words of no page; ``text`` if it cannot be read."""
    try:
        index = js_index.loads(text)
    except ValueError:
        return text
    if not isinstance(index, dict):
        return text
    for key in WORD_MAPS:
        words = index.get(key)
        if isinstance(words, dict):
            index[key] = {word: pages for word, pages in words.items() if pages != []}
    return js_index.dumps(index)


def drop_words_of_no_page(app: Sphinx, exception: Exception | None) -> None:
    builder = app.builder
    if exception is not None or edition(builder) is not Edition.SITE:
        return
    if getattr(builder, 'indexer', None) is None:
        return  # html_search false: no index
    path = Path(builder.outdir) / builder.searchindex_filename  # type: ignore[attr-defined]
    try:
        text = path.read_text(encoding='utf-8')
    except OSError:
        return
    write_if_changed(path, without_empty_words(text))


def setup(app: Sphinx) -> None:
    app.connect('build-finished', drop_words_of_no_page)
