"""The print edition's layout decisions, on their own: addresses in text, table columns."""

from __future__ import annotations

import pytest
from docutils import nodes

from galien.print.layout import split_urls
from galien.print.tables import Column, colspec, fractions, measure

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ('text', 'parts'),
    [
        (
            'Le RCP : https://example.org/rcp?id=1&t=R#Poso. Fin',
            ['Le RCP : ', ('https://example.org/rcp?id=1&t=R#Poso',), '. Fin'],
        ),
        ('(voir http://a.fr/x_y), puis', ['(voir ', ('http://a.fr/x_y',), '), puis']),
        ('sans adresse', ['sans adresse']),
    ],
)
def test_addresses_are_cut_out_of_the_text(text, parts):
    assert split_urls(text) == parts


def tgroup(*rows: tuple[str, ...]) -> nodes.tgroup:
    """A table body: the first row is the header."""
    group = nodes.tgroup(cols=len(rows[0]))
    group += [nodes.colspec(colwidth=1) for _ in rows[0]]
    for part, part_rows in ((nodes.thead(), rows[:1]), (nodes.tbody(), rows[1:])):
        for cells in part_rows:
            row = nodes.row()
            row += [nodes.entry('', nodes.paragraph(text=cell)) for cell in cells]
            part += row
        group += part
    return group


def test_each_column_is_measured_by_its_longest_word_and_cell():
    first, second = measure(tgroup(('DCI', 'Marque'), ('osimertinib', 'Tagrisso® (AZ)')))
    # 11 lowercase letters of 5.2 pt; "Tagrisso®": a capital of 7.4 pt and 8 others.
    assert first.longest_word == pytest.approx(11 * 5.2)
    assert second.longest_word == pytest.approx(7.4 + 8 * 5.2)
    assert second.longest_cell == pytest.approx(7.4 * 3 + 11 * 5.2)


def test_shares_follow_the_words_then_the_text():
    # Both fit: each column gets its wanted width, scaled to the whole.
    short = Column(longest_word=40, longest_cell=40)
    long = Column(longest_word=40, longest_cell=400)
    assert fractions([short, long], 1000) == pytest.approx([52 / 251.2, 199.2 / 251.2])
    # Too narrow for what they want: the longest words first, the rest shared.
    assert fractions([short, long], 150) == pytest.approx([52 / 150, 98 / 150])


def test_column_specification_uses_the_letters_column_type():
    assert colspec([0.25, 0.75]) == r'\galiencol{0.2500}\galiencol{0.7500}'
