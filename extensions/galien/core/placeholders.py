"""Placeholders: where a page shows data derived from all documents, and which.

A directive or transform puts a placeholder in the doctree at read time, naming
its *inputs* (``'issue:20'``, ``'listing:archives'``...). The registry's domain
records, per document, the inputs its placeholders declare
(:meth:`galien.core.registry.GalienDomain.process_doc`); after reading, it
derives their values and tells which pages changed since the current builder
last wrote them. Each edition fills or drops the placeholders in a
``SphinxPostTransform`` (``builders=``), so that an edition left out changes
nothing in the others. Sphinx's own ``pending_xref`` and ``only`` nodes are the
model.
"""

from __future__ import annotations

from docutils import nodes


class derived_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Base of the placeholders; the ``inputs`` attribute lists the derived data shown.

    Made as ``issue_links_placeholder(numero=20, inputs=[issue_input(20)])``: plain
    attributes, so that the node pickles and copies as any docutils node.
    """

    @property
    def inputs(self) -> list[str]:
        names: list[str] = self.get('inputs', [])
        return list(names)


class paper_issue_placeholder(derived_placeholder):  # noqa: N801
    """A ``{galien}`` citation of a back issue published on paper only, around its name.

    The website makes it a link to the back issue's PDF; elsewhere only the name
    (its child, marked ``galien-papier``) stays.
    """


def issue_input(numero: int) -> str:
    """The input of what an issue's page shows of its neighbours: cité dans, previous/next."""
    return f'issue:{numero}'


def listing_input(kind: str) -> str:
    """The input of a listing of the archive (``dernier-numero``, ``archives``, ``chiffres``)."""
    return f'listing:{kind}'
