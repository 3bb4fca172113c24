"""What the registry knows of an issue: plain, picklable records."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One published issue, as its front matter declares it."""

    docname: str
    numero: int
    year: int
    month: int
    titre: str = ''

    @property
    def date(self) -> str:
        return f'{self.year:04d}-{self.month:02d}'


@dataclass(frozen=True)
class Chiffre:
    """An issue's "chiffre du mois", kept for the home page, feeds and archive."""

    figure: str
    summary: str
    source: str = ''


@dataclass(frozen=True)
class Citation:
    """A ``galien`` reference from one issue to another, with its line."""

    numero: int
    lineno: int
