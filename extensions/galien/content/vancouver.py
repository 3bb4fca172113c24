"""References in Vancouver style (ICMJE recommendations, NLM *Citing Medicine*), in French.

Two plugins, registered by :func:`setup` through the public registries of
pybtex (``pybtex.plugin.register_plugin``) and sphinxcontrib-bibtex
(``sphinxcontrib.bibtex.plugin.register_plugin``), and chosen in ``conf.py``:

* ``bibtex_default_style = 'vancouver'``: :class:`VancouverStyle`, how a
  source is printed in the footnotes of every edition;
* ``bibtex_foot_reference_style = 'vancouver'``: :class:`VancouverFootStyle`,
  ``{footcite:t}`` reads ``Ravì et al., 2017`` and a call to the footnote,
  ``{footcite:p}`` is the numbered call alone.

Rules followed (Citing Medicine, 2nd ed., chapters 1, 2, 3, 6, 22 and 25;
ICMJE sample references), and the choices made where they leave one:

* Authors: ``Surname Initials``, initials without dots or spaces, one per
  given name and per part of a hyphenated name (``Cazin JL``,
  ``Yang GZ``), particles kept with the surname (``van der Berg JP``), a
  lineage after the initials (``King ML Jr``), an organisation as written.
  Separated by commas; more than six: the first six, then ``et al.``
  (ICMJE). No author: the reference starts with the title.
* Titles as written in the .bib (no change of case, so the braces that
  protect capitals, ``{HER2}``, are simply not printed), followed by a period
  unless they end with ``?`` or ``!``. No italics anywhere.
* Journal: the NLM abbreviation from ``shortjournal`` or ``journalabbrev``,
  else ``journal`` (biblatex's ``journaltitle``; its ``date`` gives the year
  when there is no ``year``, as Zotero exports them). Then
  ``year;volume(number):pages`` with no space, month left out (ICMJE allows
  it; continuous pagination). Pages shortened as the
  NLM does: leading digits repeated in the last page are dropped
  (``101-10``, ``1234-9``, ``S12-9``), ``4-21`` stays.
* ``doi:10.…`` then ``PMID: …`` (field ``pmid``), links to doi.org and
  PubMed, separated by a period but with none after the last (it would be
  read as part of the identifier, as in the ICMJE sample).
  A ``url`` is printed as ``Disponible sur : URL`` when there is no DOI.
* Web pages (``@online``, ``@misc`` … with a ``url``): ``Titre [Internet].
  Lieu : Éditeur ; année [cité le 12 mars 2018]. Disponible sur : URL``; the
  access date comes from ``urldate`` (``AAAA-MM-JJ``).
* Books: ``Auteurs. Titre. 2e éd. Lieu : Éditeur ; année.``; a first edition
  is not mentioned; editors without authors: ``Dupont J, éditeur.``
* Chapters (``@incollection``, ``@inproceedings``, ``@inbook`` with a
  ``booktitle``): ``Auteurs. Titre du chapitre. Dans : Dupont J, Martin P,
  éditeurs. Titre du livre. Lieu : Éditeur ; année. p. 12-34.``
* Reports: ``Auteurs. Titre. Lieu : Institution ; année. Rapport n° 12.``
  Theses: ``Auteur. Titre [thèse]. Lieu : Université ; année.`` (``[mémoire]``
  for a master's thesis, or the ``type`` field).
* French punctuation: a space before ``:`` and ``;`` in words
  (``Paris : Masson ; 2017``, ``Dans :``), none in the numeric locator
  (``2017;21(1):4-21``); the typography transform makes those spaces
  non-breaking.
* Missing fields are left out with their punctuation. An entry type the
  style does not know is printed plainly (authors, title, container, place,
  publisher, year, identifiers) and reported by
  :mod:`galien.content.bibliography` as ``galien.reference-style``.

The words (``Dans``, ``éditeurs``, ``Disponible sur``, ``cité le``, month
names…) come from the ``galien`` message catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pybtex.plugin
from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import (
    FieldIsMissing,
    first_of,
    join,
    node,
    optional,
    sentence,
)
from pybtex.style.template import (
    field as bib_field,
)
from sphinxcontrib.bibtex.plugin import find_plugin as find_reference_style
from sphinxcontrib.bibtex.plugin import register_plugin as register_reference_style
from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle, GroupReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_foot import (
    BasicFootParentheticalReferenceStyle,
)
from sphinxcontrib.bibtex.style.template import footnote_reference

from galien.core.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pybtex.database import Entry, Person
    from pybtex.richtext import BaseText
    from pybtex.style.template import Node

STYLE_NAME = 'vancouver'
MAX_AUTHORS = 6


def _month(number: int) -> str:
    # Each name is written out for the message extractor.
    names = (
        _('January'),
        _('February'),
        _('March'),
        _('April'),
        _('May'),
        _('June'),
        _('July'),
        _('August'),
        _('September'),
        _('October'),
        _('November'),
        _('December'),
    )
    return str(names[number - 1])


# -- Names --------------------------------------------------------------------


def initials(given_names: Iterable[str]) -> str:
    """``['Jean-Louis']`` gives ``JL``; names already written as initials are kept."""
    letters: list[str] = []
    for name in given_names:
        for part in re.split(r'[-\s]+', name):
            part = part.strip('.')
            if not part:
                continue
            if part.isupper() and part.isalpha() and len(part) <= 3:
                letters.append(part)  # 'JL' is already two initials
                continue
            first = next((c for c in part if c.isalnum()), '')
            letters.append(first.upper())
    return ''.join(letters)


def vancouver_name(person: Person) -> Text:
    """``Ravì D``, ``Cazin JL``, ``van der Berg JP``, ``King ML Jr``."""
    surname = Text(' ').join([*person.rich_prelast_names, *person.rich_last_names])
    given = [str(n) for n in (*person.rich_first_names, *person.rich_middle_names)]
    parts: list[BaseText | str] = [surname]
    letters = initials(given)
    if letters:
        parts.append(letters)
    parts.extend(person.rich_lineage_names)
    return Text(' ').join([p for p in parts if p])


def name_list(persons: list[Person]) -> Text:
    shown = [vancouver_name(p) for p in persons[:MAX_AUTHORS]]
    if len(persons) > MAX_AUTHORS:
        shown.append(Text(str(_('et al.'))))
    return Text(', ').join(shown)


@node
def authors(children: list[Any], context: dict[str, Any], role: str = 'author') -> Text:
    """The persons of ``role``, Vancouver style; missing if there are none."""
    entry: Entry = context['entry']
    persons = entry.persons.get(role)
    if not persons:
        raise FieldIsMissing(role, entry)
    return name_list(persons)


@node
def editors(children: list[Any], context: dict[str, Any]) -> Text:
    """``Dupont J, Martin P, éditeurs``."""
    entry: Entry = context['entry']
    persons = entry.persons.get('editor')
    if not persons:
        raise FieldIsMissing('editor', entry)
    word = _('editors') if len(persons) > 1 else _('editor')
    return Text(name_list(persons), ', ', str(word))


# -- Fields -------------------------------------------------------------------


def field(name: str, raw: bool = False) -> Node:
    return bib_field(name, raw=raw)


def first_field(*names: str) -> Node:
    return first_of[tuple(optional[field(name)] for name in names)]


@node
def year(children: list[Any], context: dict[str, Any]) -> Text:
    """``year``, else the year of a biblatex ``date`` (``2017-01-05``)."""
    found = optional[field('year')].format_data(context)
    if found:
        return found
    match = re.match(r'\s*(\d{4})', str(optional[field('date', raw=True)].format_data(context)))
    if match is None:
        raise FieldIsMissing('year', context['entry'])
    return Text(match[1])


@node
def present(children: list[Any], context: dict[str, Any]) -> Text:
    """Its children, or missing when they are all empty (so ``optional`` drops it)."""
    text = Text(*(c.format_data(context) if hasattr(c, 'format_data') else c for c in children))
    if not text:
        raise FieldIsMissing('content', context['entry'])
    return text


def shorten_range(first: str, last: str) -> str:
    """NLM page range: ``101-110`` gives ``101-10``, ``4-21`` stays, ``S12-S19`` ``S12-9``."""
    start = re.fullmatch(r'([^\d]*)(\d+)', first)
    end = re.fullmatch(r'([^\d]*)(\d+)', last)
    if start is None or end is None or (end[1] and end[1] != start[1]):
        return f'{first}-{last}'
    digits, end_digits = start[2], end[2]
    if digits == end_digits:
        return first
    if len(digits) == len(end_digits):
        common = 0
        while digits[common] == end_digits[common]:
            common += 1
        end_digits = end_digits[common:]
    return f'{first}-{end_digits}'


def shorten_pages(pages: str) -> str:
    """Each range of ``4--21, 30--35`` shortened; anything else kept."""
    ranges = []
    for part in re.split(r'\s*,\s*', pages.strip()):
        bounds = [b.strip() for b in re.split(r'\s*[-\u2010-\u2015]+\s*', part) if b.strip()]
        ranges.append(shorten_range(*bounds) if len(bounds) == 2 else part)
    return ', '.join(ranges)


@node
def pages(children: list[Any], context: dict[str, Any]) -> Text:
    text = field('pages').format_data(context)
    return Text(shorten_pages(str(text)))


@node
def article_locator(children: list[Any], context: dict[str, Any]) -> Text:
    """``2017;21(1):4-21``, leaving out what is missing."""
    when = optional[year].format_data(context)
    volume = optional[field('volume')].format_data(context)
    number = optional['(', field('number'), ')'].format_data(context)
    page_range = optional[pages].format_data(context)
    issue = Text(volume, number)
    located = Text(issue, ':', page_range) if (issue and page_range) else issue
    if when and located:
        return Text(when, ';', located)
    if when and page_range:
        return Text(when, ':', page_range)
    result = Text(when or located or page_range)
    if not result:
        raise FieldIsMissing('year', context['entry'])
    return result


@node
def report_kind(children: list[Any], context: dict[str, Any]) -> Text:
    """``Rapport n° 12``, or the ``type`` field (``Rapport d'activité n° 12``)."""
    kind = optional[field('type')].format_data(context)
    number = optional[field('number')].format_data(context)
    if number:
        label = str(_('No. {number}')).format(number=number)
        return Text(kind or str(_('Report')), ' ', label)
    if kind:
        return kind
    raise FieldIsMissing('number', context['entry'])


def ordinal_edition(number: int) -> str:
    if number % 10 == 1 and number % 100 != 11:
        suffixed = _('{n}st')
    elif number % 10 == 2 and number % 100 != 12:
        suffixed = _('{n}nd')
    elif number % 10 == 3 and number % 100 != 13:
        suffixed = _('{n}rd')
    else:
        suffixed = _('{n}th')
    return str(_('{edition} ed.')).format(edition=str(suffixed).format(n=number))


@node
def edition(children: list[Any], context: dict[str, Any]) -> Text:
    """``2e éd.``; a first edition is not mentioned, words are kept as written."""
    text = field('edition').format_data(context)
    value = str(text).strip()
    match = re.match(r'(\d+)', value)
    if match is not None:
        number = int(match[1])
        if number <= 1:
            raise FieldIsMissing('edition', context['entry'])  # first edition: not cited
        return Text(ordinal_edition(number))
    if value.lower() in {'first', 'première', 'premiere', '1re', '1st'}:
        raise FieldIsMissing('edition', context['entry'])
    return text


@node
def publication(children: list[Any], context: dict[str, Any], accessed: bool = False) -> Text:
    """``Lieu : Éditeur ; année`` (and ``[cité le …]`` for web pages)."""
    place = first_field('address', 'location').format_data(context)
    publisher = first_field('publisher', 'institution', 'school', 'organization').format_data(
        context
    )
    date = optional[year].format_data(context)
    if accessed:
        date = join(sep=' ')[date, optional[cited_date]].format_data(context)
    where = join(sep=' : ')[place, publisher].format_data(context)
    result = join(sep=' ; ')[where, date].format_data(context)
    if not result:
        raise FieldIsMissing('year', context['entry'])
    return result


def cited(value: str) -> str:
    """``2018-03-12`` gives ``[cité le 12 mars 2018]``, ``2018-03`` ``[cité en mars 2018]``."""
    match = re.fullmatch(r'(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?', value.strip())
    if match is None:
        return str(_('[cited {date}]')).format(date=value.strip())  # as written
    in_year, month, day = match[1], match[2], match[3]
    if month is None or not 1 <= int(month) <= 12:
        return str(_('[cited in {date}]')).format(date=in_year)
    month_name = _month(int(month))
    if day is None or not 1 <= int(day) <= 31:
        date = str(_('{month} {year}')).format(month=month_name, year=in_year)
        return str(_('[cited in {date}]')).format(date=date)
    day_name = str(_('1st day')) if int(day) == 1 else str(int(day))
    date = str(_('{day} {month} {year}')).format(day=day_name, month=month_name, year=in_year)
    return str(_('[cited {date}]')).format(date=date)


@node
def cited_date(children: list[Any], context: dict[str, Any]) -> Text:
    return Text(cited(str(field('urldate', raw=True).format_data(context))))


@node
def identifiers(children: list[Any], context: dict[str, Any], url_always: bool = False) -> Text:
    """``doi:… PMID: …`` or ``Disponible sur : URL``, without a final period."""
    found: list[BaseText] = []
    doi = optional[field('doi', raw=True)].format_data(context)
    if doi:
        doi_text = str(doi).strip()
        doi_text = re.sub(r'^(https?://(dx\.)?doi\.org/|doi:\s*)', '', doi_text, flags=re.I)
        found.append(HRef(f'https://doi.org/{doi_text}', f'doi:{doi_text}'))
    pmid = optional[field('pmid', raw=True)].format_data(context)
    if pmid:
        found.append(HRef(f'https://pubmed.ncbi.nlm.nih.gov/{str(pmid).strip()}/', f'PMID: {pmid}'))
    url = optional[field('url', raw=True)].format_data(context)
    if url and (url_always or not doi):
        address = str(url).strip()
        found.append(Text(str(_('Available from: ')), HRef(address, address)))
    if not found:
        raise FieldIsMissing('doi', context['entry'])
    return Text('. ').join(found)


@node
def blocks(children: list[Any], context: dict[str, Any]) -> Text:
    """The reference's parts, each a sentence; the identifiers take no period."""
    parts = [child.format_data(context) for child in children]
    return Text(' ').join([p for p in parts if p])


def title(name: str = 'title') -> Node:
    return sentence[field(name)]


def web_title(name: str = 'title') -> Node:
    return sentence(sep=' ')[field(name), str(_('[Internet]'))]


NOTE = optional[sentence[field('note')]]
JOURNAL = first_field('shortjournal', 'journalabbrev', 'journal', 'journaltitle')
IDS = optional[identifiers]


class VancouverStyle(BaseStyle):
    """Vancouver style (ICMJE, NLM *Citing Medicine*), with French words."""

    default_name_style = 'plain'
    default_label_style = 'number'
    default_sorting_style = 'none'

    #: Entry types with their own template; others are printed plainly.
    KNOWN_TYPES: ClassVar[frozenset[str]] = frozenset(
        {
            'article',
            'book',
            'booklet',
            'manual',
            'proceedings',
            'inbook',
            'incollection',
            'inproceedings',
            'conference',
            'techreport',
            'report',
            'phdthesis',
            'mastersthesis',
            'thesis',
            'online',
            'electronic',
            'www',
            'webpage',
            'misc',
            'unpublished',
        }
    )

    @classmethod
    def knows(cls, entry_type: str) -> bool:
        return entry_type.lower() in cls.KNOWN_TYPES

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
        context = {'entry': entry, 'style': self, 'bib_data': bib_data}
        text = self.template(entry).format_data(context)
        if not text:
            text = Text(entry.key)  # nothing printable: at least the key
        return FormattedEntry(entry.key, text, label)

    def template(self, entry: Entry) -> Node:
        entry_type = entry.type.lower()
        if entry_type not in self.KNOWN_TYPES:
            return self.get_plain_template(entry)
        if 'url' in entry.fields and entry_type in {
            'online',
            'electronic',
            'www',
            'webpage',
            'misc',
        }:
            return self.get_web_template(entry)
        getter = {
            'conference': self.get_inproceedings_template,
            'booklet': self.get_book_template,
            'manual': self.get_book_template,
            'proceedings': self.get_book_template,
            'report': self.get_techreport_template,
            'mastersthesis': self.get_thesis_template,
            'phdthesis': self.get_thesis_template,
            'thesis': self.get_thesis_template,
            'electronic': self.get_online_template,
            'www': self.get_online_template,
            'webpage': self.get_online_template,
        }.get(entry_type) or getattr(self, f'get_{entry_type}_template')
        return getter(entry)

    # Who: the authors, else the editors.
    def responsible(self) -> Node:
        return optional[sentence[first_of[optional[authors], editors]]]

    def get_article_template(self, e: Entry) -> Node:
        return blocks[
            optional[sentence[authors]],
            optional[title()],
            optional[sentence[JOURNAL]],
            optional[sentence[article_locator]],
            NOTE,
            IDS,
        ]

    def get_book_template(self, e: Entry) -> Node:
        return blocks[
            self.responsible(),
            optional[title()],
            optional[sentence[edition]],
            optional[sentence[publication]],
            NOTE,
            IDS,
        ]

    def get_inbook_template(self, e: Entry) -> Node:
        if 'booktitle' in e.fields:
            return self.get_incollection_template(e)
        chapter = optional[
            present[
                join(sep=', ')[
                    optional[join(sep=' ')[str(_('Chapter')), field('chapter')]],
                    optional[join[str(_('p. ')), pages]],
                ]
            ]
        ]
        return blocks[
            self.responsible(),
            optional[title()],
            optional[sentence[edition]],
            optional[sentence[publication]],
            optional[sentence[chapter]],
            NOTE,
            IDS,
        ]

    def get_incollection_template(self, e: Entry) -> Node:
        book = present[
            join(sep=' ')[optional[sentence[editors]], optional[sentence[field('booktitle')]]]
        ]
        return blocks[
            optional[sentence[authors]],
            optional[title()],
            optional[join(sep=' ')[str(_('In:')), book]],
            optional[sentence[edition]],
            optional[sentence[publication]],
            optional[sentence[join[str(_('p. ')), pages]]],
            NOTE,
            IDS,
        ]

    def get_inproceedings_template(self, e: Entry) -> Node:
        return self.get_incollection_template(e)

    def get_techreport_template(self, e: Entry) -> Node:
        return blocks[
            self.responsible(),
            optional[title()],
            optional[sentence[publication]],
            optional[sentence[report_kind]],
            NOTE,
            IDS,
        ]

    def get_thesis_template(self, e: Entry) -> Node:
        default = _("[master's thesis]") if e.type.lower() == 'mastersthesis' else _('[thesis]')
        kind = first_of[optional[join['[', field('type'), ']']], str(default)]
        return blocks[
            optional[sentence[authors]],
            optional[sentence(sep=' ')[field('title'), kind]],
            optional[sentence[publication]],
            NOTE,
            IDS,
        ]

    def get_online_template(self, e: Entry) -> Node:
        return blocks[
            self.responsible(),
            optional[web_title()],
            optional[sentence[publication(accessed=True)]],
            NOTE,
            IDS,
        ]

    def get_web_template(self, e: Entry) -> Node:
        return blocks[
            self.responsible(),
            optional[web_title()],
            optional[sentence[publication(accessed=True)]],
            NOTE,
            optional[identifiers(url_always=True)],
        ]

    def get_misc_template(self, e: Entry) -> Node:
        return blocks[
            self.responsible(),
            optional[title()],
            optional[sentence[field('howpublished')]],
            optional[sentence[publication]],
            NOTE,
            IDS,
        ]

    def get_unpublished_template(self, e: Entry) -> Node:
        return self.get_misc_template(e)

    def get_plain_template(self, e: Entry) -> Node:
        """For an entry type the style does not know: what any reference has."""
        return blocks[
            self.responsible(),
            optional[title()],
            optional[sentence[first_field('shortjournal', 'journal', 'journaltitle', 'booktitle')]],
            optional[sentence[publication]],
            NOTE,
            IDS,
        ]


# -- Textual citations --------------------------------------------------------


@node
def author_and_year(children: list[Any], data: dict[str, Any], full: bool = False) -> Text:
    """``Ravì et al., 2017``, ``Durand et Moreau, 2018``, ``Durand, 2018``.

    ``full`` (``{footcite:ts}``): every surname, ``Durand, Moreau et Lefèvre, 2018``.
    """
    entry: Entry = data['entry']
    persons = entry.persons.get('author') or entry.persons.get('editor') or []
    surnames = [Text(' ').join([*p.rich_prelast_names, *p.rich_last_names]) for p in persons]
    if len(surnames) > 2 and not full:
        who = Text(surnames[0], ' ', str(_('et al.')))
    elif len(surnames) >= 2:
        who = Text(Text(', ').join(surnames[:-1]), str(_(' and ')), surnames[-1])
    elif surnames:
        who = surnames[0]
    else:
        who = optional[field('title')].format_data(data)
    return join(sep=', ')[who, optional[year]].format_data(data)


@dataclass
class VancouverTextualStyle(BaseReferenceStyle):
    """``{footcite:t}``: author and year, then the call to the footnote."""

    def role_names(self) -> Iterable[str]:
        return ['t', 'ct', 'ts', 'cts']

    def outer(self, role_name: str, children: list[BaseText]) -> Node:
        return sentence(add_period=False, capfirst='c' in role_name, sep='; ')[children]

    def inner(self, role_name: str) -> Node:
        return join[author_and_year(full='s' in role_name), footnote_reference]


@dataclass
class VancouverFootStyle(GroupReferenceStyle):
    """Numbered footnote calls for ``{footcite:p}``, author and year for ``{footcite:t}``."""

    def __post_init__(self) -> None:
        self.styles.extend([BasicFootParentheticalReferenceStyle(), VancouverTextualStyle()])
        super().__post_init__()


def register() -> bool:
    """Make ``vancouver`` known to pybtex and sphinxcontrib-bibtex; False if the name is taken.

    Both registries are the packages' public ones; registering twice (one
    Sphinx application after another in a process) is harmless.
    """
    formatting = pybtex.plugin.register_plugin(
        'pybtex.style.formatting', STYLE_NAME, VancouverStyle
    )
    group = 'sphinxcontrib.bibtex.style.referencing'
    try:
        current = find_reference_style(group, STYLE_NAME)
    except ImportError:
        current = None
    if current is None:
        register_reference_style(group, STYLE_NAME, VancouverFootStyle)
    return formatting and current in (None, VancouverFootStyle)
