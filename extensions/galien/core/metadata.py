"""The letter as a periodical of record: one description of an issue, for every edition.

:func:`issue_metadata` reads the registry (the issue's number, month, headline),
the configuration (title, ISSN, publisher, language, addresses) and the
references the issue cites (the ``.bib`` entries its ``{footcite}`` roles name,
kept per document by the domain) and returns an :class:`IssueMetadata`;
:func:`periodical_metadata` describes the letter itself. Every edition writes
what these records say and nothing else:

* the website: schema.org JSON-LD (:func:`json_ld`), Highwire Press
  ``citation_*`` tags and Dublin Core (:func:`head_tags`);
* the print edition: the PDF's information entries, moved into its XMP
  (:func:`pdf_fields`);
* the ePub: its package document's ``belongs-to-collection``,
  ``group-position`` and ISSN (:func:`epub_fields`);
* « Citer ce numéro »: Vancouver, RIS and BibTeX (:func:`vancouver`,
  :func:`ris`, :func:`bibtex`).

A value the letter does not have (no ISSN yet, no ``html_baseurl``) is left out,
never written empty. The records are plain and frozen: what they hold is what
an edition may show, already as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from galien.core.bibtex_markup import plain_text
from galien.core.dates import month_name
from galien.core.i18n import _
from galien.core.registry import galien_domain
from galien.core.titles import issue_number, issue_title
from galien.core.urls import folder_url, issue_file_stem, pdf_url

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from galien.core.model import Issue


@dataclass(frozen=True)
class Reference:
    """One source an issue cites, from its ``.bib`` entry: what indexes read of it."""

    key: str
    title: str = ''
    authors: tuple[str, ...] = ()
    journal: str = ''
    year: str = ''
    volume: str = ''
    number: str = ''
    pages: str = ''
    doi: str = ''
    url: str = ''


@dataclass(frozen=True)
class Periodical:
    """The letter itself: its name, ISSN (empty until it has one), publisher and site."""

    name: str
    language: str
    publisher: str = ''
    description: str = ''
    issn: str = ''
    url: str = ''


@dataclass(frozen=True)
class IssueMetadata:
    """An issue as every edition names it: the same facts, in one record."""

    periodical: Periodical
    numero: int
    year: int
    month: int
    title: str  # « Galien N° 20 – février 2018 », plain spaces
    headline: str = ''  # the issue's own ``titre``, if any
    month_label: str = ''  # « février 2018 »
    url: str = ''  # the issue's web page, absolute; empty without html_baseurl
    pdf_url: str = ''
    references: tuple[Reference, ...] = field(default=())
    figure: str = ''  # the chiffre du mois (« 15 »), and what it counts
    figure_summary: str = ''
    #: The editorial committee in force at the issue's date (``galien_colophons``).
    editors: tuple[str, ...] = ()

    @property
    def date(self) -> str:
        """``2018-02``: the month of publication, as the front matter says it."""
        return f'{self.year:04d}-{self.month:02d}'

    @property
    def identifier(self) -> str:
        """``galien-020``: the name of the issue's files, and its key in BibTeX and RIS."""
        return issue_file_stem(self.numero)


def periodical_metadata(config: Config) -> Periodical:
    """The letter as a serial, from ``conf.py``."""
    return Periodical(
        name=config.project,
        language=config.language or '',
        publisher=config.galien_publisher or config.author or '',
        description=config.galien_tagline or '',
        issn=config.galien_issn or '',
        url=folder_url(config.html_baseurl or ''),
    )


def _field(entry: Any, name: str) -> str:
    return plain_text(str(entry.fields.get(name, '')))


def _address(entry: Any, name: str) -> str:
    return ''.join(str(entry.fields.get(name, '')).replace('{', '').replace('}', '').split())


def _person(person: Any) -> str:
    """``Ravì, Daniele``: a ``.bib`` author, last names first, as indexes read them."""
    last = plain_text(' '.join((*person.prelast_names, *person.last_names)))
    first = plain_text(' '.join((*person.first_names, *person.middle_names)))
    return f'{last}, {first}' if first and last else last or first


def bib_reference(env: BuildEnvironment, key: str) -> Reference | None:
    """The ``.bib`` entry ``key`` as a :class:`Reference`; ``None`` if there is none."""
    domain = env.domains.get('cite')
    if domain is None:
        return None
    entries = cast('Any', domain).bibdata.data.entries
    entry = entries.get(key)
    if entry is None:
        return None
    authors = tuple(_person(p) for p in entry.persons.get('author', ()))
    return Reference(
        key=entry.key,
        title=_field(entry, 'title'),
        authors=authors,
        journal=_field(entry, 'journal'),
        year=_field(entry, 'year'),
        volume=_field(entry, 'volume'),
        number=_field(entry, 'number'),
        pages=_field(entry, 'pages').replace('--', '-'),
        # Addresses as written: LaTeX would read their ``%`` as a comment.
        doi=_address(entry, 'doi'),
        url=_address(entry, 'url'),
    )


def issue_editors(config: Config, date: str) -> tuple[str, ...]:
    """The editors of the colophon period in force at ``date`` (the latest begun before it)."""
    periods = [
        p
        for p in config.galien_colophons
        if isinstance(p, dict) and str(p.get('since', '')) <= date
    ]
    period = max(periods, key=lambda p: str(p['since']), default=None)
    editors = period.get('editors', []) if period else []
    return tuple(str(e) for e in editors if str(e).strip()) if isinstance(editors, list) else ()


def issue_metadata(env: BuildEnvironment, issue: Issue, *, page_url: str = '') -> IssueMetadata:
    """Everything an edition says about ``issue``, from the registry and ``conf.py``.

    ``page_url`` is the issue's page as the writing builder names it (the
    website knows its own file names); by default ``html_baseurl`` + docname +
    ``.html``.
    """
    config = env.config
    periodical = periodical_metadata(config)
    domain = galien_domain(env)
    references = tuple(
        ref
        for key in domain.references_of(issue.docname)
        if (ref := bib_reference(env, key)) is not None
    )
    base = periodical.url
    chiffre = domain.chiffres.get(issue.docname)
    return IssueMetadata(
        periodical=periodical,
        numero=issue.numero,
        year=issue.year,
        month=issue.month,
        title=issue_title(env, issue, plain=True),
        headline=issue.titre,
        month_label=month_name(issue.year, issue.month, config.language),
        url=page_url or (f'{base}{issue.docname}.html' if base else ''),
        pdf_url=pdf_url(config, base, issue.numero) if base else '',
        references=references,
        figure=chiffre.figure if chiffre else '',
        figure_summary=' '.join(chiffre.summary.split()) if chiffre else '',
        editors=issue_editors(config, issue.date),
    )


# -- schema.org (JSON-LD) -----------------------------------------------------------


def _periodical_node(periodical: Periodical) -> dict[str, Any]:
    node: dict[str, Any] = {'@type': 'Periodical', 'name': periodical.name}
    if periodical.url:
        node['@id'] = f'{periodical.url}#periodical'
        node['url'] = periodical.url
    if periodical.issn:
        node['issn'] = periodical.issn
    if periodical.description:
        node['description'] = periodical.description
    if periodical.language:
        node['inLanguage'] = periodical.language
    if periodical.publisher:
        node['publisher'] = {'@type': 'Organization', 'name': periodical.publisher}
    return node


def _reference_node(reference: Reference) -> dict[str, Any]:
    node: dict[str, Any] = {'@type': 'ScholarlyArticle' if reference.journal else 'CreativeWork'}
    if reference.title:
        node['name'] = reference.title
    if reference.authors:
        node['author'] = [{'@type': 'Person', 'name': name} for name in reference.authors]
    if reference.year:
        node['datePublished'] = reference.year
    if reference.journal:
        node['isPartOf'] = {'@type': 'Periodical', 'name': reference.journal}
    if reference.doi:
        node['sameAs'] = f'https://doi.org/{reference.doi}'
    elif reference.url:
        node['url'] = reference.url
    return node


def schema_org(meta: IssueMetadata) -> dict[str, Any]:
    """The issue as schema.org says: a ``PublicationIssue`` of the ``Periodical``, its article."""
    issue: dict[str, Any] = {
        '@context': 'https://schema.org',
        '@type': 'PublicationIssue',
        'issueNumber': str(meta.numero),
        'name': meta.title,
        'datePublished': meta.date,
        'inLanguage': meta.periodical.language,
        'isPartOf': _periodical_node(meta.periodical),
    }
    if meta.url:
        issue['@id'] = meta.url
        issue['url'] = meta.url
    if meta.pdf_url:
        issue['encoding'] = {
            '@type': 'MediaObject',
            'encodingFormat': 'application/pdf',
            'contentUrl': meta.pdf_url,
        }
    if meta.periodical.publisher:
        issue['publisher'] = {'@type': 'Organization', 'name': meta.periodical.publisher}
    article: dict[str, Any] = {
        '@type': 'ScholarlyArticle',
        'headline': meta.headline or meta.title,
        'datePublished': meta.date,
        'inLanguage': meta.periodical.language,
    }
    if meta.url:
        article['url'] = meta.url
    if meta.editors:
        article['author'] = [{'@type': 'Person', 'name': name} for name in meta.editors]
    elif meta.periodical.publisher:
        article['author'] = {'@type': 'Organization', 'name': meta.periodical.publisher}
    if meta.references:
        article['citation'] = [_reference_node(r) for r in meta.references]
    issue['hasPart'] = [article]
    return issue


def periodical_schema_org(periodical: Periodical) -> dict[str, Any]:
    """The home page: the letter as a ``Periodical``."""
    return {'@context': 'https://schema.org', **_periodical_node(periodical)}


#: What may not appear as such inside an HTML ``<script>`` element.
_SCRIPT_UNSAFE = str.maketrans({'<': '\\u003c', '>': '\\u003e', '&': '\\u0026'})


def json_ld(data: dict[str, Any]) -> str:
    """``data`` as the text of a ``<script type="application/ld+json">``, safe in HTML.

    ``<``, ``>`` and ``&`` are written as JSON escapes (the same string once
    parsed), so that no issue text can close the script or open a comment.
    Keys keep their order and nothing depends on the clock: reproducible.
    """
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    text = text.translate(_SCRIPT_UNSAFE)
    # U+2028/U+2029 end a line in older JavaScript parsers.
    return text.replace('\u2028', '\\u2028').replace('\u2029', '\\u2029')


# -- meta tags: Highwire Press (Google Scholar) and Dublin Core -----------------------


def _reference_citation(reference: Reference) -> str:
    """A ``citation_reference`` value, in the ``citation_*=...;`` form Google Scholar reads."""
    parts = [f'citation_title={reference.title}'] if reference.title else []
    parts += [f'citation_author={name}' for name in reference.authors]
    for name, value in (
        ('citation_journal_title', reference.journal),
        ('citation_publication_date', reference.year),
        ('citation_volume', reference.volume),
        ('citation_issue', reference.number),
        ('citation_doi', reference.doi),
    ):
        if value:
            parts.append(f'{name}={value}')
    return '; '.join(part.replace(';', ',') for part in parts)


def highwire_tags(meta: IssueMetadata) -> list[tuple[str, str]]:
    """``(name, content)`` of the issue's ``citation_*`` meta tags, in Google Scholar's order."""
    periodical = meta.periodical
    tags = [('citation_title', meta.headline or meta.title)]
    tags += [('citation_author', name) for name in meta.editors or (periodical.publisher,)]
    tags += [
        ('citation_journal_title', periodical.name),
        ('citation_issn', periodical.issn),
        ('citation_issue', str(meta.numero)),
        ('citation_publication_date', f'{meta.year:04d}/{meta.month:02d}'),
        ('citation_language', periodical.language),
        ('citation_publisher', periodical.publisher),
        ('citation_pdf_url', meta.pdf_url),
        ('citation_abstract_html_url', meta.url),
    ]
    tags += [('citation_reference', _reference_citation(r)) for r in meta.references]
    return [(name, value) for name, value in tags if value]


def dublin_core_tags(meta: IssueMetadata) -> list[tuple[str, str]]:
    """``(name, content)`` of the issue's Dublin Core meta tags (``DC.*``)."""
    periodical = meta.periodical
    tags = [
        ('DC.title', meta.title),
        ('DC.type', 'Text'),
        ('DC.date', meta.date),
        ('DC.language', periodical.language),
        ('DC.publisher', periodical.publisher),
        ('DC.identifier', meta.url),
        ('DC.source', f'urn:issn:{periodical.issn}' if periodical.issn else ''),
        ('DC.relation.ispartof', periodical.name),
    ]
    return [(name, value) for name, value in tags if value]


def _attribute(value: str) -> str:
    """``value`` for a double-quoted HTML attribute: every markup character escaped."""
    return (
        value.replace('&', '&amp;')
        .replace('<', '&lt;')
        .replace('>', '&gt;')
        .replace('"', '&quot;')
        .replace("'", '&#x27;')
    )


def meta_tags(tags: Iterable[tuple[str, str]], attribute: str = 'name') -> str:
    """``<meta name="..." content="...">`` lines, escaped."""
    return ''.join(
        f'\n<meta {attribute}="{_attribute(name)}" content="{_attribute(value)}" />'
        for name, value in tags
    )


def script_json_ld(data: dict[str, Any]) -> str:
    """The ``<script type="application/ld+json">`` element of ``data``."""
    return f'\n<script type="application/ld+json">{json_ld(data)}</script>'


def head_tags(meta: IssueMetadata) -> str:
    """What an issue page's ``<head>`` says of the issue: Dublin Core, Highwire, JSON-LD."""
    return (
        '\n<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />'
        + meta_tags(dublin_core_tags(meta))
        + meta_tags(highwire_tags(meta))
        + script_json_ld(schema_org(meta))
    )


# -- the PDF (XMP) and the ePub (package document) ----------------------------------


def source_citation(meta: IssueMetadata) -> str:
    """``Galien, N° 20, février 2018, ISSN 0378-5955``: the issue as a bibliographic source."""
    parts = [meta.periodical.name, issue_number(meta.numero, plain=True), meta.month_label]
    if meta.periodical.issn:
        parts.append(f'ISSN {meta.periodical.issn}')
    return ', '.join(part for part in parts if part)


def pdf_fields(meta: IssueMetadata) -> dict[str, str]:
    """What the PDF's XMP says beyond its title: date, publisher, ISSN, and the issue as a source.

    PRISM (``prism:publicationName``, ``prism:number``...) is not among the XMP
    schemas PDF/A predefines: it would need an extension schema, which pikepdf's
    validator (10.18) does not read and refuses, so the print step could no longer
    check that the file is PDF/A-2b. The same facts go in Dublin Core, which PDF/A
    predefines: ``dc:source`` (:func:`source_citation`), ``dc:identifier`` (the
    ISSN), ``dc:date``, ``dc:publisher``. Keys in the order ``\\galienpdfmeta``
    takes them; an absent value is an empty string, which the class leaves out.
    """
    return {
        'date': meta.date,
        'publisher': meta.periodical.publisher,
        'issn': meta.periodical.issn,
        'source': source_citation(meta),
    }


def epub_fields(
    periodical: Periodical, numbers: Iterable[int], volume: int = 0
) -> list[tuple[str, str, str]]:
    """The ePub's collection: ``(property, refines, value)`` of its package ``<meta>``.

    The book belongs to the letter (``belongs-to-collection``, a ``series``,
    identified by its ISSN when it has one); a book of one issue also says the
    issue's position in the series (``group-position``), and an annual volume its
    year (``volume``, ``make volume``). ``refines`` is empty or
    ``#collection``, the id of the ``belongs-to-collection`` entry.
    """
    held = sorted(set(numbers))
    position = str(volume) if volume else str(held[0]) if len(held) == 1 else ''
    fields = [
        ('belongs-to-collection', '', periodical.name),
        ('collection-type', '#collection', 'series'),
        (
            'dcterms:identifier',
            '#collection',
            f'urn:issn:{periodical.issn}' if periodical.issn else '',
        ),
        ('group-position', '#collection', position),
    ]
    return [(prop, refines, value) for prop, refines, value in fields if value]


# -- « Citer ce numéro » -------------------------------------------------------------

_MONTHS_EN = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')


def vancouver(meta: IssueMetadata) -> str:
    """The issue as Vancouver cites a periodical's issue (ICMJE / NLM)."""
    periodical = meta.periodical
    author = periodical.publisher or periodical.name
    headline = f'{meta.headline.rstrip(".")}. ' if meta.headline else ''
    citation = (
        f'{author}. {headline}{periodical.name}. '
        f'{meta.year} {_MONTHS_EN[meta.month - 1]};({meta.numero}).'
    )
    if periodical.issn:
        citation += f' ISSN {periodical.issn}.'
    if meta.url:
        citation += f' {_("Available from: ")}{meta.url}'
    return citation


def ris(meta: IssueMetadata) -> str:
    """The issue as a RIS record (``TY  - JOUR``), CRLF line ends as the format asks."""
    periodical = meta.periodical
    lines = [
        ('TY', 'JOUR'),
        ('ID', meta.identifier),
        ('T1', meta.headline or meta.title),
        ('AU', periodical.publisher),
        ('JO', periodical.name),
        ('IS', str(meta.numero)),
        ('PY', str(meta.year)),
        ('DA', f'{meta.year:04d}/{meta.month:02d}'),
        ('SN', periodical.issn),
        ('LA', periodical.language),
        ('PB', periodical.publisher),
        ('UR', meta.url),
        ('L1', meta.pdf_url),
    ]
    body = ''.join(
        f'{tag}  - {" ".join(value.split())}\r\n' for tag, value in lines if value.strip()
    )
    return body + 'ER  - \r\n'


_BIBTEX_SPECIAL = re.compile(r'([{}\\#%&$_^~])')


def _bibtex_value(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(r'\\\1', ' '.join(value.split()))


def bibtex(meta: IssueMetadata) -> str:
    """The issue as a BibTeX ``@article`` (the ``number`` field carries the issue)."""
    periodical = meta.periodical
    fields = [
        ('title', meta.headline or meta.title),
        ('author', f'{{{_bibtex_value(periodical.publisher)}}}' if periodical.publisher else ''),
        ('journal', periodical.name),
        ('number', str(meta.numero)),
        ('year', str(meta.year)),
        ('month', _MONTHS_EN[meta.month - 1].lower()),
        ('issn', periodical.issn),
        ('publisher', periodical.publisher),
        ('language', periodical.language),
        ('url', meta.url),
    ]
    lines = []
    for name, value in fields:
        if not value:
            continue
        if name == 'month':
            lines.append(f'  {name} = {value}')
        elif name == 'author':
            lines.append(f'  {name} = {{{value}}}')
        elif name == 'url':
            # An address as written: LaTeX's url package reads it verbatim.
            address = ''.join(value.split()).replace('{', '%7B').replace('}', '%7D')
            lines.append(f'  {name} = {{{address}}}')
        else:
            lines.append(f'  {name} = {{{_bibtex_value(value)}}}')
    return f'@article{{{meta.identifier},\n' + ',\n'.join(lines) + '\n}\n'
