"""A lighter website page: what the book theme loads that a letter never uses.

The PyData theme under the book theme loads Font Awesome's JavaScript (1.5 MB,
to turn icons into SVG, which its own stylesheet already draws with the icon
font) and, on every page, Sphinx's search scripts and the whole search index
(which grows with the archive) for a search-as-you-type the letter does not
turn on. ``templates/layout.html`` passes the theme's head through
:func:`strip_unused_scripts`; ``pygments.css`` is dropped from pages without
code. The browser tests compare the result with the stock theme's page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Scripts a letter's page can always do without.
UNUSED_SCRIPTS = ('scripts/fontawesome.js',)
#: Scripts only the search page, or search-as-you-type, uses.
SEARCH_SCRIPTS = ('searchtools.js', 'language_data.js', 'searchindex.js')
PYGMENTS_CSS = 'pygments.css'
TEMPLATES_DIR = Path(__file__).parent / 'templates'


def script_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """``<script src=…>`` and ``<link rel="preload">`` tags loading one of ``names``."""
    alternatives = '|'.join(re.escape(name) for name in names)
    return re.compile(
        rf'[ \t]*<(?:script|link)\b[^>]*\b(?:src|href)="[^"]*?(?:{alternatives})(?:\?[^"]*)?"'
        rf'[^>]*>(?:\s*</script>)?\n?',
    )


def unused_scripts(context: dict[str, Any]) -> tuple[str, ...]:
    names: tuple[str, ...] = UNUSED_SCRIPTS
    search_as_you_type = str(context.get('theme_search_as_you_type', '')).lower() == 'true'
    if context.get('pagename') != 'search' and not search_as_you_type:
        names += SEARCH_SCRIPTS
    return names


def has_code(doctree: nodes.document | None) -> bool:
    return doctree is None or next(doctree.findall(nodes.literal_block), None) is not None


def lighten_page(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Give the template the filter; drop the code colours from pages without code."""
    pattern = script_pattern(unused_scripts(context))

    def strip_unused_scripts(html: str) -> str:
        return pattern.sub('', str(html))

    context['galien_strip_unused_scripts'] = strip_unused_scripts
    css_files = context.get('css_files')
    if not has_code(doctree) and isinstance(css_files, list):
        # In place: themes add their own files to this very list after us.
        css_files[:] = [
            css
            for css in css_files
            if Path(str(getattr(css, 'filename', css))).name != PYGMENTS_CSS
        ]


def use_layout(app: Sphinx, config: Config) -> None:
    """Make ``layout.html`` findable, whatever else the extension puts in templates/."""
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]


def setup(app: Sphinx) -> None:
    app.connect('config-inited', use_layout)
    app.connect('html-page-context', lighten_page)
