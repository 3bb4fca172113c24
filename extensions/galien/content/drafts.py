"""The « Brouillon » banner on each page of a draft that a preview build shows.

Published builds never see a draft (:mod:`galien.build.drafts`); a preview
(``galien_drafts``) shows it as an issue among the others, and this banner says
what it is, at the top of the page, in every edition made of pages. The review
PDF (``make relecture``) has its watermark instead (:mod:`galien.print.review`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from galien.content.placeholders import FILL_PRIORITY
from galien.core.editions import Edition, builders_of
from galien.core.i18n import _
from galien.core.registry import galien_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def draft_banner() -> nodes.container:
    banner = nodes.container(classes=['galien-brouillon'])
    paragraph = nodes.paragraph()
    paragraph += nodes.inline('', str(_('Draft')), classes=['galien-brouillon-etiquette'])
    text = _(
        'this issue is not published: no edition carries it until its front matter '
        'says « brouillon: non ».'
    )
    paragraph += nodes.Text(f' : {text}')
    banner += paragraph
    return banner


class MarkDraft(SphinxPostTransform):
    """The banner on a draft's page, in every edition made of pages (not the PDF)."""

    default_priority = FILL_PRIORITY
    builders = builders_of(*(e for e in Edition if e is not Edition.PRINT))

    def run(self, **kwargs: Any) -> None:
        issue = galien_domain(self.env).issue_of(self.env.docname)
        if issue is None or not issue.draft:
            return
        doctree = self.document
        section = next(iter(doctree.findall(nodes.section)), None)
        if section is None:
            doctree.insert(0, draft_banner())
            return
        # Under the page's title, before the masthead: the first thing a reader sees.
        position = section.first_child_matching_class(nodes.title)
        section.insert(0 if position is None else position + 1, draft_banner())


def setup(app: Sphinx) -> None:
    app.add_post_transform(MarkDraft)
