"""The issue page on the website offers the issue's PDF.

``make site`` puts the PDFs where ``galien_pdf_url`` says (by default
``pdf/galien-NNN.pdf`` under the site's root). With ``{baseurl}`` standing
for the way back to that root from each page, the link works in the
assembled folder wherever it is served. Only the website gets it: the ePub
cannot link to a file that is not inside it.

The back issues published on paper only (``core/paper.py``) have their PDF in
the source tree (``archives/galien-007.pdf``): the website's build copies each
one, at its end, to the same place as the print edition's PDFs
(``pdf/galien-007.pdf``), and ``{galien}`7``` links there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.osutil import copyfile, ensuredir

from galien.content.issue_page import pdf_link_placeholder
from galien.content.placeholders import FILL_PRIORITY
from galien.core.editions import Edition, builders_of, edition, writing_builder
from galien.core.i18n import _, __
from galien.core.paper import back_issues
from galien.core.placeholders import paper_issue_placeholder, placeholders_in
from galien.core.registry import galien_domain
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.titles import issue_title
from galien.core.urls import pdf_url, root_prefix, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class FillPdfLinks(SphinxPostTransform):
    """A "Télécharger le PDF" link at the end of an issue's masthead, on the website only."""

    default_priority = FILL_PRIORITY
    builders = builders_of(Edition.SITE)

    def run(self, **kwargs: Any) -> None:
        root = root_prefix(writing_builder(self.env), self.env.docname)
        for placeholder in placeholders_in(self.document, pdf_link_placeholder):
            uri = pdf_url(self.config, root, placeholder['numero'])
            if not uri:
                placeholder.parent.remove(placeholder)
                continue
            label = str(_('Download the PDF'))
            paragraph = nodes.paragraph(classes=['galien-telecharger'])
            paragraph += nodes.reference(label, label, refuri=uri, classes=['galien-pdf'])
            placeholder.replace_self(paragraph)


class LinkPaperIssues(SphinxPostTransform):
    """``{galien}`7``` on a back issue published on paper only: a link to its PDF.

    The registry leaves such a citation as text in a ``paper_issue_placeholder``
    with its number; on the website, where the PDF is published, it becomes a link.
    """

    default_priority = FILL_PRIORITY
    builders = builders_of(Edition.SITE)

    def run(self, **kwargs: Any) -> None:
        config = self.config
        paper = {numero: issue for numero, issue in back_issues(self.env).items() if issue.pdf}
        if not paper:
            return
        root = root_prefix(writing_builder(self.env), self.env.docname)
        for placeholder in placeholders_in(self.document, paper_issue_placeholder):
            issue = paper.get(placeholder['numero'])
            uri = pdf_url(config, root, issue.numero) if issue is not None else ''
            if issue is None or not uri:
                continue  # unwrapped with the other placeholders left
            reference = nodes.reference(
                '',
                '',
                *placeholder.children,
                refuri=uri,
                reftitle=f'{issue_title(self.env, issue)} ({_("PDF of the paper edition")})',
                classes=['galien-pdf-papier'],
            )
            placeholder.replace_self(reference)


def publish_paper_pdfs(app: Sphinx, exception: Exception | None) -> None:
    """Copy the back issues' PDFs where ``galien_pdf_url`` points, in the website's folder.

    When the pattern is not under ``{baseurl}`` (the PDFs are served elsewhere),
    whoever publishes the print edition's PDFs there publishes these too.
    """
    pattern = app.config.galien_pdf_url
    if exception is not None or edition(app.builder) is not Edition.SITE:
        return
    if not pattern.startswith('{baseurl}'):
        return
    for issue in galien_domain(app.env).paper_back_issues():
        target = site_url(pattern, '', issue.numero) if issue.pdf else ''
        if not target or target.startswith(('/', '..')):
            continue
        destination = app.outdir / target
        try:
            ensuredir(destination.parent)
            copyfile(app.srcdir / issue.pdf, destination, force=True)
        except OSError as error:
            warn(
                logger,
                __("N° %d : le PDF %s n'a pas pu être publié (%s)"),
                issue.numero,
                issue.pdf,
                error,
                subtype=Subtype.ARCHIVES,
            )


def setup(app: Sphinx) -> None:
    app.add_post_transform(FillPdfLinks)
    app.add_post_transform(LinkPaperIssues)
    app.connect('build-finished', publish_paper_pdfs)
