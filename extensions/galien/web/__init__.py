"""The website: assets, the issue page's links, the sidebar, feeds and lighter pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien import __version__
from galien.core.config import WEB, add_settings
from galien.web import (
    accessibility_statement,
    citing,
    downloads,
    drafts,
    drug_data,
    feeds,
    navigation,
    page_weight,
    previews,
    static,
    templating,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension('galien')
    add_settings(app, WEB)
    accessibility_statement.setup(app)
    downloads.setup(app)
    static.setup(app)
    templating.setup(app)
    navigation.setup(app)
    page_weight.setup(app)
    feeds.setup(app)
    drug_data.setup(app)
    drafts.setup(app)
    previews.setup(app)
    citing.setup(app)
    return {'version': __version__, 'parallel_read_safe': True, 'parallel_write_safe': True}
