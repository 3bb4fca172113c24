"""A draft shown by a preview build asks search engines to leave it out.

Read the Docs' pull-request previews are public addresses: a draft's page
there carries ``<meta name="robots" content="noindex">``, besides its
« Brouillon » banner (:mod:`galien.content.drafts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from galien.core.editions import Edition, edition
from galien.core.registry import galien_domain

if TYPE_CHECKING:
    from docutils.nodes import document
    from sphinx.application import Sphinx

NOINDEX = '\n<meta name="robots" content="noindex" />'


def keep_drafts_unindexed(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: document | None
) -> None:
    issue = galien_domain(app.env).issue_of(pagename)
    if edition(app.builder) is Edition.SITE and issue is not None and issue.draft:
        context['metatags'] = context.get('metatags', '') + NOINDEX


def setup(app: Sphinx) -> None:
    app.connect('html-page-context', keep_drafts_unindexed)
