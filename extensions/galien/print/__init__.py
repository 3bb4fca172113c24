"""The print edition: one PDF per issue, laid out as the printed letter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    # Imported here: the PDF/A step runs ``python -m galien.print.pdfa`` once per PDF,
    # and importing Sphinx for it took ten times as long as the step itself.
    from galien.print import (
        fonts,
        latex,
        latex_charset,
        layout,
        print_edition,
        review,
        tables,
        volume,
    )

    app.setup_extension('galien')
    latex.setup(app)
    fonts.setup(app)
    latex_charset.setup(app)
    tables.setup(app)
    layout.setup(app)
    print_edition.setup(app)
    review.setup(app)
    volume.setup(app)
    return {'version': __version__, 'parallel_read_safe': True, 'parallel_write_safe': True}
