"""The issue registry: what each issue's front matter says, collected across documents.

Each issue is one document ``<galien_issues_dir>/NNN`` whose front matter gives
``numero``, ``date`` (``YYYY-MM``) and an optional ``titre``, read and checked
by :func:`galien.core.front_matter.read_issue`. The
:class:`GalienDomain` keeps, per docname, the issue, its "chiffre du mois" and
the back issues it cites and the inputs its placeholders declare, so that
parallel reads merge cleanly. Anything derived from all issues (the index by
number, the archive: latest issue, previous/next, years, cité dans, the whole
run with the back issues on paper) is computed once after reading, on
``env-updated`` (:meth:`GalienDomain.derive`), and read through its accessors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from galien.core.crossref import IssueReferenceRole
from galien.core.derived import Archive
from galien.core.domain import DOMAIN_NAME
from galien.core.front_matter import front_matter_line
from galien.core.i18n import __
from galien.core.model import Chiffre, Citation, Issue, PaperIssue
from galien.core.paper import back_issues, is_paper_number, read_paper_archive
from galien.core.placeholders import derived_placeholder, paper_issue_placeholder
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.titles import issue_title
from galien.core.urls import issue_docname_number

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable, Iterator, Set

    from docutils import nodes
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def cited_bib_keys(env: BuildEnvironment) -> list[str]:
    """The ``.bib`` keys the document being read cites with ``{footcite}``, first citation first.

    sphinxcontrib-bibtex (2.6) names each cited entry's footnote in the current
    document's data (``bibtex_footcite_names``, key -> footnote name) while it
    reads the document; the domain's ``process_doc`` runs before that data is
    dropped. Without it (another version), the issue simply lists no references.
    """
    names = env.current_document.get('bibtex_footcite_names', None)
    return list(names) if isinstance(names, dict) else []


#: ``(app, docname) -> dict[str, Hashable]``: the inputs another domain derives for a page.
PAGE_INPUTS_EVENT = 'galien-page-inputs'


class GalienDomain(Domain):
    """Issues of the letter, their chiffres du mois, and references between them."""

    name = DOMAIN_NAME
    label = 'Galien'
    object_types = {'issue': ObjType('issue', 'issue')}
    roles = {'issue': IssueReferenceRole()}
    initial_data: ClassVar[dict[str, Any]] = {
        'issues': {},  # docname -> Issue
        'chiffres': {},  # docname -> Chiffre
        'citations': {},  # docname -> list[Citation]
        'listings': {},  # docname -> kinds of archive listings it shows (listings.py)
        'inputs': {},  # docname -> derived inputs its placeholders declare (placeholders.py)
        'drafts': {},  # docname -> Issue: drafts read, then left out of the build (drafts.py)
        'paper': (),  # PaperIssue: the back issues of the data file (paper.py), by number
        'references': {},  # docname -> keys of the .bib entries it cites, in order (metadata.py)
    }
    data_version = 6
    #: Collected per document, merged from parallel readers.
    per_doc_keys = ('issues', 'chiffres', 'citations', 'listings', 'inputs', 'references')

    _by_numero: dict[int, Issue] | None = None

    # -- collected per document ------------------------------------------------

    @property
    def issues_by_doc(self) -> dict[str, Issue]:
        return self.data['issues']

    @property
    def chiffres(self) -> dict[str, Chiffre]:
        return self.data['chiffres']

    @property
    def citations(self) -> dict[str, list[Citation]]:
        return self.data['citations']

    def note_issue(self, issue: Issue) -> None:
        self.issues_by_doc[issue.docname] = issue
        self._by_numero = None

    def note_chiffre(self, docname: str, chiffre: Chiffre) -> None:
        self.chiffres[docname] = chiffre

    def note_citation(self, docname: str, citation: Citation) -> None:
        self.citations.setdefault(docname, []).append(citation)

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Note the issues ``docname`` cites and the derived data its placeholders show."""
        for reference in document.findall(addnodes.pending_xref):
            if reference.get('refdomain') == DOMAIN_NAME and reference.get('reftype') == 'issue':
                numero = int(reference['reftarget'])
                self.note_citation(docname, Citation(numero, reference.line or 0))
        inputs = {name for node in document.findall(derived_placeholder) for name in node.inputs}
        if inputs:
            self.data['inputs'][docname] = sorted(inputs)
        keys = cited_bib_keys(env)
        if keys:
            self.data['references'][docname] = keys

    def references_of(self, docname: str) -> tuple[str, ...]:
        """The keys of the ``.bib`` entries ``docname`` cites with ``{footcite}``, in order."""
        return tuple(self.data['references'].get(docname, ()))

    def note_draft(self, issue: Issue) -> None:
        """A draft read and left out of this build (:mod:`galien.build.drafts`)."""
        self.data['drafts'][issue.docname] = issue

    def forget_drafts(self) -> None:
        """Before reading: each build finds and reads the drafts again."""
        self.data['drafts'] = {}

    def note_listing(self, docname: str, kind: str) -> None:
        """``docname`` shows a listing of the archive (``kind`` as in listings.py)."""
        self.data['listings'].setdefault(docname, []).append(kind)

    # -- read from the data file of the back issues, once per build -------------

    @property
    def back_issues(self) -> tuple[PaperIssue, ...]:
        """The back issues published on paper only, as this build read them, by number."""
        return self.data['paper']

    def note_back_issues(self, issues: tuple[PaperIssue, ...]) -> set[int]:
        """Keep what the data file says now; the numbers whose entry changed since the last build.

        Lines are not compared (:class:`PaperIssue`): an entry moved in the file is
        the same back issue, but the new lines are kept, for the warnings.
        """
        before = {issue.numero: issue for issue in self.back_issues}
        after = {issue.numero: issue for issue in issues}
        self.data['paper'] = issues
        return {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}

    def clear_doc(self, docname: str) -> None:
        for collected in self.data.values():
            if isinstance(collected, dict):
                collected.pop(docname, None)
        self._by_numero = None

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in self.per_doc_keys:
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
        self._by_numero = None

    # -- derived from all documents -------------------------------------------

    @property
    def by_numero(self) -> dict[int, Issue]:
        """Issues by number; the first file wins when two claim one number."""
        if self._by_numero is None:
            index: dict[int, Issue] = {}
            for docname in sorted(self.issues_by_doc):
                issue = self.issues_by_doc[docname]
                index.setdefault(issue.numero, issue)
            self._by_numero = index
        return self._by_numero

    def ordered_issues(self) -> list[Issue]:
        """Every issue in the tree, oldest first."""
        return [self.by_numero[n] for n in sorted(self.by_numero)]

    def issue_of(self, docname: str) -> Issue | None:
        return self.issues_by_doc.get(docname)

    def draft_issues(self) -> list[Issue]:
        """Every draft read by this build, oldest first: shown (a preview) or left out."""
        drafts = [i for i in self.issues_by_doc.values() if i.draft]
        drafts += self.data['drafts'].values()
        return sorted(drafts, key=lambda issue: (issue.numero, issue.docname))

    def draft_of(self, numero: int) -> Issue | None:
        """The draft numbered ``numero``, if there is one and no published issue has that number.

        ``make send`` asks it to refuse a draft; ``{galien}`` to say why it links nowhere.
        """
        issue = self.by_numero.get(numero)
        if issue is not None:
            return issue if issue.draft else None
        return next((i for i in self.draft_issues() if i.numero == numero), None)

    # -- derived once after reading (env-updated), read through accessors --------

    def derive(self) -> None:
        """Compute the archive from every issue read and merged; called on ``env-updated``."""
        newest_first = tuple(reversed(self.ordered_issues()))
        paper = tuple(
            issue
            for numero, issue in sorted(back_issues(self.env).items(), reverse=True)
            if numero not in self.by_numero
        )
        self.data['archive'] = Archive(newest_first, self._cited_in(newest_first), paper=paper)

    def _cited_in(self, issues: Iterable[Issue]) -> dict[int, tuple[int, ...]]:
        """Issue number -> numbers of the issues that cite it, oldest first."""
        known = {issue.numero for issue in issues}
        cited_in: dict[int, set[int]] = {}
        for docname, citations in self.citations.items():
            citing = self.issue_of(docname)
            if citing is None or self.by_numero.get(citing.numero) != citing:
                continue
            for citation in citations:
                if citation.numero in known and citation.numero != citing.numero:
                    cited_in.setdefault(citation.numero, set()).add(citing.numero)
        return {numero: tuple(sorted(citers)) for numero, citers in cited_in.items()}

    @property
    def archive(self) -> Archive:
        """The archive derived after the last read (empty before any)."""
        archive = self.data.get('archive')
        return archive if isinstance(archive, Archive) else Archive()

    def latest_issue(self) -> Issue | None:
        return self.archive.latest

    def published_issue(self, docname: str) -> Issue | None:
        """The issue of ``docname`` if it is the one the archive keeps for its number."""
        issue = self.issue_of(docname)
        if issue is None or self.archive.by_numero.get(issue.numero) != issue:
            return None
        return issue

    def neighbours(self, issue: Issue) -> tuple[Issue | None, Issue | None]:
        """The previous and next issues by number (gaps in numbering are skipped)."""
        return self.archive.neighbours(issue)

    def cited_in(self, numero: int) -> tuple[Issue, ...]:
        """The later issues citing issue ``numero``, oldest first."""
        archive = self.archive
        return tuple(archive.by_numero[n] for n in archive.cited_in.get(numero, ()))

    def years(self) -> tuple[tuple[int, tuple[Issue, ...]], ...]:
        """``(year, issues of that year newest first)``, newest year first."""
        return self.archive.years()

    def whole_run(self) -> tuple[tuple[int, tuple[Issue | PaperIssue, ...]], ...]:
        """Like :meth:`years`, with the back issues published on paper only."""
        return self.archive.whole_run()

    def paper_back_issues(self) -> tuple[PaperIssue, ...]:
        """The back issues published on paper only and not in the tree, newest first."""
        return self.archive.paper

    def current_year(self, docname: str) -> int | None:
        """The year whose issues the sidebar shows on ``docname``: its own, else the latest."""
        return self.archive.current_year(docname)

    def docs_with_listing(self, kind: str = '') -> list[str]:
        """Documents showing a listing of the archive of ``kind`` (of any kind if empty)."""
        return sorted(
            docname
            for docname, kinds in self.data['listings'].items()
            if (kind in kinds if kind else kinds)
        )

    def input_value(self, name: str) -> Hashable:
        """The current value of a placeholder's input (:mod:`galien.core.placeholders`)."""
        kind, _sep, argument = name.partition(':')
        if kind == 'issue' and argument.isdigit():
            issue = self.archive.by_numero.get(int(argument))
            if issue is None:
                return None
            return (*self.neighbours(issue), self.cited_in(issue.numero))
        if kind == 'listing':
            if argument == 'dernier-numero':
                latest = self.latest_issue()
                return latest, self.chiffres.get(latest.docname) if latest else None
            if argument == 'chiffres':
                return self.whole_run(), tuple(sorted(self.chiffres.items()))
            return self.whole_run()
        if kind == 'sidebar':
            year = self.current_year(argument)
            run = dict(self.whole_run())
            listings = tuple(
                (d, self.env.titles[d].astext() if d in self.env.titles else '')
                for d in self.docs_with_listing()
            )
            # Each year links to the archive page, or without one to its newest issue.
            heads: tuple[Hashable, ...] = tuple(run)
            if not self.docs_with_listing('archives'):
                heads = tuple(
                    (y, next((i.docname for i in issues if isinstance(i, Issue)), None))
                    for y, issues in run.items()
                )
            return heads, year, run.get(year, ()) if year is not None else (), listings
        return None

    def page_inputs(self) -> dict[str, dict[str, Hashable]]:
        """docname -> the value of each input its placeholders declare.

        Other domains add the inputs of what they derive on the page (the drug
        domain: its index, the links to it) through the ``galien-page-inputs``
        event; so do the page's parent, previous and next pages in the toctree
        (``relations``), which Sphinx derives and HTML pages link to in their
        head, but does not write again when a neighbour is deleted.
        """
        relations = self.env.collect_relations()
        pages: dict[str, dict[str, Hashable]] = {}
        for docname in sorted(self.env.found_docs):
            values = {name: self.input_value(name) for name in self.data['inputs'].get(docname, ())}
            for inputs in self.env.events.emit(PAGE_INPUTS_EVENT, docname):
                values.update(inputs)
            values['relations'] = tuple(relations.get(docname, ()))
            pages[docname] = values
        return pages

    def check_consistency(self) -> None:
        """Warn about a number claimed by two files (the second one is ignored)."""
        self.check_paper_duplicates()
        for docname, issue in sorted(self.issues_by_doc.items()):
            first = self.by_numero[issue.numero]
            if first.docname != docname:
                warn(
                    logger,
                    __('le numéro %d est déjà publié dans %s'),
                    issue.numero,
                    self.env.doc2path(first.docname),
                    location=(docname, front_matter_line(self.env, docname, 'numero')),
                    subtype=Subtype.EN_TETE,
                )

    def check_paper_duplicates(self) -> None:
        """Warn about a back issue declared on paper that is also a Markdown issue."""
        config = self.env.config
        for paper in self.back_issues:
            numero = paper.numero
            issue = self.by_numero.get(numero)
            if issue is None:
                continue
            warn(
                logger,
                __(
                    'le N° %d est déclaré paru sur papier et publié dans %s : '
                    "c'est le numéro en Markdown qui est publié, retirez cette entrée"
                ),
                numero,
                self.env.doc2path(issue.docname),
                location=f'{self.env.srcdir / config.galien_paper_archive}:{paper.line}',
                subtype=Subtype.ARCHIVES,
            )

    # -- cross-references -----------------------------------------------------

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
        """The link to an issue in the tree; ``None`` for a back issue (see :func:`paper_issue`)."""
        numero = int(target)
        citing = self.issue_of(fromdocname)
        if citing is not None and numero >= citing.numero:
            warn(
                logger,
                __('Galien %d cite le numéro %d, qui ne peut pas être paru avant lui'),
                citing.numero,
                numero,
                location=node,
                subtype=Subtype.REFERENCE,
            )
        issue = self.by_numero.get(numero)
        if issue is None:
            return None
        if issue.draft and citing is not None and not citing.draft:
            warn_cited_draft(numero, node, previewed=True)
        title = issue_title(env, issue)
        return make_refnode(builder, fromdocname, issue.docname, '', contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        if not target.isdigit() or int(target) not in self.by_numero:
            return []
        refnode = self.resolve_xref(env, fromdocname, builder, 'issue', target, node, contnode)
        return [('galien:issue', refnode)] if refnode is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for issue in self.ordered_issues():
            yield (str(issue.numero), f'Galien {issue.numero}', 'issue', issue.docname, '', 1)


def galien_domain(env: BuildEnvironment) -> GalienDomain:
    """The issue registry of ``env``'s build, typed (``env.domains`` holds plain Domains)."""
    return cast('GalienDomain', env.domains[DOMAIN_NAME])


def _citing_docs(domain: GalienDomain, numbers: Iterable[int]) -> set[str]:
    wanted = set(numbers)
    return {
        docname
        for docname, citations in domain.citations.items()
        if any(c.numero in wanted for c in citations)
    }


def outdate_citing_documents(
    app: Sphinx,
    env: BuildEnvironment,
    added: Set[str],
    changed: Set[str],
    removed: Set[str],
) -> list[str]:
    """An issue added or removed changes the links of every issue citing it."""
    domain = galien_domain(env)
    issues_dir = env.config.galien_issues_dir
    numbers = {
        numero
        for docname in (*added, *removed)
        if (numero := issue_docname_number(docname, issues_dir)) is not None
    }
    return sorted(_citing_docs(domain, numbers) - set(removed))


def read_back_issues(
    app: Sphinx,
    env: BuildEnvironment,
    added: Set[str],
    changed: Set[str],
    removed: Set[str],
) -> list[str]:
    """Read the data file of the back issues; the issues citing one that changed are read again.

    The pages that list the back issues (the home page, the sidebar) show the
    archive, whose inputs change with them: ``build/archive.py`` has them written again.
    """
    domain = galien_domain(env)
    numbers = domain.note_back_issues(read_paper_archive(env))
    return sorted(_citing_docs(domain, numbers) - set(removed))


def warn_cited_draft(numero: int, node: Element, *, previewed: bool = False) -> None:
    """A published issue citing a draft: the link would be dead once published."""
    if previewed:
        message = __(
            'Galien %d est un brouillon (brouillon: oui) : cet aperçu le montre, mais '
            "publié, le lien vers lui serait mort ; publiez-le d'abord, ou ne le citez pas"
        )
    else:
        message = __(
            'Galien %d est un brouillon (brouillon: oui), publié dans aucune édition : '
            "le lien vers lui est laissé en texte ; publiez-le d'abord, ou ne le citez pas"
        )
    warn(
        logger,
        message,
        numero,
        location=node,
        subtype=Subtype.BROUILLON,
    )


def paper_issue(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: Element
) -> Element | None:
    """A back issue not in the tree: its name stays, unlinked, marked ``galien-papier``.

    Issues published on paper only (``galien_paper_issues`` or the data file of
    ``paper.py``) are cited without a warning; any other number is a mistake the
    editor is told about. The website links a back issue to its PDF, if there is
    one: the name is wrapped in a placeholder with the number, which the website
    fills (``web/downloads.py``) and the other editions unwrap.
    """
    if node.get('refdomain') != DOMAIN_NAME or node.get('reftype') != 'issue':
        return None
    numero = int(node['reftarget'])
    if galien_domain(env).draft_of(numero) is not None:
        warn_cited_draft(numero, node)
        return contnode  # plain text: the draft has no page
    if not is_paper_number(env, numero):
        warn(
            logger,
            __(
                "Galien %d n'est ni dans issues/ ni déclaré parmi les numéros parus "
                'seulement sur papier (galien_paper_issues ou archives/numeros-papier.yml)'
            ),
            numero,
            location=node,
            subtype=Subtype.REFERENCE,
        )
    contnode['classes'].append('galien-papier')
    contnode['numero'] = numero
    return paper_issue_placeholder('', contnode, numero=numero)


def derive(app: Sphinx, env: BuildEnvironment) -> None:
    """Once every document has been read and merged, the domain derives what pages show."""
    galien_domain(env).derive()


def setup(app: Sphinx) -> None:
    app.add_event(PAGE_INPUTS_EVENT)
    app.add_domain(GalienDomain)
    app.add_role('galien', IssueReferenceRole())
    app.connect('env-updated', derive)
    app.connect('env-get-outdated', read_back_issues)
    app.connect('env-get-outdated', outdate_citing_documents)
    app.connect('missing-reference', paper_issue)
