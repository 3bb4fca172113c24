"""An issue's page: its title, masthead and colophon, made from data.

Editors write only the content of an issue. This transform reads the front
matter into the registry, then wraps the page in a section titled
"Galien N° 20 – février 2018" that opens with the masthead (tagline,
publisher, headline) and closes with the board and the colophon of the
issue's date, taken from ``galien_colophons`` in ``conf.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from galien.content.blocks import galien_block, visitors_for
from galien.content.board import board
from galien.core.front_matter import read_issue
from galien.core.i18n import _, __
from galien.core.placeholders import derived_placeholder, issue_input
from galien.core.registry import galien_domain
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.titles import issue_label, issue_title
from galien.core.urls import issue_docname_number

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.latex import LaTeXTranslator

    from galien.core.model import Issue

logger = logging.getLogger(__name__)


class masthead(galien_block):  # noqa: N801 (docutils naming)
    """Tagline, publisher and headline under the issue's title."""


class colophon(galien_block):  # noqa: N801
    """Department, publication director and editorial committee of the issue."""


class issue_links_placeholder(derived_placeholder):  # noqa: N801 (docutils naming)
    """Where the page shows its issue's links to others: ``part`` is ``cite-dans``
    (under the masthead) or ``voisins`` (previous/next, at the end); input ``issue:N``."""


class pdf_link_placeholder(derived_placeholder):  # noqa: N801
    """Where the website offers the issue's PDF, at the end of the masthead."""


def issue_section(document: nodes.document) -> nodes.section | None:
    """The section an issue's page is made of (:class:`IssuePageTransform`), if any."""
    return next((c for c in document.children if isinstance(c, nodes.section)), None)


def colophon_for(config: Config, issue: Issue) -> dict[str, Any] | None:
    """The colophon period in force at the issue's date (the latest that began before)."""
    periods = [p for p in config.galien_colophons if str(p.get('since', '')) <= issue.date]
    return max(periods, key=lambda p: str(p['since']), default=None)


def _labelled(label: str, value: str, css_class: str) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=[css_class])
    paragraph += nodes.strong(label, label)
    paragraph += nodes.Text(f' : {value}')
    return paragraph


def build_masthead(config: Config, issue: Issue, label: str) -> masthead:
    """The masthead; ``numero`` and ``edition`` (``N° 20 – FÉVRIER 2018``) are for print."""
    node = masthead(classes=['galien-masthead'], numero=issue.numero, edition=label.upper())
    if config.galien_tagline:
        node += nodes.paragraph(
            config.galien_tagline, config.galien_tagline, classes=['galien-tagline']
        )
    if config.galien_publisher:
        node += nodes.paragraph(
            config.galien_publisher, config.galien_publisher, classes=['galien-editeur']
        )
    if issue.titre:
        node += nodes.paragraph(issue.titre, issue.titre, classes=['galien-titre-numero'])
    return node


def build_colophon(period: dict[str, Any]) -> colophon:
    node = colophon(classes=['galien-colophon'])
    if period.get('department'):
        node += nodes.paragraph(
            period['department'], period['department'], classes=['galien-service']
        )
    if period.get('director'):
        node += _labelled(str(_('Publication director')), period['director'], 'galien-directeur')
    if period.get('editors'):
        node += _labelled(
            str(_('Editorial committee')), ', '.join(period['editors']), 'galien-comite'
        )
    return node


class IssuePageTransform(SphinxTransform):
    """Register the issue and give its page a title, masthead and colophon."""

    # After docutils' DocInfo (340), so the front matter is already set apart.
    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        docname = self.env.docname
        issues_dir = self.config.galien_issues_dir
        if not docname.startswith(f'{issues_dir}/'):
            return
        if issue_docname_number(docname, issues_dir) is None:
            warn(
                logger,
                __("un numéro doit s'appeler %s/NNN.md (trois chiffres), pas %s"),
                issues_dir,
                self.env.doc2path(docname, False),
                location=(docname, 1),
                subtype=Subtype.EN_TETE,
            )
        issue = read_issue(self.env, docname)
        if issue is None:
            return
        domain = galien_domain(self.env)
        domain.note_issue(issue)
        self.env.events.emit('galien-issue-read', issue, self.document)
        self._build_page(issue)

    def _build_page(self, issue: Issue) -> None:
        document = self.document
        start = 0
        while start < len(document) and isinstance(
            document[start], (nodes.docinfo, nodes.PreBibliographic)
        ):
            start += 1
        content = document.children[start:]
        del document[start:]

        title = issue_title(self.env, issue)
        section = nodes.section(classes=['galien-numero'])
        section['names'].append(nodes.fully_normalize_name(title))
        section += nodes.title(title, title)
        document.note_implicit_target(section, section)
        head = build_masthead(self.config, issue, issue_label(self.env, issue))
        head += pdf_link_placeholder(numero=issue.numero)
        section += head
        inputs = [issue_input(issue.numero)]
        section += issue_links_placeholder(numero=issue.numero, part='cite-dans', inputs=inputs)
        section.extend(content)
        # The board closes the letter, whatever section the editor wrote it in.
        for board_node in list(section.findall(board)):
            board_node.parent.remove(board_node)
            section += board_node
        period = colophon_for(self.config, issue)
        if period is not None:
            section += build_colophon(period)
        section += issue_links_placeholder(numero=issue.numero, part='voisins', inputs=inputs)
        document += section


def visit_masthead_latex(self: LaTeXTranslator, node: masthead) -> None:
    """The printed masthead is one ``\\galienmasthead`` call (``galien.sty``)."""
    texts = {
        cls: child.astext()
        for child in node.children
        if isinstance(child, nodes.Element)
        for cls in child['classes']
    }
    arguments = (
        texts.get('galien-tagline', ''),
        texts.get('galien-editeur', ''),
        node.get('edition', ''),
        texts.get('galien-titre-numero', ''),
    )
    self.body.append(
        '\n\\galienmasthead' + ''.join(f'{{{self.encode(a)}}}' for a in arguments) + '\n'
    )
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_event('galien-issue-read')
    masthead_visitors = visitors_for('header', 'galienmasthead')
    masthead_visitors['latex'] = (visit_masthead_latex, None)
    app.add_node(masthead, override=False, **masthead_visitors)
    app.add_node(
        colophon, override=False, **visitors_for('footer', 'galiencolophon', r'\galienendcolumns')
    )
    app.add_transform(IssuePageTransform)
