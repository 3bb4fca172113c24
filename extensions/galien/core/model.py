"""What the registry knows of an issue: plain, picklable records."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Issue:
    """One issue, as its front matter declares it.

    ``draft`` is ``brouillon: oui``: an issue no published edition carries
    (:mod:`galien.build.drafts`); ``make send`` and the like ask it.
    """

    docname: str
    numero: int
    year: int
    month: int
    titre: str = ''
    draft: bool = False

    @property
    def date(self) -> str:
        return f'{self.year:04d}-{self.month:02d}'


@dataclass(frozen=True)
class Chiffre:
    """An issue's "chiffre du mois", kept for the home page, feeds and archive."""

    figure: str
    summary: str
    source: str = ''  # a web address
    reference: str = ''  # or the key of an entry of the .bib files


@dataclass(frozen=True)
class Citation:
    """A ``galien`` reference from one issue to another, with its line."""

    numero: int
    lineno: int


@dataclass(frozen=True)
class PaperIssue:
    """A back issue published on paper only, as the archive's data file declares it.

    ``pdf`` is the path of its PDF in the source tree (``archives/galien-007.pdf``),
    empty when the centre has none or the file is not usable. ``line`` is where the
    entry starts in the data file, for warnings; it is left out of comparisons and
    of ``repr``, so that moving an entry in the file changes no back issue
    (:meth:`GalienDomain.note_back_issues`) and no page is read or written again.
    """

    numero: int
    year: int
    month: int
    titre: str = ''
    pdf: str = ''
    chiffre: Chiffre | None = None
    line: int = field(default=0, compare=False, repr=False)

    @property
    def date(self) -> str:
        return f'{self.year:04d}-{self.month:02d}'


def is_web_url(value: str) -> bool:
    """A chiffre's source must be an absolute web address a reader can open."""
    parts = urlsplit(value)
    return parts.scheme in {'http', 'https'} and bool(parts.netloc) and ' ' not in value
