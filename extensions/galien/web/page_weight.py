"""A lighter website page: what the book theme loads that a letter never uses.

The PyData theme under the book theme loads Font Awesome's JavaScript (1.5 MB,
to turn icons into SVG, which its own stylesheet already draws with the icon
font) and, on every page, Sphinx's search scripts and the whole search index
(which grows with the archive) for a search-as-you-type the letter does not
turn on. Scripts registered with Sphinx are taken out of the page's
``script_files`` (``pygments.css`` on pages without code goes in
``content/stylesheet.py``, for the ePub too); the theme's own ``<script>``
tags, written in its templates, go through the one workaround,
:func:`theme_script_filter`. The browser tests compare the
result with the stock theme's page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from galien.content.stylesheet import is_one_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import document
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Scripts a letter's page can always do without.
UNUSED_SCRIPTS = ('scripts/fontawesome.js',)
#: Scripts only the search page, or search-as-you-type, uses.
SEARCH_SCRIPTS = ('searchtools.js', 'language_data.js', 'searchindex.js')
TEMPLATES_DIR = Path(__file__).parent / 'templates'


def script_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """``<script src=…>`` and ``<link rel="preload">`` tags loading one of ``names``."""
    alternatives = '|'.join(re.escape(name) for name in names)
    # The indentation is taken from its start only (the look-behind): tried from
    # every space of a long run, ``[ \t]*<`` would be quadratic.
    return re.compile(
        rf'(?<![ \t])[ \t]*<(?:script|link)\b[^>]*\b(?:src|href)="[^"]*?'
        rf'(?:{alternatives})(?:\?[^"]*)?"[^>]*>(?:\s*</script>)?\n?',
    )


def unused_scripts(context: dict[str, Any]) -> tuple[str, ...]:
    names: tuple[str, ...] = UNUSED_SCRIPTS
    search_as_you_type = str(context.get('theme_search_as_you_type', '')).lower() == 'true'
    if context.get('pagename') != 'search' and not search_as_you_type:
        names += SEARCH_SCRIPTS
    return names


def theme_script_filter(names: tuple[str, ...]) -> Callable[[str], str]:
    """The filter ``templates/layout.html`` passes the theme's ``<head>`` blocks through.

    Workaround for pydata-sphinx-theme 0.20.0 (under sphinx-book-theme 1.4.0): its
    ``layout.html`` writes the search scripts' ``<script>`` tags in the
    ``extrahead`` block and ``webpack-macros.html`` the Font Awesome one, so they
    are in no ``context['script_files']`` that ``html-page-context`` could edit,
    and no theme option leaves them out (pydata/pydata-sphinx-theme#2115, and #2494
    which would shrink Font Awesome's script). The filter removes exactly those
    tags from the blocks' HTML; it goes when the theme lists them as assets.
    """
    pattern = script_pattern(names)

    def strip_unused_scripts(html: str) -> str:
        return pattern.sub('', str(html))

    return strip_unused_scripts


def lighten_page(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: document | None,
) -> None:
    """Leave out what the page does not use, in place: themes add to these lists after us."""
    names = unused_scripts(context)
    script_files = context.get('script_files')
    if isinstance(script_files, list):
        script_files[:] = [js for js in script_files if not is_one_of(js, names)]
    context['galien_strip_unused_scripts'] = theme_script_filter(names)


def use_layout(app: Sphinx, config: Config) -> None:
    """Make ``layout.html`` findable, whatever else the extension puts in templates/."""
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]


def setup(app: Sphinx) -> None:
    app.connect('config-inited', use_layout)
    app.connect('html-page-context', lighten_page)
