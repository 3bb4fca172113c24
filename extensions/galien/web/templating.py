"""Issue metadata for HTML templates: ``galien_issue`` and ``galien_issues``.

Themes and ``_templates/`` overrides can then show the number, the month or
the chiffre du mois of a page without parsing it again. With ``galien_issn``
set, each issue page of the website also names the letter's ISSN in a
``<meta name="citation_issn">``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from galien.core.editions import Edition, edition
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
    issn = app.config.galien_issn
    context['galien_issn'] = issn
    if issn and issue is not None and edition(app.builder) is Edition.SITE:
        # The serial's ISSN, where indexes (Google Scholar, Zotero) look for it.
        context['metatags'] = context.get('metatags', '') + (
            f'\n<meta name="citation_issn" content="{html.escape(issn)}" />'
        )


def setup(app: Sphinx) -> None:
    app.connect('html-page-context', add_issue_context)
