"""``bibreader.read_bib`` on its own, without Sphinx: what a hostile ``.bib`` costs and says.

Each malformed file is a string here, not a project to build. Hypothesis writes
files from BibTeX's own pieces and hostile fragments (unclosed braces, stray
``@``, ``@string`` concatenations, control characters); whatever it writes,
reading never raises, takes bounded input (so bounded time, the scanner being
linear: ``test_bounded.py`` times the worst cases), and every problem or entry
names a line of the file where its ``@`` is.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.exceptions import PybtexError

from galien.content import bibreader
from galien.core.bibtex_markup import rich_text, unknown_commands

pytestmark = pytest.mark.fast

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GOOD = """@article{ravi2017,
  author = {Ravi, Évelyne and Nguyễn, An},
  title = {{HER2} et trastuzumab},
  journal = {Bull Cancer},
  year = {2017},
  url = {https://example.org/ravi},
}
"""


def read(text: str) -> bibreader.BibContents:
    return bibreader.read_bib(text)


def messages(contents: bibreader.BibContents) -> list[tuple[int | None, str]]:
    return [(p.line, str(p.message) % p.args) for p in contents.problems]


def test_a_good_entry_is_read_with_its_line():
    contents = read('\n\n' + GOOD)
    assert list(contents.data.entries) == ['ravi2017']
    assert contents.lines == {'ravi2017': 3}
    entry = contents.data.entries['ravi2017']
    assert entry.fields['title'] == '{HER2} et trastuzumab'
    assert [str(p) for p in entry.persons['author']] == ['Ravi, Évelyne', 'Nguyễn, An']
    assert contents.problems == []


def test_a_missing_comma_costs_its_entry_only():
    broken = '@article{sans_virgule,\n  title = {A}\n  year = {2018},\n}\n'
    text = GOOD + broken + GOOD.replace('ravi2017', 'apres')
    contents = read(text)
    assert list(contents.data.entries) == ['ravi2017', 'apres']
    assert contents.lines['apres'] == 12
    [(line, message)] = messages(contents)
    # pybtex stops at the line after the missing comma: the line named is the one to fix.
    assert line == 10, message
    assert "l'entrée 'sans_virgule'" in message and 'virgule' in message


def test_an_unclosed_entry_is_cut_at_the_next_one():
    text = '@article{ouverte,\n  title = {A},\n' + GOOD
    contents = read(text)
    assert list(contents.data.entries) == ['ravi2017']
    assert contents.lines['ravi2017'] == 3
    [(line, message)] = messages(contents)
    assert line == 1 and 'avant la ligne 3' in message, message


def test_a_duplicate_key_keeps_the_first():
    contents = read(GOOD + GOOD.replace('2017}', '2019}'))
    assert contents.data.entries['ravi2017'].fields['year'] == '2017'
    [(line, message)] = messages(contents)
    assert line == 8 and 'déjà définie en ligne 1' in message, message


def test_an_unsafe_url_is_dropped_at_its_line():
    text = GOOD.replace('https://example.org/ravi', 'javascript:alert(1)')
    contents = read(text)
    assert 'url' not in contents.data.entries['ravi2017'].fields
    [(line, message)] = messages(contents)
    assert line == 6 and 'javascript:alert(1)' in message


def test_a_command_off_the_list_is_taken_out_at_its_field_line():
    text = GOOD.replace(
        'title = {{HER2} et trastuzumab}', r'title = {\textit{HER2} et \input{/etc/passwd}\\ x}'
    ).replace('Nguyễn, An', r'Nguyễn, \textsc{An} and \foo{Durand}, Claire')
    contents = read(text)
    entry = contents.data.entries['ravi2017']
    # \textit is on the list and stays for the style; \input and \\ are not.
    assert entry.fields['title'] == r'\textit{HER2} et {/etc/passwd} x'
    assert [str(p) for p in entry.persons['author']] == [
        'Ravi, Évelyne', 'Nguyễn, {An}', '{Durand}, Claire'
    ]  # fmt: skip
    assert messages(contents) == [
        (
            3,
            "le champ title de l'entrée 'ravi2017' contient \\input, \\\\, qui n'est pas une "
            'commande permise (voir « Citer une publication » dans le guide) : elle est '
            'retirée, son texte est gardé',
        ),
        (
            2,
            "le champ author de l'entrée 'ravi2017' contient \\foo, qui n'est pas une commande "
            'permise (voir « Citer une publication » dans le guide) : elle est retirée, son '
            'texte est gardé',
        ),
    ]


#: Pieces of titles: words, commands on the list and off it, braces, math.
title_pieces = st.sampled_from([
    'Deep', ' ', '{', '}', '{HER2}', r'\textit', r'\emph{', r'\input', r'\foo', r'\\', r'\,',
    r'\%', r"\'", 'e', r'\c', r'$\alpha$', '$', r'\textgreater{}', r'\url{', r'\catcode',
])  # fmt: skip


@SETTINGS
@given(title=st.lists(title_pieces, max_size=12).map(''.join))
def test_a_title_read_prints_without_a_command(title):
    """Whatever the commands in a title, what is kept of it prints no ``\\name``."""
    contents = read(f'@misc{{t,\n  title = {{{title}}},\n}}\n')
    entry = contents.data.entries.get('t')
    if entry is None:  # unbalanced braces: refused as a whole, elsewhere
        return
    kept = entry.fields.get('title', '')
    assert unknown_commands(kept) == []
    try:
        printed = rich_text(kept).render_as('text')
    except PybtexError:  # braces pybtex's LaTeX reader finds unbalanced
        return
    assert re.search(r'\\[A-Za-z]', printed) is None, printed


def test_a_string_bomb_is_stopped():
    lines = ['@string{s0 = "aaaaaaaaaaaaaaaa"}']
    lines += [f'@string{{s{n} = s{n - 1} # s{n - 1}}}' for n in range(1, 40)]
    lines.append('@misc{bombe, title = s39}')
    contents = read('\n'.join(lines) + '\n' + GOOD)
    assert 'bombe' not in contents.data.entries
    assert 'ravi2017' in contents.data.entries
    assert any('Kio' in message for _line, message in messages(contents))


def test_too_many_problems_stop_the_reading():
    contents = read('@\n' * (bibreader.MAX_PROBLEMS * 3))
    assert len(contents.problems) == bibreader.MAX_PROBLEMS + 1
    assert 'plus de 50 erreurs' in messages(contents)[-1][1]


#: Pieces of BibTeX, good and hostile, that Hypothesis strings together.
PIECES = [
    '@article{',
    '@string{',
    '@comment{',
    '@preamble{',
    '@misc(',
    '@',
    '@@',
    'key,',
    'title = ',
    'author = ',
    'url = ',
    '{',
    '}',
    '(',
    ')',
    '"',
    '#',
    ',',
    '=',
    ' and ',
    'nejm',
    'javascript:x',
    'https://a.fr',
    "\\'e",
    'É',
    '\n',
    '\n@',
    '  ',
    '\x00',
    '\x0c',
    '\r\n',
    '0',
]
bib_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=80).map(
    ''.join
)


@SETTINGS
@given(text=bib_text)
def test_any_text_is_read_without_error_and_located(text):
    contents = read(text)
    stripped = bibreader.CONTROL_CHARACTERS.sub('', text)
    lines = stripped.split('\n')
    for problem in contents.problems:
        assert problem.line is None or 1 <= problem.line <= len(lines), problem
        str(problem.message) % problem.args  # every message can be said
    assert len(contents.problems) <= bibreader.MAX_PROBLEMS + 2
    for key, line in contents.lines.items():
        assert '@' in lines[line - 1], (key, line)
    assert set(contents.lines) == set(contents.data.entries)


entry_keys = st.from_regex(r'[a-z][a-z0-9_]{0,12}', fullmatch=True)
#: Titles as pybtex gives them back: words (accents, ``®``, ``≥``) and single spaces.
words = st.text(st.characters(whitelist_categories=('L', 'N', 'Sm', 'So')), min_size=1, max_size=8)
values = st.lists(words, min_size=1, max_size=4).map(' '.join)


@SETTINGS
@given(
    entries=st.lists(
        st.tuples(entry_keys, values), min_size=1, max_size=8, unique_by=lambda e: e[0].lower()
    ),
    garbage=st.sampled_from(['', 'texte libre\n', '@\n', '@article{cassee,\n']),
)
def test_good_entries_survive_anything_between_them(entries, garbage):
    parts = [f'@misc{{{key},\n  title = {{{title}}},\n}}\n{garbage}' for key, title in entries]
    contents = read(''.join(parts))
    assert [(k, contents.data.entries[k].fields['title']) for k in contents.data.entries] == [
        (k, t) for k, t in entries
    ]
    step = 3 + garbage.count('\n')
    assert [contents.lines[k] for k, _t in entries] == [1 + i * step for i in range(len(entries))]


@pytest.mark.parametrize('size', [bibreader.MAX_COMMAND_CHARS + 10])
def test_an_entry_too_long_is_refused(size):
    text = '@misc{long, title = {' + 'a' * size + '}}\n' + GOOD
    contents = read(text)
    assert list(contents.data.entries) == ['ravi2017']
    assert messages(contents)[0][0] == 1
