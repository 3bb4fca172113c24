"""Links between issues on each issue's page: "Cité dans" and previous/next by number.

They are added when the page is written, from the archive computed after all
issues were read, so that issue 20 links to issue 21 as soon as it appears and
lists every later issue that cites it. Only the outputs whose pages link to one
another get them (the website and the ePub), not the PDF or the e-mail. Part of
the content, not of the website: the ePub has them without ``galien.web``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from galien.content.issue_page import masthead
from galien.core.archive import archive_of
from galien.core.crossref import reference_label
from galien.core.editions import LINKED_BUILDERS
from galien.core.i18n import _
from galien.core.registry import galien_domain, issue_label, issue_title

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from galien.core.model import Issue


class IssueLinks:
    """ "Cité dans" under the masthead and previous/next links at the end of an issue."""

    def __init__(self, app: Sphinx, docname: str) -> None:
        self.builder, self.env, self.docname = app.builder, app.env, docname

    def add_to(self, doctree: nodes.document) -> None:
        issue = galien_domain(self.env).issue_of(self.docname)
        archive = archive_of(self.env)
        if issue is None or archive.by_numero.get(issue.numero) != issue:
            return
        section = next(
            (s for s in doctree.findall(nodes.section) if 'galien-numero' in s['classes']),
            None,
        )
        if section is None:
            return
        citers = archive.cited_in.get(issue.numero, ())
        if citers:
            head = next(iter(section.findall(masthead)), None)
            position = section.index(head) + 1 if head is not None else 1
            section.insert(position, self.cited_in([archive.by_numero[n] for n in citers]))
        older, newer = archive.neighbours(issue)
        if older or newer:
            section += self.neighbours(older, newer)

    def link(self, target: Issue, label: str, classes: list[str]) -> nodes.reference:
        uri = self.builder.get_relative_uri(self.docname, target.docname)
        reference = nodes.reference('', '', internal=True, refuri=uri, classes=classes)
        reference += nodes.Text(label)
        return reference

    def cited_in(self, citers: list[Issue]) -> nodes.paragraph:
        paragraph = nodes.paragraph(classes=['galien-cite-dans'])
        paragraph += nodes.Text(str(_('Cited in')) + ' ')
        project = self.env.config.project
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


def add_issue_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On the pages that link to one another (website, ePub), once references are resolved."""
    if app.builder.name in LINKED_BUILDERS:
        IssueLinks(app, docname).add_to(doctree)


def setup(app: Sphinx) -> None:
    app.connect('doctree-resolved', add_issue_links)
