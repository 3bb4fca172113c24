"""Authors and editors in Vancouver style: ``Ravì D``, ``Cazin JL``, ``King ML Jr``.

As ``sphinxcontrib.bibtex.style.names`` does for its styles: how one person
and a list of persons are written, and the template nodes that print them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pybtex.richtext import Text
from pybtex.style.template import FieldIsMissing, node

from galien.core.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pybtex.database import Entry, Person
    from pybtex.richtext import BaseText

MAX_AUTHORS = 6


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
