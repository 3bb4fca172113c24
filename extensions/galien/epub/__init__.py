"""The ePub for tablets: every issue in one book, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien import __version__
from galien.epub import book

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension('galien')
    book.setup(app)
    return {'version': __version__, 'parallel_read_safe': True, 'parallel_write_safe': True}
