"""Issue metadata for HTML templates: ``galien_issue`` and ``galien_issues``.

Themes and ``_templates/`` overrides can then show the number, the month or
the chiffre du mois of a page without parsing it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from galien.core.registry import galien_domain, issue_label

if TYPE_CHECKING:
    from docutils.nodes import document
    from sphinx.application import Sphinx


def add_issue_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: document | None,
) -> None:
    domain = galien_domain(app.env)
    issue = domain.issue_of(pagename)
    context['galien_issues'] = domain.ordered_issues()
    context['galien_issue'] = issue
    context['galien_issue_label'] = issue_label(app.env, issue) if issue else ''
    context['galien_chiffre'] = domain.chiffres.get(pagename)


def setup(app: Sphinx) -> None:
    app.connect('html-page-context', add_issue_context)
