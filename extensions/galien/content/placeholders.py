"""Placeholders no edition filled are dropped, whatever editions ``conf.py`` lists.

Each edition fills the placeholders it shows (:mod:`galien.core.placeholders`)
in its own post-transform; this one runs after them, for every builder, and
removes what is left (keeping a placeholder's content, such as the name of a
back issue cited on paper), so that no writer meets a node it does not know and
an edition left out of ``conf.py`` changes nothing in the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.transforms.post_transforms import SphinxPostTransform

from galien.core.placeholders import derived_placeholder, placeholders_in

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Editions fill their placeholders before this (their post-transforms use ``FILL_PRIORITY``).
FILL_PRIORITY = 800


class DropPlaceholders(SphinxPostTransform):
    """Remove the placeholders left unfilled; their children, if any, stay in their place."""

    default_priority = FILL_PRIORITY + 90

    def run(self, **kwargs: Any) -> None:
        for node in placeholders_in(self.document, derived_placeholder):
            if node.children:
                node.replace_self(node.children)
            else:
                node.parent.remove(node)


def setup(app: Sphinx) -> None:
    app.add_post_transform(DropPlaceholders)
