"""The Markdown editors write: everything MyST offers except raw HTML.

Raw HTML in an issue would show only on the website (not in print, ePub or
e-mail) and would let a pasted ``<script>`` run in readers' browsers. With
the HTML rules of markdown-it disabled, ``<script>`` is plain text, escaped
in every output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

RAW_HTML_RULES = ('html_block', 'html_inline')


def disable_raw_html(app: Sphinx, config: Config) -> None:
    disabled = list(config.myst_disable_syntax)
    config.myst_disable_syntax = disabled + [r for r in RAW_HTML_RULES if r not in disabled]


def setup(app: Sphinx) -> None:
    # Runs before myst-parser reads its configuration (builder-inited).
    app.connect('config-inited', disable_raw_html)
