"""The footnote reference style: ``{footcite:t}`` and ``{footcite:p}``.

In the shape of ``sphinxcontrib.bibtex.style.referencing.foot``: a group of
reference styles, the numbered call for ``{footcite:p}`` and, for
``{footcite:t}``, ``Ravì et al., 2017`` followed by the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pybtex.richtext import Text
from pybtex.style.template import join, node, optional, sentence
from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle, GroupReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_foot import (
    BasicFootParentheticalReferenceStyle,
)
from sphinxcontrib.bibtex.style.template import footnote_reference

from galien.content.vancouver.template import field, year
from galien.core.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pybtex.database import Entry
    from pybtex.richtext import BaseText
    from pybtex.style.template import Node


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
