"""Template nodes for the fields of a Vancouver reference, in French.

The pieces the entry templates of :mod:`galien.content.vancouver.style` are
made of, as ``sphinxcontrib.bibtex.style.template`` holds those of
sphinxcontrib-bibtex: years, NLM page ranges, editions, place and publisher,
access dates, identifiers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pybtex.richtext import HRef, Text
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

from galien.core.bibtex_markup import rich_text
from galien.core.i18n import _

if TYPE_CHECKING:
    from pybtex.richtext import BaseText
    from pybtex.style.template import Node


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


def field(name: str, raw: bool = False) -> Node:
    """A field's value, its LaTeX commands applied (:mod:`galien.core.bibtex_markup`)."""
    return bib_field(name, raw=True) if raw else bib_field(name, raw=True, apply_func=rich_text)


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


DASHES = re.compile('[-\u2010-\u2015]+')


def shorten_pages(pages: str) -> str:
    """Each range of ``4--21, 30--35`` shortened; anything else kept."""
    ranges = []
    # Split, then stripped: ``\s*,\s*`` as a pattern backtracks quadratically on spaces.
    for part in (p.strip() for p in pages.strip().split(',')):
        bounds = [b.strip() for b in DASHES.split(part) if b.strip()]
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
