"""« Médicaments cités dans ce numéro »: the drugs of an issue, under its sources.

Added when the page is written, from the issue's own records in the drug
domain: the issue's doctree stays as small as its text (every read-time
transform and the pickled doctree would otherwise carry the list too). It is
added with the other derived content (``FILL_PRIORITY``), after Sphinx's
transforms of the page, which so walk only the text; each name is linked by
the drug domain's ``resolve_xref``, as a ``{dci}`` of the text is, to its entry
of the index where pages link to one another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import SphinxPostTransform

from galien.content.blocks import galien_block
from galien.content.board import board
from galien.content.drug_markup import drug_frame_visitors
from galien.content.issue_page import colophon
from galien.content.placeholders import FILL_PRIORITY
from galien.core.drug_domain import DCI_ROLE, DOMAIN_NAME, domain_of
from galien.core.drug_vocabulary import brand_key, sort_key
from galien.core.editions import writing_builder
from galien.core.i18n import _
from galien.core.registry import galien_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class drug_list(galien_block):  # noqa: N801
    """« Médicaments cités dans ce numéro », at the end of an issue."""


def dci_reference(env: BuildEnvironment, builder: Builder, key: str, dci: str) -> nodes.Element:
    """The DCI, linked by the drug domain as the ``{dci}`` of the text are (or its name alone)."""
    docname = env.docname
    name = nodes.inline('', dci.lower(), classes=['galien-dci'])
    xref = pending_xref(
        '',
        name,
        refdoc=docname,
        refdomain=DOMAIN_NAME,
        reftype=DCI_ROLE,
        reftarget=key,
        refexplicit=True,
        refwarn=False,
    )
    link = domain_of(env).resolve_xref(env, docname, builder, DCI_ROLE, key, xref, name)
    return name if link is None else link


def issue_drug_list(
    env: BuildEnvironment, builder: Builder, spellings: dict[str, tuple[str, list[str]]]
) -> drug_list:
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
        paragraph += dci_reference(env, builder, key, dci)
        unique = {brand_key(b): b for b in brands}
        if unique:
            paragraph += nodes.Text(f' ({", ".join(sorted(unique.values(), key=sort_key))})')
    block += paragraph
    return block


class IssueDrugList(SphinxPostTransform):
    """Under the sources, before the board: the drugs the issue presents or mentions."""

    default_priority = FILL_PRIORITY

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
        section.insert(position, issue_drug_list(self.env, writing_builder(self.env), spellings))


def setup(app: Sphinx) -> None:
    app.add_node(drug_list, override=False, **drug_frame_visitors('galienmedicaments'))
    app.add_post_transform(IssueDrugList)
