"""Drugs as objects of the letter: who mentions or presents which DCI, and the index.

A drug is known by its DCI (international non-proprietary name). Issues
mention drugs with the ``dci`` role and present them with the ``medicament``
directive (``content/drugs.py``); both record here, per docname, in the
:class:`DrugDomain`, so that parallel reads merge cleanly. The index of drugs
(one entry per DCI, its brands, ATC code and the issues that discuss it) is
derived from all documents once after reading (``env-updated``); the page
showing it is written again only when the index changed (its view of the
archive, ``archive.py``).

Case and accents do not split a drug: ``Atézolizumab``, ``atezolizumab`` and
``atézolizumab`` share the key ``atezolizumab``. Sorting follows French
dictionaries: accents and case ignored first (``éribuline`` between
``entrectinib`` and ``erlotinib``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, cast

from sphinx.domains import Domain, ObjType
from sphinx.locale import __
from sphinx.util import logging

from galien.core.archive import archive_of, page_titles
from galien.core.i18n import _
from galien.core.registry import galien_domain
from galien.core.report import warn

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Set

    from docutils import nodes
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from galien.core.model import Issue

logger = logging.getLogger(__name__)

DOMAIN_NAME = 'medicament'
INDEX_KEY = 'index'  # the derived DrugIndex
PER_DOC_KEYS = ('mentions', 'presentations', 'index_pages')
#: Trademark signs are part of how a brand is written, not of what it names.
BRAND_SIGNS = '®™©'
LIGATURES = str.maketrans({'œ': 'oe', 'Œ': 'OE', 'æ': 'ae', 'Æ': 'AE', 'ß': 'ss'})


# -- names ---------------------------------------------------------------------


@cache
def fold(text: str) -> str:
    """Lower case, no accents, no ligatures, single spaces: ``Atézolizumab`` -> ``atezolizumab``."""
    decomposed = unicodedata.normalize('NFKD', text.translate(LIGATURES))
    bare = ''.join(c for c in decomposed if not unicodedata.combining(c))
    return ' '.join(bare.casefold().split())


def drug_key(dci: str) -> str:
    """The key of a DCI: what two spellings of one drug have in common."""
    return fold(dci)


def brand_key(brand: str) -> str:
    """The key of a brand: ``Tagrisso®`` and ``TAGRISSO`` are one brand."""
    return fold(brand.translate({ord(c): None for c in BRAND_SIGNS}))


def is_drug_name(name: str) -> bool:
    """A DCI or a brand has letters, and no ``<`` or ``>`` left over from a link-like target.

    ``{dci}`<>```, ``{dci}`<<>>``` or ``{dci}`[ ]``` would otherwise become entries
    of the index (and of ``medicaments.json``) that name nothing.
    """
    return any(c.isalpha() for c in name) and not any(c in '<>' for c in name)


def sort_key(name: str) -> tuple[str, str]:
    """French dictionary order: accents and case ignored, then the exact spelling."""
    return (brand_key(name), name.casefold())


def slug(key: str) -> str:
    """``trastuzumab emtansine`` -> ``trastuzumab-emtansine``, for anchors."""
    return re.sub(r'[^a-z0-9]+', '-', key).strip('-') or 'x'


def index_anchor(key: str) -> str:
    """The id of a DCI's entry on the index page."""
    return f'dci-{slug(key)}'


# -- what documents say ----------------------------------------------------------


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


# -- derived from all documents ------------------------------------------------------


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


class DrugDomain(Domain):
    """Drug mentions and presentations per document; the index derived from them."""

    name = DOMAIN_NAME
    label = 'Médicaments'
    object_types = {
        'dci': ObjType(_('drug (DCI)'), 'dci'),
        'specialite': ObjType(_('brand'), 'specialite'),
    }
    initial_data: ClassVar[dict[str, Any]] = {
        'mentions': {},  # docname -> list[Mention]
        'presentations': {},  # docname -> list[Presentation]
        'index_pages': {},  # docname -> True: documents showing the index
    }
    data_version = 1

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        """« spécialité », not « Médicaments spécialité », under a search result."""
        return str(type.lname)

    # -- collected per document ------------------------------------------------

    @property
    def mentions(self) -> dict[str, list[Mention]]:
        return self.data['mentions']

    @property
    def presentations(self) -> dict[str, list[Presentation]]:
        return self.data['presentations']

    @property
    def index_pages(self) -> list[str]:
        return sorted(self.data['index_pages'])

    def note_mention(self, docname: str, mention: Mention) -> None:
        self.mentions.setdefault(docname, []).append(mention)

    def note_presentation(self, docname: str, presentation: Presentation) -> None:
        self.presentations.setdefault(docname, []).append(presentation)

    def note_index_page(self, docname: str) -> None:
        self.data['index_pages'][docname] = True

    def presentation_in(self, docname: str, key: str) -> Presentation | None:
        return next((p for p in self.presentations.get(docname, []) if p.key == key), None)

    def mention_anchor(self, docname: str, key: str) -> str:
        """A new id for a mention: ``mention-osimertinib``, then ``mention-osimertinib-2``…"""
        count = sum(1 for m in self.mentions.get(docname, []) if m.key == key)
        base = f'mention-{slug(key)}'
        return base if count == 0 else f'{base}-{count + 1}'

    def clear_doc(self, docname: str) -> None:
        for key in PER_DOC_KEYS:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in PER_DOC_KEYS:
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    # -- derived from all documents -------------------------------------------

    @property
    def index(self) -> DrugIndex:
        index = self.data.get(INDEX_KEY)
        return index if isinstance(index, DrugIndex) else DrugIndex()

    def issues(self) -> dict[str, Issue]:
        """The issues whose drugs count: one file per number (the registry's choice)."""
        return {issue.docname: issue for issue in galien_domain(self.env).ordered_issues()}

    def compute_index(self) -> DrugIndex:
        issues = self.issues()
        spellings: dict[str, list[tuple[bool, int, str]]] = {}
        brands: dict[str, dict[str, list[str]]] = {}
        atc: dict[str, str] = {}
        places: dict[str, dict[str, Place]] = {}
        for docname, issue in issues.items():
            for p in self.presentations.get(docname, []):
                spellings.setdefault(p.key, []).append((True, issue.numero, p.dci))
                for brand in p.brands:
                    brands.setdefault(p.key, {}).setdefault(brand_key(brand), []).append(brand)
                if len(p.atc) > len(atc.get(p.key, '')) and compatible_atc(
                    p.atc, atc.get(p.key, '')
                ):
                    atc[p.key] = p.atc
                place = Place(docname, issue.numero, issue.year, issue.month, p.anchor, True)
                places.setdefault(p.key, {})[docname] = place
            for m in self.mentions.get(docname, []):
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

    # -- checks across documents -------------------------------------------------

    def check_consistency(self) -> None:
        """Warn where two issues contradict each other: ATC code, or a brand's DCI."""
        issues = self.issues()
        order = sorted(issues, key=lambda d: issues[d].numero)
        first_atc: dict[str, tuple[str, str, int]] = {}
        brand_owner: dict[str, tuple[str, str, int]] = {}
        for docname in order:
            records: list[tuple[int, str, str, str, tuple[str, ...]]] = [
                (p.lineno, p.key, p.dci, p.atc, p.brands)
                for p in self.presentations.get(docname, [])
            ]
            records += [
                (m.lineno, m.key, m.dci, '', (m.brand,) if m.brand else ())
                for m in self.mentions.get(docname, [])
            ]
            for lineno, key, dci, code, brands in sorted(records):
                if code:
                    known = first_atc.setdefault(key, (code, docname, lineno))
                    if not compatible_atc(code, known[0]):
                        self._warn(
                            __(
                                '%s : code ATC %s ici, mais %s en %s ; '
                                "un médicament n'a qu'un code ATC"
                            ),
                            (docname, lineno),
                            dci,
                            code,
                            known[0],
                            self._where(known[1], known[2]),
                        )
                for brand in brands:
                    owner = brand_owner.setdefault(brand_key(brand), (dci, docname, lineno))
                    if drug_key(owner[0]) != key:
                        self._warn(
                            __('la spécialité %s désigne ici %s, mais %s en %s'),
                            (docname, lineno),
                            brand,
                            dci,
                            owner[0],
                            self._where(owner[1], owner[2]),
                        )

    def _where(self, docname: str, lineno: int) -> str:
        return f'{self.env.doc2path(docname, False)}:{lineno}'

    @staticmethod
    def _warn(message: str, location: tuple[str, int], *args: object) -> None:
        warn(logger, message, *args, location=location, subtype='medicament')

    # -- cross-references and search --------------------------------------------

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Every DCI and brand, found by the site's search at the DCI's index entry."""
        pages = self.index_pages
        if not pages:
            return
        for entry in self.index.entries:
            yield (entry.dci, entry.dci, 'dci', pages[0], entry.anchor, 1)
            for brand in entry.brands:
                yield (brand, f'{brand} ({entry.dci})', 'specialite', pages[0], entry.anchor, 1)


def domain_of(env: BuildEnvironment) -> DrugDomain:
    """The drug domain of ``env``'s build."""
    return cast('DrugDomain', env.domains[DOMAIN_NAME])


def compute_index(app: Sphinx, env: BuildEnvironment) -> None:
    """Recompute the index once every document has been read and merged.

    The index is part of what its pages show: added to their view of the
    archive (``archive.py``), it makes them written again, and them only,
    when it changes.
    """
    domain = domain_of(env)
    index = domain.compute_index()
    domain.data[INDEX_KEY] = index
    views = archive_of(env).views
    # Every page names the index of drugs in its sidebar, and issues link to it.
    index_pages = page_titles(env, domain.index_pages)
    for docname, view in views.items():
        shown = index if docname in domain.index_pages else None
        views[docname] = (view, index_pages, shown)


def setup(app: Sphinx) -> None:
    app.add_domain(DrugDomain)
    # After the archive and its views (archive.py, default priority).
    app.connect('env-updated', compute_index, priority=600)
