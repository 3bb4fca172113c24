"""Tables in the printed letter: in their column when they fit, across the page when not.

The letter runs in two columns of about 45 characters. A "Nouvelles AMM"
table (DCI, spécialité, laboratoire, indication, date d'AMM) squeezed into one
of them hyphenates one-word headers and pushes ``Tagrisso®`` past the column
edge. Before the LaTeX writer runs, this post-transform measures each table
from its text (the longest word of each column, the length of its cells) and:

- gives every column a width at least as wide as its longest word, the rest
  shared by the length of the cells; cells are set ragged right and never
  hyphenated (``\\galiencol`` in ``galien.sty``), so text wraps between words;
- keeps a table that fits (three columns at most) in its column;
- sets any other table across both columns where it stands: the columns
  above are closed (and balanced), the table takes the page's width as a
  ``longtable`` whose header row repeats on each page, and the two columns
  start again below it. A table that opens its section takes the section's
  heading with it.

Editors can force either layout with the class ``galien-pleine-largeur`` or
``galien-colonne`` on a ``{table}`` or ``{list-table}`` directive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FULL_WIDTH = 'galien-pleine-largeur'
IN_COLUMN = 'galien-colonne'

# Widths in points, for the letter's A4 page (184 mm of text, two columns 6 mm
# apart) and an 11 pt serif: a lowercase letter is about 5.2 pt wide, a capital
# (or a bold header letter) more.
PAGE_WIDTH = 521.0
COLUMN_WIDTH = (PAGE_WIDTH - 17.0) / 2
CELL_PADDING = 12.0  # \tabcolsep on both sides
LETTER = 5.2
CAPITAL = 7.4
# A column's cells are worth widening up to this many letters, no more.
COMFORTABLE_LETTERS = 36
MAX_COLUMNS_IN_COLUMN = 3
# Sphinx sets longer tables as longtable, which cannot live inside columns.
LONGTABLE_ROWS = 30


def word_width(word: str, *, bold: bool = False) -> float:
    width = sum(CAPITAL if char.isupper() else LETTER for char in word)
    return width * (1.1 if bold else 1.0)


@dataclass
class Column:
    longest_word: float = 0.0  # points
    longest_cell: float = 0.0  # points, as if on one line

    def note(self, text: str, *, bold: bool) -> None:
        words = text.split()
        if words:
            self.longest_word = max(self.longest_word, *(word_width(w, bold=bold) for w in words))
        self.longest_cell = max(self.longest_cell, word_width(text, bold=bold))

    @property
    def needed(self) -> float:
        return self.longest_word + CELL_PADDING

    @property
    def wanted(self) -> float:
        return max(self.needed, min(self.longest_cell, COMFORTABLE_LETTERS * LETTER) + CELL_PADDING)


def measure(tgroup: nodes.Element) -> list[Column]:
    """One :class:`Column` per column of ``tgroup``, from its header and body cells."""
    count = sum(1 for child in tgroup.children if isinstance(child, nodes.colspec))
    columns = [Column() for _ in range(count)]
    for part in tgroup.children:
        if not isinstance(part, (nodes.thead, nodes.tbody)):
            continue
        for row in part.findall(nodes.row):
            index = 0
            for entry in (c for c in row.children if isinstance(c, nodes.entry)):
                span = int(entry.get('morecols', 0)) + 1
                if span == 1 and index < count:
                    columns[index].note(entry.astext(), bold=isinstance(part, nodes.thead))
                index += span
    return columns


def fractions(columns: list[Column], width: float) -> list[float]:
    """Each column's share of ``width``: its longest word first, then its text."""
    needed = [c.needed for c in columns]
    wanted = [c.wanted for c in columns]
    if sum(wanted) <= width:
        shares = wanted
    elif sum(needed) <= width:
        spare = width - sum(needed)
        extra = sum(w - n for w, n in zip(wanted, needed, strict=True)) or 1.0
        shares = [n + spare * (w - n) / extra for w, n in zip(wanted, needed, strict=True)]
    else:
        shares = needed
    total = sum(shares) or 1.0
    return [share / total for share in shares]


def colspec(shares: list[float]) -> str:
    """The LaTeX column specification: ``\\galiencol`` columns (``galien.sty``)."""
    return ''.join(rf'\galiencol{{{share:.4f}}}' for share in shares)


class LetterTables(SphinxPostTransform):
    """Give each table column widths, and the page's width to those that need it."""

    default_priority = 850
    builders = ('latex',)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            self._lay_out(table)

    def _lay_out(self, table: nodes.table) -> None:
        tgroups = [child for child in table.children if isinstance(child, nodes.tgroup)]
        parent = table.parent
        if len(tgroups) != 1 or parent is None:
            return
        index = parent.index(table)
        if index > 0 and isinstance(parent[index - 1], addnodes.tabular_col_spec):
            return  # the editor chose the columns with {tabularcolumns}
        columns = measure(tgroups[0])
        if not columns:
            return
        rows = sum(1 for _ in tgroups[0].findall(nodes.row))
        at_top_level = isinstance(parent, (nodes.section, nodes.document))
        classes = table['classes']
        full_width = at_top_level and (
            FULL_WIDTH in classes
            or 'longtable' in classes
            or rows > LONGTABLE_ROWS
            or (
                IN_COLUMN not in classes
                and (
                    len(columns) > MAX_COLUMNS_IN_COLUMN
                    or sum(c.needed for c in columns) > COLUMN_WIDTH
                )
            )
        )
        width = PAGE_WIDTH if full_width else COLUMN_WIDTH
        spec = addnodes.tabular_col_spec()
        spec['spec'] = colspec(fractions(columns, width))
        parent.insert(index, spec)
        if full_width:
            if 'longtable' not in classes:
                classes.append('longtable')  # breaks across pages, header repeated
            # A table that opens its section takes the section's heading along.
            opens_section = isinstance(parent, nodes.section) and all(
                isinstance(sibling, nodes.title) for sibling in parent.children[:index]
            )
            parent.insert(0 if opens_section else index, _latex(r'\galienpausecolumns'))
            parent.insert(parent.index(table) + 1, _latex(r'\galienresumecolumns'))


def _latex(code: str) -> nodes.raw:
    return nodes.raw('', code + '\n', format='latex')


def setup(app: Sphinx) -> None:
    app.add_post_transform(LetterTables)
