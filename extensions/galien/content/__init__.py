"""The letter's content: what editors write (directives, roles, blocks) and how it is checked.

Builder-neutral: each block has visitors for every builder, and the editions
above decide where and how it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien.content import (
    bibliography,
    board,
    caching,
    chiffre,
    drafts,
    drugs,
    files,
    images,
    issue_links,
    issue_page,
    links,
    listings,
    markup,
    math_guard,
    math_text,
    nesting,
    parser,
    placeholders,
    sanitiser,
    source_checks,
    stylesheet,
    typography,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    caching.setup(app)
    markup.setup(app)
    parser.setup(app)
    math_guard.setup(app)
    math_text.setup(app)
    nesting.setup(app)
    links.setup(app)
    files.setup(app)
    chiffre.setup(app)
    board.setup(app)
    issue_page.setup(app)
    issue_links.setup(app)
    typography.setup(app)
    source_checks.setup(app)
    images.setup(app)
    stylesheet.setup(app)
    bibliography.setup(app)
    listings.setup(app)
    drugs.setup(app)
    drafts.setup(app)
    placeholders.setup(app)
    sanitiser.setup(app)
