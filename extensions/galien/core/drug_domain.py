"""The drug domain: who mentions or presents which DCI, the index derived from it, the links.

Issues mention drugs with the ``dci`` role and present them with the
``medicament`` directive (``content/drug_markup.py``); both record here, per
docname, so that parallel reads merge cleanly. The domain derives the index of
drugs (``drug_model.build_index``) once every document has been read and
merged (``env-updated``, as ``sphinxcontrib-bibtex`` does), keeps it, and
resolves the drug references (``pending_xref`` nodes): a ``{dci}`` (and each
name of an issue's drug list) to the DCI's entry of the index page, and the
index page's ``place`` references to the issues. Everything else reads the
domain through its accessors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from sphinx.domains import Domain, ObjType
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from galien.core.drug_model import DrugIndex, build_index, compatible_atc
from galien.core.drug_vocabulary import brand_key, drug_key, mention_anchor
from galien.core.editions import STYLED, edition
from galien.core.i18n import _, __
from galien.core.registry import PAGE_INPUTS_EVENT, galien_domain
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterator, Set

    from docutils import nodes
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from galien.core.drug_model import Entry, Mention, Place, Presentation
    from galien.core.model import Issue

logger = logging.getLogger(__name__)

DOMAIN_NAME = 'medicament'
#: The role (and object type) of a DCI: ``{dci}`` in issues, ``medicament:dci`` in full.
DCI_ROLE = 'dci'
INDEX_KEY = 'index'  # the derived DrugIndex, written by the domain only
PER_DOC_KEYS = ('mentions', 'presentations', 'index_pages')


class DrugDomain(Domain):
    """Drug mentions and presentations per document; the index derived from them."""

    name = DOMAIN_NAME
    label = 'Médicaments'
    object_types: ClassVar[dict[str, ObjType]] = {
        DCI_ROLE: ObjType(_('drug (DCI)'), DCI_ROLE),
        'specialite': ObjType(_('brand'), 'specialite'),
    }
    initial_data: ClassVar[dict[str, Any]] = {
        'mentions': {},  # docname -> list[Mention]
        'presentations': {},  # docname -> list[Presentation]
        'index_pages': {},  # docname -> True: documents showing the index
    }
    data_version = 2

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

    @property
    def index_page(self) -> str | None:
        """The page the drugs link to: the first showing the index, if any."""
        pages = self.index_pages
        return pages[0] if pages else None

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
        earlier = sum(1 for m in self.mentions.get(docname, []) if m.key == key)
        return mention_anchor(key, earlier)

    def drugs_of(self, docname: str) -> dict[str, tuple[str, list[str]]]:
        """The drugs ``docname`` presents or mentions: key -> (DCI as first written, brands)."""
        spellings: dict[str, tuple[str, list[str]]] = {}
        for p in self.presentations.get(docname, []):
            spellings.setdefault(p.key, (p.dci, []))[1].extend(p.brands)
        for m in self.mentions.get(docname, []):
            spellings.setdefault(m.key, (m.dci, []))[1].extend([m.brand] if m.brand else [])
        return spellings

    def clear_doc(self, docname: str) -> None:
        for key in PER_DOC_KEYS:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in PER_DOC_KEYS:
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    # -- derived from all documents -------------------------------------------

    def issues(self) -> dict[str, Issue]:
        """The issues whose drugs count: one file per number (the registry's choice)."""
        return {issue.docname: issue for issue in galien_domain(self.env).ordered_issues()}

    def derive(self) -> None:
        """Compute the index from every document's records, once after reading."""
        self.data[INDEX_KEY] = build_index(
            self.issues().values(), self.presentations, self.mentions
        )

    @property
    def index(self) -> DrugIndex:
        """The index derived after the last read (empty before any)."""
        index = self.data.get(INDEX_KEY)
        return index if isinstance(index, DrugIndex) else DrugIndex()

    def linked_entry(self, target: str) -> Entry | None:
        """The entry a ``{dci}`` naming ``target`` links to: none without an index page."""
        if self.index_page is None:
            return None
        return self.index.entry(drug_key(target))

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
        warn(logger, message, *args, location=location, subtype=Subtype.MEDICAMENT)

    # -- cross-references and search --------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        """A ``{dci}`` links to its DCI's entry of the index, where pages link to one another.

        Unresolved (no index page, a DCI no issue discusses, the PDF), the
        reference is its text, without a warning even with ``-n``: the index
        is optional (``ignore_unlinked_drug``).
        """
        entry = self.linked_entry(target) if typ == DCI_ROLE else None
        page = self.index_page
        if entry is None or page is None or edition(builder) not in STYLED:
            return None
        return make_refnode(builder, fromdocname, page, entry.anchor, contnode)

    def place_reference(
        self,
        fromdocname: str,
        builder: Builder,
        place: Place,
        contnode: nodes.Node,
        title: str,
        classes: list[str],
    ) -> nodes.reference | None:
        """The index's link to where an issue discusses the drug, with the builder's addresses."""
        if place.docname not in self.env.all_docs or edition(builder) not in STYLED:
            return None
        reference = make_refnode(builder, fromdocname, place.docname, place.anchor, contnode, title)
        reference['classes'].extend(classes)
        return reference

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        reference = self.resolve_xref(env, fromdocname, builder, DCI_ROLE, target, node, contnode)
        return [] if reference is None else [(f'{DOMAIN_NAME}:{DCI_ROLE}', reference)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Every DCI and brand, found by the site's search at the DCI's index entry."""
        page = self.index_page
        if page is None:
            return
        for entry in self.index.entries:
            yield (entry.dci, entry.dci, DCI_ROLE, page, entry.anchor, 1)
            for brand in entry.brands:
                yield (brand, f'{brand} ({entry.dci})', 'specialite', page, entry.anchor, 1)


def domain_of(env: BuildEnvironment) -> DrugDomain:
    """The drug domain of ``env``'s build."""
    return cast('DrugDomain', env.domains[DOMAIN_NAME])


def derive_index(app: Sphinx, env: BuildEnvironment) -> None:
    """Once every document has been read and merged: the domain derives its index."""
    domain_of(env).derive()


def page_inputs(app: Sphinx, docname: str) -> dict[str, Hashable]:
    """What ``docname`` shows of the drugs, as inputs of the page (``galien-page-inputs``).

    Every page names the index pages in its sidebar (``medicament:pages``), its
    drugs link to the index when their DCI has an entry (``medicament:links``),
    and an index page shows the whole index (``medicament:index``): the page is
    written again, and only then, when one of them changes.
    """
    domain = domain_of(app.env)
    index = domain.index
    titles = app.env.titles
    inputs: dict[str, Hashable] = {
        'medicament:pages': tuple(
            (page, titles[page].astext() if page in titles else '')
            for page in sorted(domain.index_pages)
        ),
        'medicament:links': tuple(
            sorted(key for key in domain.drugs_of(docname) if index.entry(key) is not None)
        ),
    }
    if docname in domain.index_pages:
        inputs['medicament:index'] = index
    return inputs


def ignore_unlinked_drug(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool | None:
    """No « reference target not found » for a drug: it shows its name when nothing to link."""
    return True if domain is not None and domain.name == DOMAIN_NAME else None


def setup(app: Sphinx) -> None:
    app.add_domain(DrugDomain)
    app.connect('env-updated', derive_index)
    app.connect(PAGE_INPUTS_EVENT, page_inputs)
    app.connect('warn-missing-reference', ignore_unlinked_drug)
