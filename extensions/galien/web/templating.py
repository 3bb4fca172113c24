"""Issue metadata for HTML templates: ``galien_issue`` and ``galien_issues``.

Themes and ``_templates/`` overrides can then show the number, the month or
the chiffre du mois of a page without parsing it again.

Each issue page of the website also describes the issue in its ``<head>``, as
:mod:`galien.core.metadata` says it (Dublin Core, Highwire Press ``citation_*``
tags for Google Scholar and Zotero, schema.org JSON-LD), and the home page the
letter as a ``Periodical``. Only on the website: the ePub and the e-mail carry
their own metadata, or none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from galien.core.editions import Edition, edition
from galien.core.metadata import (
    head_tags,
    issue_metadata,
    periodical_metadata,
    periodical_schema_org,
    script_json_ld,
)
from galien.core.registry import galien_domain
from galien.core.titles import issue_label

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
    if edition(app.builder) is not Edition.SITE:
        return
    if issue is not None and not issue.draft:
        base = app.config.html_baseurl
        page_url = f'{base.rstrip("/")}/{app.builder.get_target_uri(pagename)}' if base else ''
        meta = issue_metadata(app.env, issue, page_url=page_url)
        context['metatags'] = context.get('metatags', '') + head_tags(meta)
    elif pagename == app.config.root_doc:
        periodical = periodical_schema_org(periodical_metadata(app.config))
        context['metatags'] = context.get('metatags', '') + script_json_ld(periodical)


def setup(app: Sphinx) -> None:
    app.connect('html-page-context', add_issue_context)
