"""Bounded work: linear parsers, nesting refused before anything recurses, no part required.

An issue file may come from outside the committee: no line of it may stall the
build (a regular expression backtracking on spaces), stop it (``RecursionError``
on deep nesting) or lose part of it silently (markdown-it's nesting limit).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from docutils import nodes
from docutils.utils import new_document
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from test_print_edition import latexpdf

from conftest import TESTS_DIR
from galien.cli import scaffold
from galien.content import (
    bibreader,
    board,
    drug_atc,
    drug_markup,
    language,
    math_guard,
    svg,
    typography,
)
from galien.content.nesting import (
    MARKDOWN_IT_MAX_NESTING,
    MAX_DOCTREE_DEPTH,
    LimitDoctreeDepth,
    fence_depth,
    indentation_depth,
    limit_nesting,
    text_of,
)
from galien.content.vancouver import names, template
from galien.core import front_matter, model, urls
from galien.print import latex_charset, layout
from galien.web import page_weight
from helpers import NBSP, page, pdftotext, require_tool, warnings

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from markdown_it.token import Token

pytestmark = pytest.mark.fast


ROOT = TESTS_DIR / 'roots/test-bounded'
#: About 100 KB of input per call.
SIZE = 100_000
#: Every syntax an option's value may have (galien.content.language).
OPTION_SYNTAXES = [v for v in vars(language).values() if isinstance(v, language.Syntax)]
#: Per call: generous, so that a slow machine passes, and a super-linear parser
#: (minutes or hours on these inputs) does not.
TIME_LIMIT = 5.0


def markdown_tokens(text: str) -> list[Token]:
    """MyST's markdown-it tokens of ``text``, parsed as the letter's parser does."""
    md = create_md_parser(MdParserConfig(), SphinxRenderer)
    md.options['maxNesting'] = MARKDOWN_IT_MAX_NESTING
    return md.parse(text, {})


def deep_svg(levels: int) -> bytes:
    opening = '<svg xmlns="http://www.w3.org/2000/svg">'
    return (opening + '<g>' * levels + '</g>' * levels + '</svg>').encode()


def deep_list(levels: int) -> str:
    return ''.join('   ' * i + f'- niveau {i + 1}\n' for i in range(levels))


# Each parser of the extension, with the worst input its grammar allows that we
# know of: long runs of what its pattern repeats, openings never closed. About
# 100 KB each, or as much as the parser reads (a formula stops at its maximum).
WORST_INPUTS: dict[str, tuple[Callable[[str], object], str]] = {
    'board: spaces': (board.parse_member_line, 'Pr' + ' ' * SIZE + 'x'),
    'board: no city': (board.parse_member_line, 'Pr ' + 'a ' * (SIZE // 2) + '('),
    'board: parentheses': (board.parse_member_line, 'Pr a' + '()' * (SIZE // 2)),
    'dci: spaces': (drug_markup.split_title, 'a' + ' ' * SIZE + 'x'),
    'dci: angles': (drug_markup.split_title, '<' * SIZE + '>'),
    'svg: url and spaces': (svg._css_safe, 'url(' + ' ' * SIZE),
    'svg: comments never closed': (svg._css_safe, '/*' * (SIZE // 2)),
    'svg: url( repeated': (svg._value_safe, 'url(' * (SIZE // 4)),
    'svg: url then spaces': (svg._value_safe, 'url' + ' ' * SIZE + 'url'),
    'svg: nesting': (lambda text: svg.clean(text.encode()), deep_svg(SIZE // 8).decode()),
    'vancouver: pages and spaces': (template.shorten_pages, '1' + ' ' * SIZE + 'x'),
    'vancouver: pages and dashes': (template.shorten_pages, '1 ' + '- ' * (SIZE // 2) + 'x'),
    'vancouver: initials': (lambda text: names.initials([text]), '-a ' * (SIZE // 3)),
    'typography: spaces': (typography.french_spacing, 'a' + ' ' * SIZE + 'b'),
    'typography: guillemets': (typography.french_spacing, '« ' * (SIZE // 2)),
    'math: commands': (math_guard.refusal, r'\alpha' * (math_guard.MAX_LENGTH // 6)),
    'math: environments': (math_guard.refusal, r'\begin{' * (math_guard.MAX_LENGTH // 7)),
    'math: braces': (math_guard.refusal, '{' * math_guard.MAX_LENGTH),
    'latex charset': (latex_charset.unprintable, 'é\u2028ẞ' * (SIZE // 3)),
    'pdf addresses': (layout.split_urls, 'http://' * (SIZE // 7)),
    'option values': (
        lambda text: [syntax.accepts(text) for syntax in OPTION_SYNTAXES],
        '1, ' * (SIZE // 3) + 'x',
    ),
    'option values: spaces': (
        lambda text: [syntax.accepts(text) for syntax in OPTION_SYNTAXES],
        ' ' * SIZE + 'x',
    ),
    'new issue: board of the last one': (scaffold.board_block, '```{board}\n' * (SIZE // 11)),
    'url schemes': (urls.refused_scheme, 'java' + '\t' * SIZE + 'script:'),
    'url schemes: encodings': (urls.refused_scheme, '%25' * (SIZE // 3) + '&amp;' * 1000),
    'chiffre: source': (model.is_web_url, 'https://' + ' ' * SIZE),
    'drug: ATC code': (drug_atc.ATC_CODE.fullmatch, 'L01' + '0' * SIZE),
    'drug: statut': (drug_markup.canonical_statut, 'AMM ' * (SIZE // 4)),
    'drug: date': (drug_markup.parse_date, '2018-' * (SIZE // 5)),
    'front matter': (
        lambda text: front_matter.parse_fields(front_matter.front_matter_text(text) or ''),
        '---\nx: ' + '[' * SIZE + '\n---\n',
    ),
    'front matter: indentation': (
        lambda text: front_matter.parse_fields(front_matter.front_matter_text(text) or ''),
        '---\n' + ''.join(' ' * n + 'a:\n' for n in range(440)) + '---\n',
    ),
    'front matter: keys': (
        lambda text: front_matter.parse_fields(front_matter.front_matter_text(text) or ''),
        '---\n' + 'a: ' * (SIZE // 3) + '\n---\n',
    ),
    'bibtex: @ and spaces': (bibreader.read_bib, '@a' + ' ' * SIZE),
    'bibtex: entries never closed': (bibreader.read_bib, '@a{' * (SIZE // 3)),
    'bibtex: braces': (bibreader.read_bib, '@article{k, title = {' + '{' * SIZE + '}'),
    'bibtex: authors': (bibreader.read_bib, '@article{k, author = {' + 'a and ' * 10_000 + '}}'),
    'page weight: indentation': (
        page_weight.script_pattern(('x.js',)).search,
        ' ' * SIZE + '<script src="y.js">',
    ),
    'nesting: fences': (fence_depth, '```{note}\n' * (SIZE // 10)),
    'nesting: indentation': (indentation_depth, '- ' * (SIZE // 2)),
    'nesting: indentation lines': (
        indentation_depth,
        ''.join(' ' * n + 'x\n' for n in range(400)) * 2,
    ),
}


@pytest.mark.parametrize('case', sorted(WORST_INPUTS))
def test_every_parser_is_linear_on_its_worst_input(case):
    parser, text = WORST_INPUTS[case]
    start = time.perf_counter()
    with contextlib.suppress(svg.SvgRefusedError, svg.NotSvgError):  # a refusal is an answer
        parser(text)
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f'{case}: {elapsed:.1f} s for {len(text)} characters'


#: Markdown as deep as 100 KB allows: markdown-it's parse is not ours, and not timed.
DEEP_MARKDOWN = {
    'emphasis': '*' * (SIZE // 2) + 'x' + '*' * (SIZE // 2),
    'quotes': '> ' * (SIZE // 2),
    'lists': deep_list(300),
    'links': '[' * (SIZE // 2) + 'x' + '](y)' * (SIZE // 8),
}


@pytest.mark.parametrize('case', sorted(DEEP_MARKDOWN))
def test_limit_nesting_is_linear(case):
    tokens = markdown_tokens(DEEP_MARKDOWN[case])
    start = time.perf_counter()
    limit_nesting(tokens, source_lines=DEEP_MARKDOWN[case].splitlines())
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f'{case}: {elapsed:.1f} s'


def test_board_lines_parse_as_before():
    assert board.parse_member_line('Pr P. Arnaud (Paris)') == {
        'title': 'Pr',
        'name': 'P. Arnaud',
        'city': 'Paris',
    }
    assert board.parse_member_line('Mme  É.   Lefèvre-Dupré  ( Saint-Étienne )') == {
        'title': 'Mme',
        'name': 'É. Lefèvre-Dupré',
        'city': 'Saint-Étienne',
    }
    for refused in ('Pr P. Arnaud', 'Pr (Paris)', 'Pr P. (A) Arnaud (Paris)', 'Pr Nom ()', 'Pr'):
        assert board.parse_member_line(refused) is None, refused


def test_the_board_of_the_last_issue_is_found_as_before():
    text = 'Texte.\n````{board} Board\n- Pr P. Arnaud (Paris)\n```\n````  \nFin.\n'
    assert scaffold.board_block(text) == '````{board} Board\n- Pr P. Arnaud (Paris)\n```\n````  '
    assert scaffold.board_block('```{board}\n- Pr A (B)\n') is None
    assert scaffold.board_block('  ```{board}\n```\n:::{board} B\n:::\n') == ':::{board} B\n:::'


def test_svg_urls_and_comments_are_read_as_before():
    assert svg.url_targets('fill: URL( "#a" ) ; stroke:url(#b)') == ['#a', '#b']
    assert svg.without_css_comments('a/* x */b/* y') == 'ab/* y'
    assert svg._css_safe('.a { fill: url(#g) } /* url(https://x) */')
    assert not svg._css_safe('.a { fill: url(https://x.org/y) }')
    assert not svg._css_safe('.a { fill: url(#g }')
    assert svg._value_safe('url(#g)')
    assert not svg._value_safe('url ( https://x )')
    with pytest.raises(svg.SvgRefusedError):
        svg.clean(deep_svg(svg.MAX_DEPTH + 1))
    assert b'<g>' in svg.clean(deep_svg(svg.MAX_DEPTH - 1)).data


# -- limit_nesting on markdown-it's tokens -------------------------------------------------


def test_six_levels_pass_unchanged():
    text = deep_list(6) + '\n' + '> ' * 6 + 'citation\n\n' + '*' * 6 + 'x' + '*' * 6 + '\n'
    tokens = markdown_tokens(text)
    types = [(t.type, t.content) for t in tokens]
    kept, problems = limit_nesting(tokens)
    assert problems == []
    assert [(t.type, t.content) for t in kept] == types


def test_deeper_blocks_become_their_text_with_their_line():
    text = 'Avant.\n\n' + deep_list(9) + '\nEntre.\n\n' + '> ' * 7 + 'sept\n\nAprès.\n'
    kept, problems = limit_nesting(markdown_tokens(text), source_lines=text.splitlines())
    assert [line for line, _message in problems] == [9, 15]
    assert '9 niveaux de listes ou de citations (6 au plus)' in problems[0][1]
    inline = [t.content for t in kept if t.type == 'inline']
    assert inline[:7] == ['Avant.', *(f'niveau {n}' for n in range(1, 7))]
    assert inline[7] == '- niveau 7\n- niveau 8\n- niveau 9'
    assert inline[8:] == ['Entre.', '> > > > > > > sept', 'Après.']
    assert max(t.level for t in kept) < 20


def test_without_the_source_the_text_comes_from_the_tokens():
    kept, problems = limit_nesting(markdown_tokens('> ' * 9 + 'fond\n'))
    assert [t.content for t in kept if t.type == 'inline'] == ['fond']
    assert problems[0][0] == 1


def test_deeper_emphasis_keeps_its_marks_as_text():
    # Eight levels of strong text: ``**`` sixteen times on each side.
    text = 'Un\ndeux ' + '*' * 16 + 'x' + '*' * 16 + ' trois [lien](https://a.org)\n'
    kept, problems = limit_nesting(markdown_tokens(text))
    assert problems == [(2, problems[0][1])]
    assert '8 niveaux' in problems[0][1]
    (inline,) = (t for t in kept if t.type == 'inline')
    children = inline.children or []
    depth = 0
    deepest = 0
    for child in children:
        depth += child.nesting
        deepest = max(deepest, depth)
    assert deepest == 6 and depth == 0
    shown = ''.join(c.content for c in children if c.type == 'text')
    assert shown == 'Undeux ****x**** trois lien'


def test_directive_bodies_are_measured_in_one_pass():
    assert fence_depth('```python\nx\n```\n:::{tip}\n::::{note}\ny\n::::\n:::\n') == 2
    assert fence_depth(''.join('`' * n + '{note}\n' for n in range(30, 3, -1))) == 27
    assert indentation_depth('- a\n\n  - b\n\n    texte\n\n  fin\n') == 2
    assert indentation_depth('- - - x\n') == 3
    tokens = markdown_tokens(
        '```{eval-rst}\n' + ''.join(' ' * n + 'x\n' for n in range(30)) + '```\n'
    )
    kept, problems = limit_nesting(tokens)
    assert problems[0][0] == 1 and '29 niveaux' in problems[0][1]
    assert [t.type for t in kept] == ['paragraph_open', 'inline', 'paragraph_close']


def test_a_doctree_too_deep_keeps_its_text():
    document = new_document('issues/099.md')
    document.settings.env = SimpleNamespace(docname='issues/099')
    parent: nodes.Element = document
    for level in range(MAX_DOCTREE_DEPTH * 3):
        quote = nodes.block_quote()
        quote.line = level + 1
        parent += quote
        parent = quote
    parent += nodes.paragraph('', 'tout au fond')
    LimitDoctreeDepth(document).apply()
    depth, node = 0, document
    while node.children and isinstance(node[0], nodes.Element):
        node, depth = node[0], depth + 1
    assert depth <= MAX_DOCTREE_DEPTH + 1
    assert text_of(document) == 'tout au fond'


def test_the_tokens_given_are_not_changed():
    tokens = markdown_tokens('*' * 20 + 'x' + '*' * 20 + '\n')
    before = [c.type for c in tokens[1].children or []]
    limit_nesting(tokens)
    assert [c.type for c in tokens[1].children or []] == before


# -- builds --------------------------------------------------------------------------------

IMBRICATION = re.compile(
    r'issues/(\d+)\.md:(\d+): WARNING: imbrication trop profonde.*\[galien\.imbrication\]'
)


@pytest.mark.sphinx('html', testroot='bounded', freshenv=True)
def test_deep_nesting_is_refused_at_its_line_and_the_issue_built(app):
    app.build()
    log = warnings(app)
    assert 'RecursionError' not in log and 'Traceback' not in log
    # Emphasis, the seventh list, seven quotes, two hundred quotes; not six. And
    # in a directive's body, which MyST parses apart, at the line of the file.
    # Directives: reST nested 150 levels, 150 nested notes.
    located = sorted((numero, int(line)) for numero, line in IMBRICATION.findall(log))
    assert located == [
        ('020', 10),
        ('020', 29),
        ('020', 36),
        ('020', 38),
        ('021', 13),
        ('024', 10),
        ('024', 313),
    ]
    assert log.count('[galien.imbrication]') == 7
    soup = page(app, 'issues/020')
    text = ' '.join(soup.get_text(' ').replace(NBSP, ' ').split())
    for kept in (
        'Un premier paragraphe.',
        'emphase profonde',
        'niveau 10',
        'sept citations',
        'tout au fond',
        'Fin du numéro.',
        'patients par mois.',
    ):
        assert kept in text, kept
    # Six levels stay lists and quotes.
    deepest = soup.find(string=re.compile('accepté 6'))
    assert len(deepest.find_parents('ul')) == 6
    quote = soup.find(string=re.compile('six citations acceptées'))
    assert len(quote.find_parents('blockquote')) == 6
    note = ' '.join(page(app, 'issues/021').get_text(' ').split())
    assert 'huit citations dans une note' in note
    directives = ' '.join(page(app, 'issues/024').get_text(' ').split())
    for kept in ('Début.', 'rst 149', 'au centre', 'Fin des directives.'):
        assert kept in directives, kept
    # The seventh list is text in the sixth list's item, not a list.
    seventh = soup.find(string=re.compile('niveau 7'))
    assert seventh.find_parent('ul') is None or len(seventh.find_parents('ul')) <= 6


EDITION_FILES = {
    'html': 'issues/{numero}.html',
    'epub': 'issues/{numero}.xhtml',
    'email': 'galien-{numero}.eml',
    'text': 'issues/{numero}.txt',
    'latex': 'galien-{numero}.tex',
}
#: What each issue of the root says; N°23 has only its front matter.
ISSUE_TEXT = {'021': 'Un article seul.', '022': 'aucun article', '023': None}


@pytest.mark.parametrize('builder', sorted(EDITION_FILES))
def test_an_issue_without_chiffre_board_or_article_builds_in_every_edition(
    builder, make_app, tmp_path
):
    source = tmp_path / 'src'
    shutil.copytree(ROOT, source)
    app = make_app(builder, srcdir=source, freshenv=True)
    app.build()
    log = warnings(app)
    assert 'Traceback' not in log and 'Error' not in log, log
    for numero, words in ISSUE_TEXT.items():
        output: Path = app.outdir / EDITION_FILES[builder].format(numero=numero)
        assert output.is_file(), numero
        if words is not None:
            assert words in output.read_text(encoding='utf-8').replace('=\n', ''), numero


def raw_text(pdf: Path) -> str:
    """The PDF's text in the order it was written (``pdftotext -raw``): column after column."""
    result = subprocess.run(
        [require_tool('pdftotext'), '-raw', str(pdf), '-'],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.slow
def test_lists_and_quotes_six_deep_print_and_every_issue_has_its_pdf(tmp_path):
    source = tmp_path / 'src'
    shutil.copytree(ROOT, source)
    result = latexpdf(source, tmp_path / 'build')
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert 'Too deeply nested' not in result.stdout + result.stderr
    pdfs = {p.name for p in (tmp_path / 'build/latex').glob('galien-*.pdf')}
    assert {f'galien-0{n}.pdf' for n in (20, 21, 22, 23)} <= pdfs
    raw = raw_text(tmp_path / 'build/latex/galien-020.pdf').replace(NBSP, ' ')
    text = ' '.join(re.sub(r'(?<=\w)-\n(?=\w)', '', raw).split())  # words cut at line ends
    for kept in (
        'accepté 6',
        'niveau 6',
        'niveau 10',
        'six citations acceptées',
        'sept citations',
        'tout au fond',
        'Fin du numéro.',
    ):
        assert kept in text, kept
    assert 'Un article seul.' in pdftotext(tmp_path / 'build/latex/galien-021.pdf')
