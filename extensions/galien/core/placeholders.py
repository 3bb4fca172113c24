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

from typing import TypeVar
from weakref import WeakKeyDictionary, ref

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


Placeholder = TypeVar('Placeholder', bound=derived_placeholder)

#: The placeholders of each document being written, found by one walk of the page; held
#: weakly, since a node holds its document (its ``parent`` chain) and would keep it alive.
_found: WeakKeyDictionary[nodes.document, list[ref[derived_placeholder]]] = WeakKeyDictionary()


def placeholders_in(document: nodes.document, kind: type[Placeholder]) -> list[Placeholder]:
    """The placeholders of ``kind`` still in ``document``, in document order.

    Each edition's transform asks for its own kind; the page is walked once, by
    the first to ask, rather than once per transform (a walk visits every node
    of the page, and a site has a page per issue). Placeholders are made while
    reading and while references are resolved, before the transforms that fill
    them (``FILL_PRIORITY``), which only replace or remove them: one filled or
    dropped by an earlier transform is left out.
    """
    found = _found.get(document)
    if found is None:
        found = _found[document] = [ref(node) for node in document.findall(derived_placeholder)]
    nodes_left = (held() for held in found)
    return [node for node in nodes_left if isinstance(node, kind) and _still_placed(node)]


def _still_placed(node: nodes.Element) -> bool:
    """Whether no transform replaced or removed ``node``: it is still among its parent's children.

    Only its own parent is asked: docutils keeps a removed node's ``parent``, and
    the trees Sphinx assembles from several documents (manual page, Texinfo) keep
    stale parents of whole sections. No placeholder holds another, so none is
    left in a part of the page already taken out.
    """
    parent = node.parent
    return parent is not None and any(child is node for child in parent.children)


def issue_input(numero: int) -> str:
    """The input of what an issue's page shows of its neighbours: cité dans, previous/next."""
    return f'issue:{numero}'


def listing_input(kind: str) -> str:
    """The input of a listing of the archive (``dernier-numero``, ``archives``, ``chiffres``)."""
    return f'listing:{kind}'


def fill(placeholder: derived_placeholder, made: list[nodes.Node]) -> None:
    """Put ``made`` in the placeholder's place, or drop it when there is nothing to show.

    An empty listing (no issue has a chiffre yet, no drug is cited) is a page
    without that block, not a placeholder whose classes docutils cannot hand on.
    """
    if made:
        placeholder.replace_self(made)
    else:
        placeholder.parent.remove(placeholder)
