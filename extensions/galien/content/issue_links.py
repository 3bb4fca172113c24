"""Links between issues on each issue's page: "Cité dans" and previous/next by number.

The issue's page holds placeholders (``issue_links_placeholder``, input
``issue:N``, put there by ``issue_page.py``); they are filled when the page is
written, from the archive the domain derived after all issues were read, so
that issue 20 links to issue 21 as soon as it appears and lists every later
issue that cites it. Only the editions whose pages link to one another get them
(the website and the ePub), not the PDF or the e-mail. Part of the content, not
of the website: the ePub has them without ``galien.web``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from galien.content.issue_page import issue_links_placeholder
from galien.content.placeholders import FILL_PRIORITY
from galien.core.crossref import reference_label
from galien.core.editions import LINKED, builders_of, writing_builder
from galien.core.i18n import _
from galien.core.placeholders import placeholders_in
from galien.core.registry import galien_domain
from galien.core.titles import issue_label, issue_title

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from galien.core.model import Issue


class FillIssueLinks(SphinxPostTransform):
    """ "Cité dans" under the masthead and previous/next links at the end of an issue."""

    default_priority = FILL_PRIORITY
    builders = builders_of(*LINKED)

    def run(self, **kwargs: Any) -> None:
        domain = galien_domain(self.env)
        for placeholder in placeholders_in(self.document, issue_links_placeholder):
            issue = domain.published_issue(self.env.docname)
            shown: list[nodes.Node] = []
            if issue is not None and issue.numero == placeholder['numero']:
                if placeholder['part'] == 'cite-dans':
                    citers = domain.cited_in(issue.numero)
                    shown = [self.cited_in(citers)] if citers else []
                else:
                    older, newer = domain.neighbours(issue)
                    shown = [self.neighbours(older, newer)] if older or newer else []
            if shown:
                placeholder.replace_self(shown)
            else:
                placeholder.parent.remove(placeholder)

    def link(self, target: Issue, label: str, classes: list[str]) -> nodes.reference:
        uri = writing_builder(self.env).get_relative_uri(self.env.docname, target.docname)
        reference = nodes.reference('', '', internal=True, refuri=uri, classes=classes)
        reference += nodes.Text(label)
        return reference

    def cited_in(self, citers: tuple[Issue, ...]) -> nodes.paragraph:
        paragraph = nodes.paragraph(classes=['galien-cite-dans'])
        paragraph += nodes.Text(str(_('Cited in')) + ' ')
        project = self.config.project
        for index, citer in enumerate(citers):
            if index:
                paragraph += nodes.Text(', ')
            label = reference_label(project, citer.numero) if index == 0 else str(citer.numero)
            reference = self.link(citer, label, ['galien-ref'])
            reference['reftitle'] = issue_title(self.env, citer)
            paragraph += reference
        return paragraph

    def neighbours(self, older: Issue | None, newer: Issue | None) -> nodes.container:
        box = nodes.container(classes=['galien-precedent-suivant'])
        for target, word, css in (
            (older, _('Previous issue'), 'galien-precedent'),
            (newer, _('Next issue'), 'galien-suivant'),
        ):
            if target is None:
                continue
            paragraph = nodes.paragraph(classes=[css])
            paragraph += nodes.inline('', f'{word} : ', classes=['galien-nav-etiquette'])
            paragraph += self.link(target, issue_label(self.env, target), [css])
            box += paragraph
        return box


def setup(app: Sphinx) -> None:
    app.add_post_transform(FillIssueLinks)
