"""Drugs in the letter: the ``dci`` role, the ``medicament`` block and the index of drugs.

.. code-block:: markdown

   L'{dci}`osimertinib` ... le {dci}`Tagrisso® <osimertinib>` ...

   ```{medicament} osimertinib
   :specialite: Tagrisso®
   :laboratoire: AstraZeneca
   :atc: L01EB04
   :statut: AMM
   :date: 2016-02-02
   :indication: CBNPC avec mutation EGFR T790M

   Texte libre de présentation.
   ```

   ```{galien-medicaments}
   ```

The role shows what the editor wrote (the DCI, or a brand) and records a
mention of the DCI; the block presents a drug, in every edition, as a framed
record. Both record in the drug domain (``core/drugs.py``). Each issue lists
its drugs under its sources (« Médicaments cités dans ce numéro »), each
linked to its entry of the index. The index page holds a placeholder filled
when the page is written, from the index computed after all issues were read,
as the home page's listings are: nobody maintains it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import split_explicit_title

from galien.content.blocks import galien_block, latex_visitors, skip_frame, visit_text
from galien.content.board import board
from galien.content.issue_page import colophon
from galien.content.options import OptionSpec
from galien.content.typography import is_french
from galien.core import report
from galien.core.dates import spoken_date
from galien.core.drugs import (
    Mention,
    Presentation,
    brand_key,
    domain_of,
    drug_key,
    fold,
    index_anchor,
    is_drug_name,
    sort_key,
)
from galien.core.i18n import _
from galien.core.registry import galien_domain, issue_number, issue_title

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.manpage import ManualPageTranslator
    from sphinx.writers.texinfo import TexinfoTranslator

    from galien.core.drugs import DrugIndex, Entry, Place

logger = logging.getLogger(__name__)

ATC_FILE = Path(__file__).parent / 'data' / 'atc.json'
#: An ATC code at any of its five levels: L, L01, L01E, L01EB, L01EB04.
ATC_CODE = re.compile(r'[ABCDGHJLMNPRSV](?:\d\d(?:[A-Z](?:[A-Z](?:\d\d)?)?)?)?')
DATE = re.compile(r'(\d{4})-(\d{2})(?:-(\d{2}))?')
#: Regulatory statuses a presented drug may have (README: « Les statuts »).
STATUTS = (
    'AMM',
    'AMM conditionnelle',
    'AMM sous circonstances exceptionnelles',
    "extension d'indication",
    'accès précoce',
    'accès compassionnel',
    'ATU',
    'ATU de cohorte',
    'ATU nominative',
    'RTU',
    'essai clinique',
    'refus',
    'suspension',
    'retrait',
)
OPTIONS = ('specialite', 'laboratoire', 'atc', 'statut', 'date', 'indication')
#: Builders whose pages link to one another, so that the index links to the issues.
LINKING_FORMATS = frozenset({'html'})
LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'


class medicament(galien_block):  # noqa: N801 (docutils naming)
    """A drug presented in the issue; ``dci`` and ``brands`` kept as attributes."""


class drug_list(galien_block):  # noqa: N801
    """« Médicaments cités dans ce numéro », at the end of an issue."""


class drug_index(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the index of drugs, filled when the page is written."""


# -- data shipped with the project ------------------------------------------------


@cache
def atc_labels() -> dict[str, str]:
    """French labels of the first ATC levels (``data/atc.json``)."""
    data = json.loads(ATC_FILE.read_text(encoding='utf-8'))
    return {code: label for code, label in data.items() if not code.startswith('_')}


def atc_class(code: str) -> str:
    """The label of the most precise level of ``code`` that the data names."""
    labels = atc_labels()
    for length in (5, 4, 3, 1):
        if len(code) >= length and code[:length] in labels:
            return labels[code[:length]]
    return ''


def canonical_statut(value: str) -> str | None:
    """The statut as the list spells it, whatever the case and accents typed."""
    folded = fold(value)
    return next((s for s in STATUTS if fold(s) == folded), None)


def parse_date(value: str) -> tuple[int, int, int | None] | None:
    """``(year, month, day or None)`` for a real ``AAAA-MM-JJ`` or ``AAAA-MM``."""
    match = DATE.fullmatch(value.strip())
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    day = int(match[3]) if match[3] else None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return year, month, day


def written_date(value: str, language: str | None) -> str:
    """``2016-02-02`` -> ``2 février 2016``, ``2016-02`` -> ``février 2016``."""
    parsed = parse_date(value)
    return value if parsed is None else spoken_date(*parsed, language)


def warn(message: str, *args: object, location: str | tuple[str, int]) -> None:
    report.warn(logger, message, *args, location=location, subtype='medicament')


# -- the role ------------------------------------------------------------------------


class DciRole(SphinxRole):
    """``{dci}`osimertinib``` shows the DCI; ``{dci}`Tagrisso® <osimertinib>``` the brand."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        explicit, title, target = split_explicit_title(self.text)
        title, target = ' '.join(title.split()), ' '.join(target.split())
        if not target or not title:
            warn(
                __('{dci} sans DCI : écrivez {dci}`osimertinib` ou {dci}`Tagrisso® <osimertinib>`'),
                location=self.get_location(),
            )
            return [nodes.inline(self.rawtext, title)], []
        if not is_drug_name(target) or (explicit and not is_drug_name(title)):
            warn(
                __(
                    "{dci}`%s` ne nomme aucun médicament (une DCI s'écrit en lettres, sans "
                    '< ni > autour) : écrivez {dci}`osimertinib` ou {dci}`Tagrisso® '
                    "<osimertinib>` ; rien n'est ajouté à l'index des médicaments"
                ),
                self.text,
                location=self.get_location(),
            )
            return [nodes.inline(self.rawtext, title)], []
        key = drug_key(target)
        brand = title if explicit and brand_key(title) != key else ''
        domain = domain_of(self.env)
        anchor = domain.mention_anchor(self.env.docname, key)
        domain.note_mention(self.env.docname, Mention(key, target, brand, anchor, self.lineno))
        node = nodes.inline(
            self.rawtext, title, classes=['galien-specialite' if brand else 'galien-dci']
        )
        node['ids'].append(anchor)
        return [node], []


# -- the presentation block --------------------------------------------------------------


class MedicamentDirective(SphinxDirective):
    """Argument = the DCI; options = its record; body = the presentation."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[OptionSpec] = OptionSpec(dict.fromkeys(OPTIONS, directives.unchanged))

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(ATC_FILE))
        dci = ' '.join(self.arguments[0].split()) if self.arguments else ''
        for name in self.option_spec.unknown(self.options):
            self._warn(
                __('option inconnue :%s: (options possibles : %s)'),
                name,
                ', '.join(f':{o}:' for o in OPTIONS),
                lineno=self._option_line(name),
            )
        if not dci:
            self._warn(
                __(
                    "le médicament n'a pas de DCI : écrivez-la après la directive, "
                    'par ex. « ```{medicament} osimertinib »'
                ),
                lineno=self.lineno,
            )
            return []
        if not is_drug_name(dci):
            self._warn(
                __(
                    "« %s » ne nomme aucun médicament (une DCI s'écrit en lettres, sans < ni >) : "
                    "rien n'est ajouté à l'index des médicaments"
                ),
                dci,
                lineno=self.lineno,
            )
            return []
        key = drug_key(dci)
        domain = domain_of(self.env)
        first = domain.presentation_in(self.env.docname, key)
        if first is not None:
            self._warn(
                __('%s est déjà présenté dans ce numéro (ligne %d) : présentez-le une seule fois'),
                dci,
                first.lineno,
                lineno=self.lineno,
            )

        brands = tuple(
            b for b in (' '.join(p.split()) for p in self._option('specialite').split(',')) if b
        )
        atc = self._option('atc').upper()
        if atc and not ATC_CODE.fullmatch(atc):
            self._warn(
                __('code ATC %r mal formé : attendu L, L01, L01E, L01EB ou L01EB04'),
                self._option('atc'),
                lineno=self._option_line('atc'),
            )
            atc = ''
        statut = self._option('statut')
        if statut and canonical_statut(statut) is None:
            self._warn(
                __('statut inconnu %r (statuts possibles : %s)'),
                statut,
                ', '.join(STATUTS),
                lineno=self._option_line('statut'),
            )
        statut = canonical_statut(statut) or statut
        date = self._option('date')
        if date and parse_date(date) is None:
            self._warn(
                __('date %r invalide : attendu AAAA-MM-JJ ou AAAA-MM (ex. 2016-02-02)'),
                date,
                lineno=self._option_line('date'),
            )
            date = ''

        anchor = f'medicament-{re.sub(r"[^a-z0-9]+", "-", key).strip("-")}'
        record = Presentation(
            key=key,
            dci=dci,
            brands=brands,
            laboratoire=self._option('laboratoire'),
            atc=atc,
            statut=statut,
            date=date,
            indication=self._option('indication'),
            anchor=anchor,
            lineno=self.lineno,
        )
        label = ' – '.join([dci, ', '.join(brands)]) if brands else dci
        node = medicament(label=label, dci=dci, brands=list(brands), classes=['galien-medicament'])
        if first is None:
            domain.note_presentation(self.env.docname, record)
            node['ids'].append(anchor)
        self.set_source_info(node)
        node += self._record(record)
        node += self.parse_content_to_nodes(allow_section_headings=False)
        return [node]

    def _record(self, record: Presentation) -> nodes.container:
        """The drug's card: one labelled line per field given."""
        language = self.config.language
        statut = record.statut
        if record.date:
            date = written_date(record.date, language)
            statut = f'{statut} ({date})' if statut else date
        atc = f'{record.atc} – {atc_class(record.atc)}' if atc_class(record.atc) else record.atc
        fields = (
            (_('Laboratory'), record.laboratoire, 'laboratoire'),
            (_('ATC class'), atc, 'atc'),
            (_('Status'), statut, 'statut'),
            (_('Indication'), record.indication, 'indication'),
        )
        # French binds the colon to the label, which is in another node than the colon.
        separator = '\u00a0: ' if is_french(self.config) else ': '
        card = nodes.container(classes=['galien-medicament-fiche'])
        for label, value, name in fields:
            if not value:
                continue
            paragraph = nodes.paragraph(classes=[f'galien-medicament-{name}'])
            paragraph += nodes.strong(str(label), str(label))
            paragraph += nodes.Text(f'{separator}{value}')
            card += paragraph
        return card

    def _option(self, name: str) -> str:
        return ' '.join(str(self.options.get(name) or '').split())

    def _option_line(self, name: str) -> int:
        """The line of ``:name:`` in the block, so a warning points at the option."""
        for index, line in enumerate(self.block_text.splitlines()):
            if line.strip().startswith(f':{name}:'):
                return self.lineno + index
        return self.lineno

    def _warn(self, message: str, *args: object, lineno: int) -> None:
        warn(message, *args, location=(self.env.docname, lineno))


def visit_medicament_html(self: HTML5Translator, node: nodes.Element) -> None:
    """A ``<section>`` titled one level below the section it stands in."""
    level = min(self.section_level + 1, 6)
    heading_id = f'{node["ids"][0]}-titre' if node['ids'] else ''
    attributes: dict[str, Any] = {'aria-labelledby': heading_id} if heading_id else {}
    self.body.append(self.starttag(node, 'section', **attributes))
    id_attribute = f' id="{heading_id}"' if heading_id else ''
    self.body.append(
        f'<h{level} class="galien-titre"{id_attribute}>{self.encode(node["label"])}</h{level}>\n'
    )


def depart_section_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append('</section>\n')


# -- the drugs of an issue ------------------------------------------------------------


def add_issue_drugs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """« Médicaments cités dans ce numéro » under the sources, before the board.

    Added when the page is written, from the issue's own records: the issue's
    doctree stays as small as its text (every read-time transform and the
    pickled doctree would otherwise carry the list too), and each name links
    straight to its entry of the index where pages link to one another.
    """
    if galien_domain(app.env).issue_of(docname) is None:
        return
    domain = domain_of(app.env)
    spellings: dict[str, tuple[str, list[str]]] = {}
    for p in domain.presentations.get(docname, []):
        spellings.setdefault(p.key, (p.dci, []))[1].extend(p.brands)
    for m in domain.mentions.get(docname, []):
        spellings.setdefault(m.key, (m.dci, []))[1].extend([m.brand] if m.brand else [])
    section = next(
        (
            s
            for s in doctree.children
            if isinstance(s, nodes.section) and 'galien-numero' in s['classes']
        ),
        None,
    )
    if not spellings or section is None:
        return
    index_pages = domain.index_pages
    index_uri = ''
    if index_pages and app.builder.format in LINKING_FORMATS:
        index_uri = app.builder.get_relative_uri(docname, index_pages[0])
    block = drug_list(
        label=str(_('Drugs cited in this issue')),
        classes=['galien-medicaments'],
        ids=['medicaments-du-numero'],
    )
    paragraph = nodes.paragraph()
    ordered = sorted(spellings.items(), key=lambda item: sort_key(item[1][0]))
    for index, (key, (dci, brands)) in enumerate(ordered):
        if index:
            paragraph += nodes.Text(', ')
        name = nodes.inline('', dci.lower(), classes=['galien-dci'])
        if index_uri:
            paragraph += nodes.reference(
                '', '', name, internal=True, refuri=f'{index_uri}#{index_anchor(key)}'
            )
        else:
            paragraph += name
        unique = {brand_key(b): b for b in brands}
        if unique:
            paragraph += nodes.Text(f' ({", ".join(sorted(unique.values(), key=sort_key))})')
    block += paragraph
    position = next(
        (i for i, child in enumerate(section) if isinstance(child, (board, colophon))),
        len(section),
    )
    section.insert(position, block)


# -- the index page ---------------------------------------------------------------------


class DrugIndexDirective(SphinxDirective):
    """``{galien-medicaments}``: the index of drugs; no argument, no content."""

    def run(self) -> list[nodes.Node]:
        domain_of(self.env).note_index_page(self.env.docname)
        self.env.note_dependency(str(ATC_FILE))
        node = drug_index(classes=['galien-index-medicaments'])
        self.set_source_info(node)
        return [node]


def first_letter(name: str) -> str:
    initial = sort_key(name)[0][:1].upper()
    return initial if initial in LETTERS else '#'


class IndexMaker:
    """The nodes of the index for one page and one builder."""

    def __init__(self, builder: Builder, docname: str, index: DrugIndex) -> None:
        self.builder, self.docname, self.index = builder, docname, index
        self.links = builder.format in LINKING_FORMATS
        self._targets: dict[str, tuple[str, str]] = {}

    def issue_target(self, docname: str) -> tuple[str, str]:
        """The issue's address from this page and its full name, once per issue."""
        if docname not in self._targets:
            issue = galien_domain(self.builder.env).issue_of(docname)
            uri = self.builder.get_relative_uri(self.docname, docname) if self.links else ''
            self._targets[docname] = (uri, issue_title(self.builder.env, issue) if issue else '')
        return self._targets[docname]

    def issue_link(self, place: Place) -> nodes.Node:
        short = issue_number(place.numero)
        uri, full = self.issue_target(place.docname)
        if self.links:
            node: nodes.Element = nodes.reference(
                '', short, internal=True, refuri=f'{uri}#{place.anchor}', reftitle=full or short
            )
        else:
            node = nodes.inline('', short)
        node['classes'].append('galien-presentation' if place.presentation else 'galien-mention')
        return nodes.strong('', '', node) if place.presentation else node

    def dci_entry(self, entry: Entry) -> nodes.list_item:
        item = nodes.list_item(ids=[entry.anchor], classes=['galien-medicaments-dci'])
        heading = nodes.paragraph(classes=['galien-medicaments-entree'])
        heading += nodes.strong(entry.dci, entry.dci, classes=['galien-dci'])
        if entry.brands:
            heading += nodes.Text(f' ({", ".join(entry.brands)})')
        if entry.atc:
            label = atc_class(entry.atc)
            heading += nodes.Text(' – ')
            heading += nodes.inline(
                '', f'{entry.atc} {label}'.strip() if label else entry.atc, classes=['galien-atc']
            )
        item += heading
        issues = nodes.paragraph(classes=['galien-medicaments-numeros'])
        for index, place in enumerate(entry.places):
            if index:
                issues += nodes.Text(', ')
            issues += self.issue_link(place)
        item += issues
        return item

    def brand_entry(self, brand: str, entry: Entry) -> nodes.list_item:
        item = nodes.list_item(classes=['galien-medicaments-renvoi'])
        paragraph = nodes.paragraph()
        paragraph += nodes.inline(brand, brand, classes=['galien-specialite'])
        paragraph += nodes.Text(' → ')
        if self.links:
            paragraph += nodes.reference('', entry.dci, internal=True, refid=entry.anchor)
        else:
            paragraph += nodes.Text(entry.dci)
        item += paragraph
        return item

    def make(self) -> list[nodes.Node]:
        if not self.index.entries:
            return [nodes.paragraph('', '', nodes.Text(str(_('No drug indexed yet.'))))]
        by_letter: dict[str, list[tuple[tuple[str, str], nodes.list_item]]] = {}
        for entry in self.index.entries:
            by_letter.setdefault(first_letter(entry.dci), []).append(
                (sort_key(entry.dci), self.dci_entry(entry))
            )
        for brand, entry in self.index.brands():
            by_letter.setdefault(first_letter(brand), []).append(
                (sort_key(brand), self.brand_entry(brand, entry))
            )
        letters = sorted(by_letter, key=lambda letter: (letter == '#', letter))
        output: list[nodes.Node] = [self.jump_bar(letters)]
        output.append(
            nodes.paragraph(
                '',
                '',
                nodes.Text(str(_('In bold: the issue that presents the drug.'))),
                classes=['galien-medicaments-legende'],
            )
        )
        for letter in letters:
            section = nodes.section(ids=[self.letter_id(letter)], classes=['galien-lettre'])
            section += nodes.title('', letter)
            entries = nodes.bullet_list(classes=['galien-medicaments-liste'])
            for _key, item in sorted(by_letter[letter], key=lambda pair: pair[0]):
                entries += item
            section += entries
            output.append(section)
        return output

    @staticmethod
    def letter_id(letter: str) -> str:
        return 'lettre-autres' if letter == '#' else f'lettre-{letter.lower()}'

    def jump_bar(self, present: list[str]) -> nodes.paragraph:
        bar = nodes.paragraph(classes=['galien-lettres'])
        for index, letter in enumerate([*LETTERS, *(['#'] if '#' in present else [])]):
            if index:
                bar += nodes.Text(' ')
            if letter in present and self.links:
                bar += nodes.reference('', letter, internal=True, refid=self.letter_id(letter))
            else:
                bar += nodes.inline('', letter, classes=['galien-lettre-vide'])
        return bar


def fill_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the placeholder by the index as it is when the page is written."""
    placeholders = list(doctree.findall(drug_index))
    if not placeholders:
        return
    maker = IndexMaker(app.builder, docname, domain_of(app.env).index)
    for placeholder in placeholders:
        placeholder.replace_self(maker.make())


def visit_label_man(self: ManualPageTranslator, node: nodes.Element) -> None:
    """A manual page has no frame: the drug's name as a bold line of its own."""
    self.body.append(f'.sp\n\\fB{self.deunicode(node["label"])}\\fP\n')


def visit_label_texinfo(self: TexinfoTranslator, node: nodes.Element) -> None:
    self.body.append(f'\n@noindent\n@strong{{{self.escape(node["label"])}}}\n\n')


def setup(app: Sphinx) -> None:
    app.add_role('dci', DciRole())
    app.add_directive('medicament', MedicamentDirective)
    app.add_directive('galien-medicaments', DrugIndexDirective)
    app.add_node(
        medicament,
        html=(visit_medicament_html, depart_section_html),
        latex=latex_visitors('galienmedicament'),
        text=(visit_text, skip_frame),
        man=(visit_label_man, skip_frame),
        texinfo=(visit_label_texinfo, skip_frame),
    )
    app.add_node(
        drug_list,
        html=(visit_medicament_html, depart_section_html),
        latex=latex_visitors('galienmedicaments'),
        text=(visit_text, skip_frame),
        man=(visit_label_man, skip_frame),
        texinfo=(visit_label_texinfo, skip_frame),
    )
    app.add_node(drug_index)
    app.connect('doctree-resolved', add_issue_drugs)
    app.connect('doctree-resolved', fill_index)
