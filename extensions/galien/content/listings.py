"""Pages made from the archive: the latest issue, the archive by year, the chiffres.

The home page and the chiffres page hold directives that leave a placeholder
at read time (``listing_placeholder``, input ``listing:<kind>``); the
placeholder is filled when the page is written, in a post-transform, from the
archive the domain derived after all issues were read, so adding
``issues/021.md`` changes these pages without anyone editing them.

.. code-block:: markdown

   ```{galien-dernier-numero}
   ```
   ```{galien-archives}
   ```
   ```{galien-chiffres}
   ```

Links to the PDF, the feed and the ePub exist only on the website: the ePub
has no PDF next to it, and the site's files are not in the book. The back
issues published on paper only (``core/paper.py``) are listed on the website
only, marked as such, with a link to their PDF when the centre has it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from galien.content.chiffre import chiffre_figure, source_line
from galien.content.placeholders import FILL_PRIORITY
from galien.core.editions import Edition, edition, writing_builder
from galien.core.i18n import _
from galien.core.model import PaperIssue
from galien.core.placeholders import derived_placeholder, fill, listing_input, placeholders_in
from galien.core.registry import galien_domain
from galien.core.titles import issue_title
from galien.core.urls import pdf_url, root_prefix, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from galien.core.derived import Archive
    from galien.core.model import Chiffre, Issue

logger = logging.getLogger(__name__)

TEASER_LENGTH = 280


class listing_placeholder(derived_placeholder):  # noqa: N801 (docutils naming)
    """Placeholder for a listing made from the archive; ``kind`` says which (input
    ``listing:<kind>``)."""


def teaser(text: str, length: int = TEASER_LENGTH) -> str:
    """The start of a chiffre's explanation, cut at a word."""
    text = ' '.join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(' ', 1)[0].rstrip(' ,;:') + '…'


class ListingDirective(SphinxDirective):
    """A listing of the archive; it takes no argument and no content."""

    kind: ClassVar[str] = ''

    def run(self) -> list[nodes.Node]:
        galien_domain(self.env).note_listing(self.env.docname, self.kind)
        # replace_self() gives these classes to the listing's first node, when it is one.
        node = listing_placeholder(
            kind=self.kind, inputs=[listing_input(self.kind)], classes=[f'galien-{self.kind}']
        )
        self.set_source_info(node)
        return [node]


class LatestDirective(ListingDirective):
    kind = 'dernier-numero'


class ArchiveDirective(ListingDirective):
    kind = 'archives'


class ChiffresDirective(ListingDirective):
    kind = 'chiffres'


class ListingMaker:
    """Builds the nodes of a listing for one page and one builder."""

    def __init__(
        self, builder: Builder, docname: str, archive: Archive, chiffres: dict[str, Chiffre]
    ) -> None:
        self.builder, self.docname, self.archive, self.chiffres = (
            builder,
            docname,
            archive,
            chiffres,
        )
        self.config = builder.config
        self.on_site = edition(builder) is Edition.SITE
        self.root = root_prefix(builder, docname)

    def link(self, issue: Issue, label: str, classes: list[str] | None = None) -> nodes.reference:
        uri = self.builder.get_relative_uri(self.docname, issue.docname)
        reference = nodes.reference('', '', internal=True, refuri=uri, classes=classes or [])
        reference += nodes.Text(label)
        return reference

    def external(self, uri: str, label: str, css_class: str) -> nodes.reference:
        reference = nodes.reference('', '', refuri=uri, classes=[css_class])
        reference += nodes.Text(label)
        return reference

    def pdf_link(self, issue: Issue | PaperIssue) -> nodes.reference | None:
        if not self.on_site:
            return None
        uri = pdf_url(self.config, self.root, issue.numero)
        return self.external(uri, str(_('Download the PDF')), 'galien-lien-pdf') if uri else None

    def paper_pdf_link(self, issue: PaperIssue) -> nodes.reference | None:
        """The link to a back issue's PDF, published where ``galien_pdf_url`` says."""
        return self.pdf_link(issue) if issue.pdf else None

    def name(self, issue: Issue | PaperIssue) -> str:
        return issue_title(self.builder.env, issue)

    def paper_heading(self, issue: PaperIssue, paragraph: nodes.Element) -> None:
        """A back issue's name, its mark « édition papier » and the link to its PDF."""
        paragraph += nodes.Text(self.name(issue))
        if issue.titre:
            paragraph += nodes.Text(f' : {issue.titre}')
        paragraph += nodes.Text(' ')
        paragraph += nodes.inline(
            '', '', nodes.Text(str(_('(paper edition)'))), classes=['galien-mention-papier']
        )
        pdf = self.paper_pdf_link(issue)
        if pdf is not None:
            paragraph += nodes.Text(' ')
            paragraph += pdf

    def latest(self) -> list[nodes.Node]:
        issue = self.archive.latest
        if issue is None:
            return [nodes.paragraph('', '', nodes.Text(str(_('No issue published yet.'))))]
        block = nodes.container(classes=['galien-dernier'])
        heading = nodes.paragraph(classes=['galien-dernier-titre'])
        heading += self.link(issue, self.name(issue))
        block += heading
        if issue.titre:
            block += nodes.paragraph(
                '', '', nodes.Text(issue.titre), classes=['galien-titre-numero']
            )
        chiffre = self.chiffres.get(issue.docname)
        if chiffre is not None:
            block += self.chiffre_teaser(chiffre)
        actions = nodes.paragraph(classes=['galien-actions'])
        actions += self.link(issue, str(_('Read the issue')), ['galien-lien-lire'])
        pdf = self.pdf_link(issue)
        if pdf is not None:
            actions += nodes.Text(' ')
            actions += pdf
        block += actions
        nodes_out: list[nodes.Node] = [block]
        if self.on_site:
            nodes_out.append(self.subscriptions())
        return nodes_out

    def chiffre_teaser(self, chiffre: Chiffre) -> nodes.container:
        box = nodes.container(classes=['galien-chiffre', 'galien-chiffre-apercu'])
        box += nodes.paragraph(
            '', '', nodes.Text(str(_('Figure of the month'))), classes=['galien-chiffre-etiquette']
        )
        box += chiffre_figure('', '', nodes.Text(chiffre.figure))
        box += nodes.paragraph('', '', nodes.Text(teaser(chiffre.summary)))
        return box

    def subscriptions(self) -> nodes.paragraph:
        paragraph = nodes.paragraph(classes=['galien-abonnements'])
        feed = site_url(self.config.galien_feed_url, self.root)
        epub = site_url(self.config.galien_epub_url, self.root)
        if feed:
            paragraph += self.external(
                feed, str(_('Subscribe to the Atom feed')), 'galien-lien-flux'
            )
        if epub:
            paragraph += nodes.Text(' ')
            paragraph += self.external(epub, str(_('Download the ePub')), 'galien-lien-epub')
        return paragraph

    def archives(self) -> list[nodes.Node]:
        sections: list[nodes.Node] = []
        years = self.archive.whole_run() if self.on_site else self.archive.years()
        for year, issues in years:
            section = nodes.section(ids=[f'annee-{year}'], classes=['galien-annee'])
            section += nodes.title('', str(year))
            items = nodes.bullet_list(classes=['galien-archives-liste'])
            for issue in issues:
                paragraph = nodes.paragraph()
                if isinstance(issue, PaperIssue):
                    self.paper_heading(issue, paragraph)
                    items += nodes.list_item('', paragraph, classes=['galien-papier'])
                    continue
                paragraph += self.link(issue, self.name(issue))
                if issue.titre:
                    paragraph += nodes.Text(f' : {issue.titre}')
                pdf = self.pdf_link(issue)
                if pdf is not None:
                    paragraph += nodes.Text(' ')
                    paragraph += pdf
                items += nodes.list_item('', paragraph)
            section += items
            sections.append(section)
        return sections

    def chiffres_page(self) -> list[nodes.Node]:
        entries: list[nodes.Node] = []
        run = (
            [issue for _year, issues in self.archive.whole_run() for issue in issues]
            if self.on_site
            else self.archive.newest_first
        )
        for issue in run:
            if isinstance(issue, PaperIssue):
                chiffre = issue.chiffre
            else:
                chiffre = self.chiffres.get(issue.docname)
            if chiffre is None:
                continue
            box = nodes.container(
                classes=['galien-chiffre', 'galien-chiffre-liste'], ids=[f'chiffre-{issue.numero}']
            )
            heading = nodes.paragraph(classes=['galien-chiffre-etiquette'])
            if isinstance(issue, PaperIssue):
                box['classes'].append('galien-papier')
                self.paper_heading(issue, heading)
            else:
                heading += self.link(issue, self.name(issue))
            box += heading
            box += chiffre_figure('', '', nodes.Text(chiffre.figure))
            box += nodes.paragraph('', '', nodes.Text(chiffre.summary))
            line = source_line(self.builder.env, chiffre)
            if line is not None:
                box += line
            entries.append(box)
        return entries

    def make(self, kind: str) -> list[nodes.Node]:
        return {
            'dernier-numero': self.latest,
            'archives': self.archives,
            'chiffres': self.chiffres_page,
        }[kind]()


class FillListings(SphinxPostTransform):
    """Replace each listing placeholder by the archive as it is at writing time, in every
    edition (links to the PDF, the feed and the ePub on the website only)."""

    default_priority = FILL_PRIORITY

    def run(self, **kwargs: Any) -> None:
        placeholders = placeholders_in(self.document, listing_placeholder)
        if not placeholders:
            return
        domain = galien_domain(self.env)
        builder = writing_builder(self.env)
        maker = ListingMaker(builder, self.env.docname, domain.archive, domain.chiffres)
        for placeholder in placeholders:
            fill(placeholder, maker.make(placeholder['kind']))


def setup(app: Sphinx) -> None:
    app.add_directive('galien-dernier-numero', LatestDirective)
    app.add_directive('galien-archives', ArchiveDirective)
    app.add_directive('galien-chiffres', ChiffresDirective)
    app.add_post_transform(FillListings)
