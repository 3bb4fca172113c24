"""The Markdown editors write: MyST without its raw HTML rules, for every file.

Raw HTML in an issue would show in one edition only, and would let a pasted
``<script>`` run in readers' browsers: MyST's HTML rules are disabled, so
``<script>`` typed in Markdown is text. The ``raw`` and ``include`` directives
are not part of the letter's language (:mod:`galien.content.language`), and
docutils' own switches are off as well (:mod:`galien.content.parser`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

RAW_HTML_RULES = ('html_block', 'html_inline')


def disable_raw_html(app: Sphinx, config: Config) -> None:
    disabled = list(config.myst_disable_syntax)
    config.myst_disable_syntax = disabled + [r for r in RAW_HTML_RULES if r not in disabled]


def outside(srcdir: Path, path: Path) -> bool:
    """Whether ``path`` (relative to the sources, or absolute) leaves the project's folder."""
    project = Path(srcdir).resolve()
    return not (project / path).resolve().is_relative_to(project)


def setup(app: Sphinx) -> None:
    # Runs before myst-parser reads its configuration (builder-inited).
    app.connect('config-inited', disable_raw_html)
