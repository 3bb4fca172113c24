"""Figures, notes and long addresses in the printed letter's columns.

- Figures stay where they are written (``figure_align = 'H'``): LaTeX floats
  cannot live inside the two columns and would be lost. Sphinx already scales
  an image down to the column width, keeping its proportions, and sets the
  caption under it.
- Admonitions (``{note}``, ``{warning}``…) are framed in the letter's colours
  with their French title (``galien.sty``).
- An address typed as plain text (``https://…`` with no link markup, as editors
  paste an RCP page) becomes a link in the PDF, so that it breaks inside the
  column (``xurl``) instead of running off the page, and can be clicked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

URL = re.compile(r'https?://[^\s<>«»"]+')
# Punctuation that ends a sentence rather than the address.
TRAILING = '.,;:!?)]’'
# Where an address stays text: links, code, formulas, headings (PDF bookmarks).
NO_LINKS_INSIDE = (
    nodes.reference,
    nodes.literal,
    nodes.literal_block,
    nodes.raw,
    nodes.target,
    nodes.math,
    nodes.math_block,
    nodes.title,
)


def split_urls(text: str) -> list[str | tuple[str]]:
    """``text`` cut into plain strings and 1-tuples holding an address."""
    parts: list[str | tuple[str]] = []
    position = 0
    for match in URL.finditer(text):
        url = match.group().rstrip(TRAILING)
        start, end = match.start(), match.start() + len(url)
        if start > position:
            parts.append(text[position:start])
        parts.append((url,))
        position = end
    if position < len(text):
        parts.append(text[position:])
    return parts


class PlainAddressesAsLinks(SphinxPostTransform):
    """Turn addresses typed as plain text into links, in the PDF only."""

    default_priority = 860
    builders = ('latex',)

    def run(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or not URL.search(str(text)):
                continue
            if any(isinstance(a, NO_LINKS_INSIDE) for a in _ancestors(parent)):
                continue
            new: list[nodes.Node] = []
            for part in split_urls(str(text)):
                if isinstance(part, tuple):
                    new.append(nodes.reference(part[0], part[0], refuri=part[0]))
                else:
                    new.append(nodes.Text(part))
            index = parent.index(text)
            parent[index : index + 1] = new


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    chain = []
    current: nodes.Node | None = node
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain


def keep_figures_in_place(app: Sphinx, config: Config) -> None:
    if 'figure_align' not in config.latex_elements:
        config.latex_elements = {**config.latex_elements, 'figure_align': 'H'}


def setup(app: Sphinx) -> None:
    app.connect('config-inited', keep_figures_in_place)
    app.add_post_transform(PlainAddressesAsLinks)
