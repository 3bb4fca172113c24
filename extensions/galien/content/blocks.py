"""Visitors shared by the letter's blocks (chiffre du mois, board, masthead, colophon).

Each block is a node whose children are ordinary docutils nodes, so every
builder already knows how to render its content; the visitors here only add
the frame: an HTML landmark element with its heading, a LaTeX environment
defined in ``latex/galien.sty``, a heading line in plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

    # What app.add_node takes: Sphinx types node handlers as Callable[[Any, Any], None].
    Visitor = Callable[[Any, Any], None]
    VisitorPair = tuple[Visitor, Visitor | None]


class galien_block(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Base of the letter's blocks; ``label`` is the heading readers see."""


def _heading_id(node: nodes.Element) -> str:
    return f'{node["ids"][0]}-titre' if node['ids'] else ''


def html_visitors(tag: str) -> tuple[Visitor, Visitor]:
    """Render a block as ``<tag>`` with its label as an ``<h2>`` that names it."""

    def visit(self: HTML5Translator, node: nodes.Element) -> None:
        label = node.get('label', '')
        attributes: dict[str, Any] = {}
        if label and node['ids']:
            attributes['aria-labelledby'] = _heading_id(node)
        self.body.append(self.starttag(node, tag, **attributes))
        if label:
            heading_id = _heading_id(node)
            id_attribute = f' id="{heading_id}"' if heading_id else ''
            self.body.append(f'<h2 class="galien-titre"{id_attribute}>{self.encode(label)}</h2>\n')

    def depart(self: HTML5Translator, node: nodes.Element) -> None:
        self.body.append(f'</{tag}>\n')

    return visit, depart


def latex_visitors(environment: str, before: str = '') -> tuple[Visitor, Visitor]:
    """Render a block as ``\\begin{environment}{label}`` from ``galien.sty``.

    ``before`` is LaTeX put ahead of the environment, e.g. ``\\galienendcolumns``
    for the blocks printed across the page.
    """

    def visit(self: LaTeXTranslator, node: nodes.Element) -> None:
        label = self.encode(node.get('label', ''))
        self.body.append(f'\n{before}\\begin{{{environment}}}{{{label}}}\n')

    def depart(self: LaTeXTranslator, node: nodes.Element) -> None:
        self.body.append(f'\n\\end{{{environment}}}\n')

    return visit, depart


def visit_text(self: TextTranslator, node: nodes.Element) -> None:
    """Plain text: the label on a line of its own, in capitals as on paper."""
    if node.get('label'):
        self.new_state(0)
        self.add_text(node['label'].upper())
        self.end_state()


def skip_frame(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Builders without a frame (man, texinfo) render the content alone."""


def visitors_for(tag: str, environment: str, latex_before: str = '') -> dict[str, VisitorPair]:
    """The ``app.add_node`` keyword arguments for a block (no ``epub=``: see STYLE)."""
    return {
        'html': html_visitors(tag),
        'latex': latex_visitors(environment, latex_before),
        'text': (visit_text, skip_frame),
        'man': (skip_frame, skip_frame),
        'texinfo': (skip_frame, skip_frame),
    }
