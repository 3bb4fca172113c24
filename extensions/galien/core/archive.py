"""The archive: what every page knows of the other issues, derived once per build.

Issue order, previous/next by number, the latest issue, the years and which
issues cite which are computed from the registry after all documents are read
(``env-updated``), never merged piecemeal from parallel readers. Each page's
share of that data is kept as a *view*; a page whose view changed since the
current builder last wrote it (issue 20 when issue 21 appears, the home page
when any chiffre changes) is written again without being read again
(``env-get-updated``).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from galien.core.editions import VIEW_BUILDERS
from galien.core.paper import back_issues
from galien.core.registry import galien_domain

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from galien.core.model import Issue, PaperIssue
    from galien.core.registry import GalienDomain

ARCHIVE_KEY = 'archive'
LISTINGS_KEY = 'listings'


@dataclass(frozen=True)
class Archive:
    """Every issue, newest first, and the relations between them.

    ``newest_first`` holds the issues written in Markdown, the ones with pages;
    ``paper`` the back issues published on paper only (``paper.py``), newest first,
    for the listings of the website that show the whole run of the letter.
    """

    newest_first: tuple[Issue, ...] = ()
    cited_in: dict[int, tuple[int, ...]] = field(default_factory=dict)
    views: dict[str, Hashable] = field(default_factory=dict)
    paper: tuple[PaperIssue, ...] = ()

    @property
    def latest(self) -> Issue | None:
        return self.newest_first[0] if self.newest_first else None

    # Indexes computed on first use and kept: pages ask for them once each.
    @cached_property
    def by_numero(self) -> dict[int, Issue]:
        return {issue.numero: issue for issue in self.newest_first}

    @cached_property
    def _position(self) -> dict[str, int]:
        return {issue.docname: index for index, issue in enumerate(self.newest_first)}

    @cached_property
    def _years(self) -> tuple[tuple[int, tuple[Issue, ...]], ...]:
        grouped: dict[int, list[Issue]] = {}
        for issue in self.newest_first:
            grouped.setdefault(issue.year, []).append(issue)
        return tuple(
            (year, tuple(issues)) for year, issues in sorted(grouped.items(), reverse=True)
        )

    def years(self) -> tuple[tuple[int, tuple[Issue, ...]], ...]:
        """``(year, issues of that year newest first)``, newest year first."""
        return self._years

    @cached_property
    def _whole_run(self) -> tuple[tuple[int, tuple[Issue | PaperIssue, ...]], ...]:
        grouped: dict[int, list[Issue | PaperIssue]] = {}
        run: list[Issue | PaperIssue] = [*self.newest_first, *self.paper]
        for issue in sorted(run, key=lambda i: -i.numero):
            grouped.setdefault(issue.year, []).append(issue)
        return tuple(
            (year, tuple(issues)) for year, issues in sorted(grouped.items(), reverse=True)
        )

    def whole_run(self) -> tuple[tuple[int, tuple[Issue | PaperIssue, ...]], ...]:
        """Like :meth:`years`, with the back issues published on paper only."""
        return self._whole_run

    def neighbours(self, issue: Issue) -> tuple[Issue | None, Issue | None]:
        """The previous and next issues by number (gaps in numbering are skipped)."""
        index = self._position[issue.docname]
        newer = self.newest_first[index - 1] if index > 0 else None
        older = self.newest_first[index + 1] if index + 1 < len(self.newest_first) else None
        return older, newer

    def current_year(self, docname: str) -> int | None:
        """The year whose issues the sidebar shows on ``docname``: its own, else the latest."""
        if docname in self._position:
            return self.newest_first[self._position[docname]].year
        return self.latest.year if self.latest else None


def archive_of(env: BuildEnvironment) -> Archive:
    """The archive computed after the last read (empty before any)."""
    archive = galien_domain(env).data.get(ARCHIVE_KEY)
    return archive if isinstance(archive, Archive) else Archive()


def listing_docs(env: BuildEnvironment) -> set[str]:
    """Documents that list the whole archive (home page, chiffres page)."""
    listings = galien_domain(env).data.get(LISTINGS_KEY, {})
    return {docname for docname, kinds in listings.items() if kinds}


def compute_cited_in(domain: GalienDomain, issues: Iterable[Issue]) -> dict[int, tuple[int, ...]]:
    """Issue number -> numbers of the issues that cite it, oldest first."""
    known = {issue.numero for issue in issues}
    cited_in: dict[int, set[int]] = {}
    for docname, citations in domain.citations.items():
        citing = domain.issue_of(docname)
        if citing is None or domain.by_numero.get(citing.numero) != citing:
            continue
        for citation in citations:
            if citation.numero in known and citation.numero != citing.numero:
                cited_in.setdefault(citation.numero, set()).add(citing.numero)
    return {numero: tuple(sorted(citers)) for numero, citers in cited_in.items()}


def page_titles(env: BuildEnvironment, docnames: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``(docname, title)`` of pages every page links to (in the sidebar, say)."""
    return tuple(
        (docname, env.titles[docname].astext() if docname in env.titles else '')
        for docname in sorted(docnames)
    )


def page_views(env: BuildEnvironment, archive: Archive) -> dict[str, Hashable]:
    """What each page shows of the archive, to tell which pages must be written again."""
    domain = galien_domain(env)
    chiffres = tuple(sorted((d, c) for d, c in domain.chiffres.items()))
    everything = (archive.newest_first, chiffres, archive.paper)
    years = tuple(year for year, _ in archive.whole_run())
    views: dict[str, Hashable] = {}
    run_of_year = dict(archive.whole_run())
    for year, issues in archive.years():
        sidebar = (years, year, run_of_year[year])
        for issue in issues:
            older, newer = archive.neighbours(issue)
            views[issue.docname] = (sidebar, older, newer, archive.cited_in.get(issue.numero))
    latest_year = archive.current_year('')
    latest_run = run_of_year.get(latest_year, ()) if latest_year is not None else ()
    latest_sidebar = (years, latest_year, latest_run)
    for docname in env.found_docs:
        if docname in listing_docs(env):
            views[docname] = everything
        else:
            views.setdefault(docname, latest_sidebar)
    # The sidebar names the listing pages on every page: adding, removing or
    # renaming one changes them all.
    linked = page_titles(env, listing_docs(env))
    return {docname: (view, linked) for docname, view in views.items()}


def compute_archive(app: Sphinx, env: BuildEnvironment) -> None:
    """Recompute the archive once every document has been read and merged."""
    domain = galien_domain(env)
    newest_first = tuple(reversed(domain.ordered_issues()))
    paper = tuple(
        issue
        for numero, issue in sorted(back_issues(env).items(), reverse=True)
        if numero not in domain.by_numero
    )
    archive = Archive(newest_first, compute_cited_in(domain, newest_first), paper=paper)
    views = page_views(env, archive)
    domain.data[ARCHIVE_KEY] = Archive(archive.newest_first, archive.cited_in, views, paper)


def written_views_file(app: Sphinx) -> Path:
    """Where the views a builder last wrote are kept: beside the doctrees, one file per builder.

    Not in the environment, which is pickled before writing: a write that fails
    must not count as written.
    """
    return Path(app.doctreedir) / f'galien-views-{app.builder.name}.pickle'


def written_views(app: Sphinx) -> dict[str, Hashable]:
    try:
        with written_views_file(app).open('rb') as views_file:
            views = pickle.load(views_file)
    except (OSError, EOFError, pickle.PickleError, AttributeError, ImportError, TypeError):
        return {}  # never written, or by another version of the extension
    return views if isinstance(views, dict) else {}


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose share of the archive changed since this builder last wrote them.

    Kept per builder: ``make site`` builds the website, the PDFs and the ePub
    from one environment, and the ePub must catch up on what the website saw.
    """
    if app.builder.name not in VIEW_BUILDERS:
        return []
    written = written_views(app)
    return sorted(
        docname
        for docname, view in archive_of(env).views.items()
        if written.get(docname) != view and docname in env.found_docs
    )


def remember_written_views(app: Sphinx, exception: Exception | None) -> None:
    """Once the pages are written, note what they show (a failed build notes nothing)."""
    if exception is not None or app.builder.name not in VIEW_BUILDERS:
        return
    path = written_views_file(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open('wb') as views_file:
        pickle.dump(archive_of(app.env).views, views_file, pickle.HIGHEST_PROTOCOL)


def setup(app: Sphinx) -> None:
    app.connect('env-updated', compute_archive)
    app.connect('env-get-updated', pages_to_rewrite)
    app.connect('build-finished', remember_written_views)
