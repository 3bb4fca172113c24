"""« Médicaments cités dans ce numéro »: the drugs of an issue, under its sources.

Added when the page is written, from the issue's own records in the drug
domain: the issue's doctree stays as small as its text (every read-time
transform and the pickled doctree would otherwise carry the list too). Each
name is a ``medicament:dci`` reference, inserted before Sphinx resolves
references, so that the domain links it to its entry of the index where pages
link to one another, as it does the ``{dci}`` of the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import ReferencesResolver, SphinxPostTransform

from galien.content.blocks import galien_block
from galien.content.board import board
from galien.content.drug_markup import drug_frame_visitors
from galien.content.issue_page import colophon
from galien.core.drug_domain import DCI_ROLE, DOMAIN_NAME, domain_of
from galien.core.drug_vocabulary import brand_key, sort_key
from galien.core.i18n import _
from galien.core.registry import galien_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class drug_list(galien_block):  # noqa: N801
    """« Médicaments cités dans ce numéro », at the end of an issue."""


def dci_reference(docname: str, key: str, dci: str) -> pending_xref:
    """A reference to the DCI's entry of the index, resolved by the drug domain."""
    reference = pending_xref(
        '',
        refdoc=docname,
        refdomain=DOMAIN_NAME,
        reftype=DCI_ROLE,
        reftarget=key,
        refexplicit=True,
        refwarn=False,
    )
    reference += nodes.inline('', dci.lower(), classes=['galien-dci'])
    return reference


def issue_drug_list(docname: str, spellings: dict[str, tuple[str, list[str]]]) -> drug_list:
    """The block: each DCI in French order, with the brands the issue names."""
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
        paragraph += dci_reference(docname, key, dci)
        unique = {brand_key(b): b for b in brands}
        if unique:
            paragraph += nodes.Text(f' ({", ".join(sorted(unique.values(), key=sort_key))})')
    block += paragraph
    return block


class IssueDrugList(SphinxPostTransform):
    """Under the sources, before the board: the drugs the issue presents or mentions."""

    default_priority = ReferencesResolver.default_priority - 5  # its links are references

    def run(self, **kwargs: Any) -> None:
        docname = self.env.current_document.docname
        if galien_domain(self.env).issue_of(docname) is None:
            return
        spellings = domain_of(self.env).drugs_of(docname)
        section = next(
            (
                s
                for s in self.document.children
                if isinstance(s, nodes.section) and 'galien-numero' in s['classes']
            ),
            None,
        )
        if not spellings or section is None:
            return
        position = next(
            (i for i, child in enumerate(section) if isinstance(child, (board, colophon))),
            len(section),
        )
        section.insert(position, issue_drug_list(docname, spellings))


def setup(app: Sphinx) -> None:
    app.add_node(drug_list, override=False, **drug_frame_visitors('galienmedicaments'))
    app.add_post_transform(IssueDrugList)
