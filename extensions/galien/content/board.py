"""The ``board`` directive: the scientific board printed in each issue.

.. code-block:: markdown

   ```{board} Board scientifique
   - Pr P. Arnaud (Paris)
   - Dr F. Pinguet (Montpellier)
   ```

Each line is parsed into title, name and city, so that the board is data
(kept on the node as ``members``) and each issue keeps the board of its date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from galien.content.blocks import galien_block, visitors_for
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

logger = logging.getLogger(__name__)


class Member(TypedDict):
    title: str
    name: str
    city: str


def parse_member_line(text: str) -> Member | None:
    """``Title Name (City)`` cut into its parts, or ``None``; linear in the line.

    Cut with ``split`` and ``rfind`` rather than a regular expression: the one
    this replaces (``\\S+\\s+[^()]+?\\s*\\(``) took minutes on a line of spaces.
    """
    parts = text.split(None, 1)
    if len(parts) != 2 or not parts[1].endswith(')'):
        return None
    title, rest = parts
    opening = rest.rfind('(')
    name, city = rest[:opening], rest[opening + 1 : -1]
    if opening < 0 or '(' in name or ')' in name or ')' in city:
        return None
    name, city = ' '.join(name.split()), city.strip()
    if not name or not city:
        return None
    return Member(title=title, name=name, city=city)


class board(galien_block):  # noqa: N801 (docutils naming)
    """The board block; ``members`` lists its parsed members."""


class BoardDirective(SphinxDirective):
    """Argument = the heading; body = one ``- Title Name (City)`` line per member."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        heading = self.arguments[0].strip()
        # Each member keeps its line, so a warning about it (e.g. a character
        # the PDF cannot print) points at that line.
        parsed = [
            (m, self._content_line(index))
            for index, line in enumerate(self.content)
            if (m := self._parse_member(index, line)) is not None
        ]
        members = [member for member, _lineno in parsed]
        if not members:
            self._warn(
                __(
                    "le board %r n'a aucun membre (une ligne « - Pr P. Arnaud (Paris) » par membre)"
                ),
                heading,
                lineno=self.lineno,
            )
            return []

        node = board(label=heading, members=members)
        node['classes'].append('galien-board')
        node['names'].append(nodes.fully_normalize_name(heading))
        self.set_source_info(node)
        self.state.document.note_implicit_target(node, node)

        member_list = nodes.bullet_list(classes=['galien-board-membres'])
        for member, lineno in parsed:
            paragraph = nodes.paragraph()
            paragraph.source, paragraph.line = node.source, lineno
            paragraph += nodes.inline(
                member['title'], member['title'], classes=['galien-membre-titre']
            )
            paragraph += nodes.Text('\u00a0')
            paragraph += nodes.inline(member['name'], member['name'], classes=['galien-membre-nom'])
            paragraph += nodes.Text(' ')
            city = f'({member["city"]})'
            paragraph += nodes.inline(city, city, classes=['galien-membre-ville'])
            member_list += nodes.list_item('', paragraph)
        node += member_list
        return [node]

    def _parse_member(self, index: int, line: str) -> Member | None:
        text = line.strip()
        if not text:
            return None
        lineno = self._content_line(index)
        if text[0] in '-*+':
            text = text[1:].strip()
        member = parse_member_line(text)
        if member is None:
            self._warn(
                __(
                    'ligne de board illisible %r : attendu « - Titre Initiale. Nom '
                    '(Ville) », par ex. « - Pr P. Arnaud (Paris) »'
                ),
                text,
                lineno=lineno,
            )
            return None
        title = member['title']
        if title not in self.config.galien_board_titles:
            self._warn(
                __('titre inconnu %r dans le board (titres admis : %s)'),
                title,
                ', '.join(self.config.galien_board_titles),
                lineno=lineno,
            )
            return None
        return member

    def _content_line(self, index: int) -> int:
        # MyST gives content_offset relative to the directive's first line.
        return self.lineno + self.content_offset + index + 1

    def _warn(self, message: str, *args: object, lineno: int) -> None:
        warn(logger, message, *args, location=(self.env.docname, lineno), subtype=Subtype.BOARD)


def setup(app: Sphinx) -> None:
    # On paper the board runs across the page, below the two columns.
    app.add_node(
        board, override=False, **visitors_for('aside', 'galienboard', r'\galienendcolumns')
    )
    app.add_directive('board', BoardDirective)
