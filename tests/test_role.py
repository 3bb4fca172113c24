"""The galien role: "Galien N", linked when the issue is in the tree."""

from __future__ import annotations

import pytest

from helpers import page, warnings

pytestmark = pytest.mark.fast


@pytest.mark.sphinx('html', testroot='role', freshenv=True)
def test_reference_to_an_issue_in_the_tree_is_a_link(app):
    app.build()
    soup = page(app, 'issues/005')
    link = soup.find('a', string='Galien 4')
    assert link is not None
    assert link['href'] == '004.html'
    assert link['title'] == 'Galien N°\u00a04 – avril 2016'


@pytest.mark.sphinx('html', testroot='role', freshenv=True)
def test_reference_to_a_paper_issue_is_text_without_warning(app):
    app.build()
    soup = page(app, 'issues/005')
    paper = soup.find('span', string='Galien 7')
    assert paper is not None
    assert 'galien-papier' in paper['class']
    assert paper.find_parent('a') is None
    assert 'Galien 7' not in warnings(app)


@pytest.mark.sphinx('html', testroot='role', freshenv=True)
def test_unknown_later_and_malformed_numbers_warn_with_file_and_line(app):
    app.build()
    log = warnings(app)
    assert "issues/005.md:10: WARNING: Galien 99 n'est ni dans issues/" in log
    assert 'issues/005.md:12: WARNING: Galien 5 cite le numéro 6' in log
    assert 'issues/005.md:12: WARNING: {galien} attend un numéro' in log
    assert '[galien.reference]' in log
    assert 'Traceback' not in log


@pytest.mark.sphinx('html', testroot='role', freshenv=True)
def test_citations_are_recorded_per_issue(app):
    app.build()
    citations = app.env.domains['galien'].citations['issues/005']
    assert [c.numero for c in citations] == [4, 7, 99, 6]
    assert [c.lineno for c in citations] == [8, 8, 10, 12]


@pytest.mark.sphinx('text', testroot='role', freshenv=True)
def test_text_output_names_the_issue(app):
    app.build()
    text = (app.outdir / 'issues/005.txt').read_text(encoding='utf-8')
    assert 'Voir Galien 4 et Galien 7.' in text
