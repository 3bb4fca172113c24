"""The issue page on the website offers the issue's PDF.

``make site`` puts the PDFs where ``galien_pdf_url`` says (by default
``pdf/galien-NNN.pdf`` under the site's root). With ``{baseurl}`` standing
for the way back to that root from each page, the link works in the
assembled folder wherever it is served. Only the website gets it: the ePub
cannot link to a file that is not inside it.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import __
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from galien.content.issue_page import masthead
from galien.core.i18n import _
from galien.core.report import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class PdfDownloadLink(SphinxPostTransform):
    """Append a "Télécharger le PDF" link to an issue's masthead."""

    default_priority = 800
    builders = ('html', 'dirhtml')

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(masthead):
            if node.get('numero') is None:
                continue
            uri = self._pdf_uri(node['numero'])
            if not uri:
                continue
            label = str(_('Download the PDF'))
            paragraph = nodes.paragraph(classes=['galien-telecharger'])
            paragraph += nodes.reference(label, label, refuri=uri, classes=['galien-pdf'])
            node += paragraph

    def _pdf_uri(self, numero: int) -> str:
        index = self.app.builder.get_relative_uri(self.env.docname, self.config.root_doc)
        root = posixpath.dirname(index)
        try:
            return self.config.galien_pdf_url.format(
                baseurl=f'{root}/' if root else '', numero=numero
            )
        except (KeyError, IndexError, ValueError):
            warn(
                logger,
                __('galien_pdf_url %r : seuls {baseurl} et {numero} sont connus'),
                self.config.galien_pdf_url,
                subtype='config',
                once=True,
            )
            return ''


def setup(app: Sphinx) -> None:
    app.add_post_transform(PdfDownloadLink)
