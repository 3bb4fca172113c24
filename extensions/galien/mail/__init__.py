"""The e-mail edition: each issue as one message that mail clients render well.

``sphinx-build -M email`` runs :class:`~galien.mail.builder.EmailBuilder`,
which writes, per issue, ``galien-NNN.html`` (one self-contained document, CSS
inlined, table layout at most 600 px wide), ``galien-NNN.txt`` (the plain-text
alternative) and ``galien-NNN.eml`` (both parts in a ready-to-send draft).
Links are absolute, made from ``html_baseurl`` so that they open the website.
:mod:`galien.mail.sending` makes each reader's message for ``make send``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien import __version__
from galien.mail import sending
from galien.mail.builder import EmailBuilder

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension('galien')
    app.add_builder(EmailBuilder)
    sending.setup(app)
    return {'version': __version__, 'parallel_read_safe': True, 'parallel_write_safe': True}
