"""What the registry derives from all documents: the archive, computed once per build.

Issue order, previous/next by number, the latest issue, the years, which issues
cite which and the whole run with the back issues published on paper only are
computed by :meth:`galien.core.registry.GalienDomain.derive` after every
document is read and merged (``env-updated``), never merged piecemeal from
parallel readers. This module holds the plain record; the domain owns it and
hands it out read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from galien.core.model import Issue, PaperIssue


@dataclass(frozen=True)
class Archive:
    """Every issue, newest first, and the relations between them.

    ``newest_first`` holds the issues written in Markdown, the ones with pages;
    ``paper`` the back issues published on paper only (``paper.py``), newest first,
    for the listings of the website that show the whole run of the letter.
    """

    newest_first: tuple[Issue, ...] = ()
    cited_in: dict[int, tuple[int, ...]] = field(default_factory=dict)
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
