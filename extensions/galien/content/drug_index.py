"""The page « Index des médicaments »: the ``{galien-medicaments}`` directive and its filling.

.. code-block:: markdown

   ```{galien-medicaments}
   ```

The directive leaves a placeholder and tells the drug domain that this page
shows the index; the placeholder is filled when the page is written, from the
index the domain derived after all issues were read, as the home page's
listings are: nobody maintains it. Where pages link to one another, the drug
domain makes its links to the issues (``place_reference``) with the builder's
addresses; elsewhere (plain text, a manual page) the index is text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from galien.content.drug_atc import ATC_FILE, atc_class
from galien.content.placeholders import FILL_PRIORITY
from galien.core.drug_domain import domain_of
from galien.core.drug_vocabulary import sort_key
from galien.core.editions import STYLED, builders_of, writing_builder
from galien.core.i18n import _
from galien.core.placeholders import derived_placeholder, fill, placeholders_in
from galien.core.registry import galien_domain
from galien.core.titles import issue_number, issue_title

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from galien.core.drug_model import Entry, Place

LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'


class drug_index(derived_placeholder):  # noqa: N801
    """Placeholder for the index of drugs, filled when the page is written.

    Its input, the whole index (``medicament:index``), is given by the drug
    domain (:func:`galien.core.drug_domain.page_inputs`).
    """


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
    """The nodes of the index for one page, linked or not."""

    def __init__(self, env: BuildEnvironment, builder: Builder, *, links: bool) -> None:
        self.env, self.builder, self.docname, self.links = env, builder, env.docname, links
        self.domain = domain_of(env)
        self.index = self.domain.index
        self._titles: dict[str, str] = {}

    def issue_title(self, docname: str) -> str:
        """The issue's full name (« Galien N° 21 – mars 2018 »), once per issue."""
        if docname not in self._titles:
            issue = galien_domain(self.env).issue_of(docname)
            self._titles[docname] = issue_title(self.env, issue) if issue else ''
        return self._titles[docname]

    def issue_link(self, place: Place) -> nodes.Node:
        short = issue_number(place.numero)
        css = 'galien-presentation' if place.presentation else 'galien-mention'
        node: nodes.Node
        if self.links:
            title = self.issue_title(place.docname) or short
            reference = self.domain.place_reference(
                self.docname, self.builder, place, nodes.Text(short), title, [css]
            )
            node = nodes.Text(short) if reference is None else reference
        else:
            node = nodes.inline('', short, classes=[css])
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


class FillLinkedDrugIndex(SphinxPostTransform):
    """Where pages link to one another: the index, linked to the issues and to itself."""

    default_priority = FILL_PRIORITY
    builders = builders_of(*STYLED)

    def run(self, **kwargs: Any) -> None:
        fill_index(self.document, self.env, links=True)


class FillDrugIndex(SphinxPostTransform):
    """Elsewhere (plain text, a manual page): the index as text."""

    default_priority = FILL_PRIORITY + 1  # finds nothing left where the linked index is made

    def run(self, **kwargs: Any) -> None:
        fill_index(self.document, self.env, links=False)


def fill_index(document: nodes.document, env: BuildEnvironment, *, links: bool) -> None:
    """Replace the placeholders by the index as the domain derived it for this build."""
    placeholders = placeholders_in(document, drug_index)
    if not placeholders:
        return
    maker = IndexMaker(env, writing_builder(env), links=links)
    for placeholder in placeholders:
        fill(placeholder, maker.make())


def setup(app: Sphinx) -> None:
    app.add_directive('galien-medicaments', DrugIndexDirective)
    app.add_node(drug_index)
    app.add_post_transform(FillLinkedDrugIndex)
    app.add_post_transform(FillDrugIndex)
