"""The formatting style: one template per entry type, how a source is printed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import first_of, join, optional, sentence

from galien.content.vancouver.names import authors, editors
from galien.content.vancouver.template import (
    IDS,
    JOURNAL,
    NOTE,
    article_locator,
    blocks,
    edition,
    field,
    first_field,
    identifiers,
    pages,
    present,
    publication,
    report_kind,
    title,
    web_title,
)
from galien.core.i18n import _

if TYPE_CHECKING:
    from pybtex.database import Entry
    from pybtex.style.template import Node


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
