"""The board directive: members parsed into fields, a board block in every builder."""

from __future__ import annotations

import pytest

from helpers import assert_epub_clean, page, warnings

pytestmark = pytest.mark.fast


MEMBERS = [
    {'title': 'Pr', 'name': 'P. Arnaud', 'city': 'Paris'},
    {'title': 'Dr', 'name': 'F. Pinguet', 'city': 'Montpellier'},
    {'title': 'Mme', 'name': 'É. Lefèvre-Dupré', 'city': 'Saint-Étienne'},
]


@pytest.mark.sphinx('html', testroot='board', freshenv=True)
def test_html_board_is_an_aside_with_a_list_of_members(app):
    app.build()
    soup = page(app, 'issues/020')
    board = soup.select_one('aside.galien-board')
    heading = board.find('h2')
    assert heading.get_text() == 'Board scientifique'
    assert board['aria-labelledby'] == heading['id']
    members = [
        {
            'title': li.select_one('.galien-membre-titre').get_text(),
            'name': li.select_one('.galien-membre-nom').get_text(),
            'city': li.select_one('.galien-membre-ville').get_text().strip('()'),
        }
        for li in board.select('ul > li')
    ]
    assert members == MEMBERS
    # The board closes the letter, after the article's last paragraph.
    article = soup.select_one('section.galien-numero')
    last_paragraph = article.find(string='Un dernier paragraphe.')
    assert last_paragraph.find_next('aside') is board
    assert warnings(app) == ''


@pytest.mark.sphinx('html', testroot='board', freshenv=True)
def test_board_members_are_data_on_the_doctree(app):
    app.build()
    from galien.content.board import board

    doctree = app.env.get_doctree('issues/020')
    (node,) = doctree.findall(board)
    assert node['label'] == 'Board scientifique'
    assert node['members'] == MEMBERS


@pytest.mark.sphinx('latex', testroot='board', freshenv=True)
def test_latex_board_environment(app):
    app.build()
    tex = (app.outdir / 'galien-020.tex').read_text(encoding='utf-8')
    start = tex.index(r'\begin{galienboard}{Board scientifique}')
    end = tex.index(r'\end{galienboard}')
    block = tex[start:end]
    assert 'P. Arnaud' in block
    # Sphinx writes a hyphen as \sphinxhyphen{}, which lets LaTeX break the line after it.
    assert 'Lefèvre\\sphinxhyphen{}Dupré' in block
    assert '(Saint\\sphinxhyphen{}Étienne)' in block


@pytest.mark.sphinx('text', testroot='board', freshenv=True)
def test_text_board(app):
    app.build()
    text = (app.outdir / 'issues/020.txt').read_text(encoding='utf-8')
    heading = text.index('BOARD SCIENTIFIQUE')
    assert heading < text.index('Pr\u00a0P. Arnaud (Paris)')
    assert heading < text.index('Mme\u00a0É. Lefèvre-Dupré (Saint-Étienne)')


@pytest.mark.slow  # epubcheck, sphinx-build: real components
@pytest.mark.sphinx('epub', testroot='board', freshenv=True)
def test_epub_board_passes_epubcheck(app):
    app.build()
    xhtml = (app.outdir / 'issues/020.xhtml').read_text(encoding='utf-8')
    assert '<aside aria-labelledby="board-scientifique-titre" class="galien-board"' in xhtml
    assert_epub_clean(app.outdir / 'Galien.epub')
