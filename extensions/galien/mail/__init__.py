"""The e-mail edition: each issue as one message that mail clients render well.

``sphinx-build -M email`` runs :class:`~galien.mail.builder.EmailBuilder`,
which writes, per issue, ``galien-NNN.html`` (one self-contained document, CSS
inlined, table layout at most 600 px wide), ``galien-NNN.txt`` (the plain-text
alternative) and ``galien-NNN.eml`` (both parts in a ready-to-send draft).
Links are absolute, made from ``html_baseurl`` so that they open the website.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien.mail.builder import EmailBuilder

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    app.add_config_value(
        'galien_pdf_url', '{baseurl}pdf/galien-{numero:03d}.pdf', 'html',
        types=frozenset({str}),
        description='Address of an issue\'s PDF: a pattern with {baseurl} and {numero}',
    )
    app.add_builder(EmailBuilder)
