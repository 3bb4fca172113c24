"""The website's sidebar: the years of the archive, only the current year opened.

Book and PyData themes render the whole toctree into every page, so a flat
list of 240 issues costs 240 links on each of 240 pages. This sidebar
(``galien-sidebar-nav.html``, put in place of the theme's ``sbt-sidebar-nav.html``
or ``sidebar-nav-bs.html``) shows the home page, the chiffres page, the index of drugs, one link
per year and the issues of the page's own year only: at most a dozen issues,
whatever the size of the archive. The back issues published on paper only are
there too, in their year, linked to their PDF when the centre has it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.transforms import SphinxTransform

from galien.core.drug_domain import domain_of
from galien.core.editions import Edition, edition
from galien.core.i18n import LOCALE_DIR, _
from galien.core.model import PaperIssue
from galien.core.placeholders import derived_placeholder
from galien.core.registry import galien_domain
from galien.core.titles import issue_label
from galien.core.urls import pdf_url, root_prefix

if TYPE_CHECKING:
    from docutils.nodes import document
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from galien.core.model import Issue

TEMPLATES_DIR = Path(__file__).parent / 'templates'
SIDEBAR = 'galien-sidebar-nav.html'
THEME_SIDEBARS = ('sbt-sidebar-nav.html', 'sidebar-nav-bs.html')
#: The book theme's own sidebars, with ours in place of its toctree.
BOOK_SIDEBARS = ('navbar-logo.html', 'icon-links.html', 'search-button-field.html', SIDEBAR)


class sidebar_placeholder(derived_placeholder):  # noqa: N801 (docutils naming)
    """Every page of the site shows the sidebar: input ``sidebar:<docname>`` (its year).

    Nothing fills it: the sidebar is drawn from the template's context. It only
    declares what the page shows, and is dropped like any unfilled placeholder.
    """


class DeclareSidebar(SphinxTransform):
    """Each page declares, as it is read, that it shows the sidebar."""

    default_priority = 520  # before the domains collect the placeholders (850)

    def apply(self, **kwargs: Any) -> None:
        self.document += sidebar_placeholder(inputs=[f'sidebar:{self.env.docname}'])


def sidebar_context(app: Sphinx, pagename: str) -> dict[str, Any]:
    """Links of the sidebar for ``pagename``, relative to it."""
    env, builder = app.env, app.builder
    domain = galien_domain(env)

    def href(docname: str, anchor: str = '') -> str:
        uri = builder.get_relative_uri(pagename, docname)
        return f'{uri}#{anchor}' if anchor else (uri or '#')

    root = app.config.root_doc
    pages = [
        {
            'title': env.titles[root].astext() if root in env.titles else app.config.project,
            'href': href(root),
            'current': pagename == root,
        }
    ]
    for docname in [*domain.docs_with_listing('chiffres'), *domain_of(env).index_pages]:
        if docname != root and docname in env.titles:
            pages.append(
                {
                    'title': env.titles[docname].astext(),
                    'href': href(docname),
                    'current': pagename == docname,
                }
            )

    archive_page = next(iter(domain.docs_with_listing('archives')), None)
    current_year = domain.current_year(pagename)
    site_root = root_prefix(builder, pagename)

    def entry(issue: Issue | PaperIssue) -> dict[str, Any]:
        if isinstance(issue, PaperIssue):
            pdf = pdf_url(app.config, site_root, issue.numero) if issue.pdf else ''
            title = f'{issue_label(env, issue)} {_("(paper edition)")}'
            return {'title': title, 'href': pdf, 'current': False, 'paper': True}
        return {
            'title': issue_label(env, issue),
            'href': href(issue.docname),
            'current': issue.docname == pagename,
        }

    years = []
    for year, issues in domain.whole_run():
        if archive_page:
            target = href(archive_page, f'annee-{year}')
        else:
            pages_of_year = [i for i in issues if not isinstance(i, PaperIssue)]
            if not pages_of_year:
                continue  # a year of paper issues only, and no archive page to point at
            target = href(pages_of_year[0].docname)
        shown = [entry(issue) for issue in issues] if year == current_year else []
        years.append({'year': year, 'href': target, 'issues': shown})
    return {'label': str(_('Issues by year')), 'pages': pages, 'years': years}


def add_sidebar_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: document | None
) -> None:
    if edition(app.builder) is Edition.SITE:
        context['galien_nav'] = sidebar_context(app, pagename)


def use_sidebar(app: Sphinx, config: Config) -> None:
    """Make the template findable; put it in place of the theme's toctree sidebar."""
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]
    if not config.html_sidebars and config.html_theme == 'sphinx_book_theme':
        config.html_sidebars = {'**': list(BOOK_SIDEBARS)}
    if config.html_theme in {'sphinx_book_theme', 'pydata_sphinx_theme'}:
        # The theme's previous/next follow the toctree (newest issue first), which
        # would contradict the issue pages' own links by number (content/issue_links.py).
        config.html_theme_options.setdefault('show_prev_next', False)
    sidebars = config.html_sidebars
    for pattern, names in sidebars.items():
        if isinstance(names, (list, tuple)):
            sidebars[pattern] = [SIDEBAR if name in THEME_SIDEBARS else name for name in names]


def setup(app: Sphinx) -> None:
    # French for the theme's words its own catalog lacks (locale/fr/.../sphinx.po).
    app.add_message_catalog('sphinx', str(LOCALE_DIR))
    app.add_transform(DeclareSidebar)
    app.connect('config-inited', use_sidebar)
    app.connect('html-page-context', add_sidebar_context)
