"""The ``galien`` role: ``{galien}`7``` names and links an issue of the letter.

The role only validates the number; the registry collects the citations from
the pending references (:meth:`GalienDomain.process_doc`) and makes the link
(:meth:`GalienDomain.resolve_xref`) once every issue has been read, so a
reference to an issue added later resolves without touching the citing file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from galien.core.domain import DOMAIN_NAME
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message


def reference_label(project: str, numero: int) -> str:
    """``Galien 7``: how the text names an issue it cites (the full title is its tooltip)."""
    return f'{project} {numero}'


class IssueReferenceRole(SphinxRole):
    """``{galien}`7``` -> "Galien 7", linked to issue 7 when it is in the tree."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        text = self.text.strip()
        if not text.isdigit() or int(text) <= 0:
            warn(
                logger,
                __('{galien} attend un numéro de la lettre (entier positif), pas %r'),
                text,
                location=self.get_location(),
                subtype=Subtype.REFERENCE,
            )
            return [nodes.inline(self.rawtext, self.text)], []

        numero = int(text)
        refnode = addnodes.pending_xref(
            self.rawtext,
            refdomain=DOMAIN_NAME,
            reftype='issue',
            reftarget=str(numero),
            refdoc=self.env.docname,
            refexplicit=True,
            refwarn=False,
        )
        self.set_source_info(refnode)
        label = reference_label(self.config.project, numero)
        refnode += nodes.inline(self.rawtext, label, classes=['galien-ref'])
        return [refnode], []
