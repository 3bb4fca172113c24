"""What issues say about drugs, and the index of drugs derived from all of them.

Frozen records only: :class:`Mention` and :class:`Presentation` are what one
document says (collected by the drug domain, ``drug_domain.py``);
:func:`build_index` turns those of every issue into the :class:`DrugIndex`
(one :class:`Entry` per DCI, its brands, ATC code and the issues discussing
it). Comparable by value, so that a page showing the index is written again
exactly when the index changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

from galien.core.drug_vocabulary import BRAND_SIGNS, brand_key, index_anchor, sort_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from galien.core.model import Issue


@dataclass(frozen=True)
class Mention:
    """A ``{dci}`` in the text: the DCI it names, the brand shown if any, its place."""

    key: str
    dci: str
    brand: str
    anchor: str
    lineno: int


@dataclass(frozen=True)
class Presentation:
    """A ``{medicament}`` block: the drug presented in the issue and its record."""

    key: str
    dci: str
    brands: tuple[str, ...]
    laboratoire: str
    atc: str
    statut: str
    date: str
    indication: str
    anchor: str
    lineno: int


@dataclass(frozen=True)
class Place:
    """An issue that discusses a drug: where to link, and whether it presents it."""

    docname: str
    numero: int
    year: int
    month: int
    anchor: str
    presentation: bool


@dataclass(frozen=True)
class Entry:
    """One DCI of the index: its spelling, brands, ATC code and the issues discussing it."""

    key: str
    dci: str
    brands: tuple[str, ...]
    atc: str
    places: tuple[Place, ...]  # presentations first, then mentions; newest first in each

    @property
    def anchor(self) -> str:
        return index_anchor(self.key)


@dataclass(frozen=True)
class DrugIndex:
    """Every DCI discussed by an issue, in French alphabetical order."""

    entries: tuple[Entry, ...] = ()

    def brands(self) -> list[tuple[str, Entry]]:
        """``(brand, entry of its DCI)`` for every brand, to list them as cross-references."""
        return [(brand, entry) for entry in self.entries for brand in entry.brands]

    def entry(self, key: str) -> Entry | None:
        """The entry of the DCI whose key is ``key``, if an issue discusses it."""
        return self._by_key.get(key)

    @cached_property
    def _by_key(self) -> dict[str, Entry]:
        return {entry.key: entry for entry in self.entries}


def preferred_spelling(spellings: Iterable[tuple[bool, int, str]]) -> str:
    """A DCI as the index shows it, in lower case as French usage has it.

    ``spellings`` are ``(presented, numero, as written)``: a presentation wins,
    then the spelling with accents (``atézolizumab`` over ``atezolizumab``), then
    the newest issue.
    """
    best = max(spellings, key=lambda s: (s[0], accents(s[2]), s[1]))
    return best[2].lower()


@cache
def accents(text: str) -> int:
    """How many letters of ``text`` are not plain ASCII (``atézolizumab``: 1)."""
    return sum(not c.isascii() for c in text)


def preferred_brand(spellings: list[str]) -> str:
    """A brand as written with its sign (``Tagrisso®``) if any issue wrote it so."""
    signed = [s for s in spellings if any(c in BRAND_SIGNS for c in s)]
    return (signed or spellings)[0]


def compatible_atc(first: str, second: str) -> bool:
    """Two ATC codes agree when one is the other or a level above it (``L01E``, ``L01EB04``)."""
    return first.startswith(second) or second.startswith(first)


def build_index(
    issues: Iterable[Issue],
    presentations: Mapping[str, Sequence[Presentation]],
    mentions: Mapping[str, Sequence[Mention]],
) -> DrugIndex:
    """The index of the drugs that ``issues`` present or mention."""
    spellings: dict[str, list[tuple[bool, int, str]]] = {}
    brands: dict[str, dict[str, list[str]]] = {}
    atc: dict[str, str] = {}
    places: dict[str, dict[str, Place]] = {}
    for issue in issues:
        docname = issue.docname
        for p in presentations.get(docname, []):
            spellings.setdefault(p.key, []).append((True, issue.numero, p.dci))
            for brand in p.brands:
                brands.setdefault(p.key, {}).setdefault(brand_key(brand), []).append(brand)
            if len(p.atc) > len(atc.get(p.key, '')) and compatible_atc(p.atc, atc.get(p.key, '')):
                atc[p.key] = p.atc
            place = Place(docname, issue.numero, issue.year, issue.month, p.anchor, True)
            places.setdefault(p.key, {})[docname] = place
        for m in mentions.get(docname, []):
            spellings.setdefault(m.key, []).append((False, issue.numero, m.dci))
            if m.brand:
                brands.setdefault(m.key, {}).setdefault(brand_key(m.brand), []).append(m.brand)
            place = Place(docname, issue.numero, issue.year, issue.month, m.anchor, False)
            places.setdefault(m.key, {}).setdefault(docname, place)
    entries = []
    for key, written in spellings.items():
        shown_brands = sorted(
            (preferred_brand(s) for s in brands.get(key, {}).values()), key=sort_key
        )
        ordered = sorted(places[key].values(), key=lambda p: (not p.presentation, -p.numero))
        entries.append(
            Entry(
                key,
                preferred_spelling(written),
                tuple(shown_brands),
                atc.get(key, ''),
                tuple(ordered),
            )
        )
    entries.sort(key=lambda e: sort_key(e.dci))
    return DrugIndex(tuple(entries))
