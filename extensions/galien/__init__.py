"""Galien: a Sphinx extension to publish a monthly letter from one source tree.

Each concern lives in its own module; :func:`setup` wires them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien import (
    archive,
    bibliography,
    board,
    caching,
    chiffre,
    downloads,
    epub,
    feeds,
    i18n,
    issue_nav,
    issue_page,
    latex,
    latex_charset,
    latexmk,
    listings,
    mail,
    markup,
    navigation,
    page_weight,
    print_edition,
    registry,
    source_checks,
    static,
    templating,
    typography,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = '0.1.0'


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension('myst_parser')
    i18n.setup(app)
    caching.setup(app)
    markup.setup(app)
    registry.setup(app)
    chiffre.setup(app)
    board.setup(app)
    issue_page.setup(app)
    app.add_transform(typography.FrenchSpacingTransform)
    latex.setup(app)
    latex_charset.setup(app)
    print_edition.setup(app)
    latexmk.setup(app)
    downloads.setup(app)
    static.setup(app)
    templating.setup(app)
    source_checks.setup(app)
    bibliography.setup(app)
    mail.setup(app)
    archive.setup(app)
    listings.setup(app)
    issue_nav.setup(app)
    navigation.setup(app)
    page_weight.setup(app)
    feeds.setup(app)
    epub.setup(app)
    return {
        'version': __version__,
        'env_version': 1,
        'parallel_read_safe': True,
        'parallel_write_safe': True,
    }
