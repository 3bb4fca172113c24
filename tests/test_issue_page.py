"""An issue's page: title, masthead and colophon made from front matter and config."""

from __future__ import annotations

import pytest

from helpers import NBSP, page, warnings

pytestmark = pytest.mark.fast


@pytest.mark.sphinx('html', testroot='issue', freshenv=True)
def test_title_and_masthead_come_from_front_matter(app):
    app.build()
    soup = page(app, 'issues/020')
    assert soup.find('h1').get_text().rstrip('#¶') == f'Galien N°{NBSP}20 – février 2018'
    masthead = soup.select_one('header.galien-masthead')
    assert masthead.select_one('.galien-tagline').get_text().startswith('La lettre d’information')
    assert masthead.select_one('.galien-editeur').get_text() == 'Centre Oscar Lambret'
    headline = masthead.select_one('.galien-titre-numero')
    # Front matter text is escaped, never markup.
    assert (
        headline.get_text() == f'«{NBSP}Deep Learning{NBSP}»{NBSP}? <script>alert(1)</script> & co'
    )
    assert soup.find('script', string='alert(1)') is None
    assert 'N°\u00a020 du mois\u00a0: rien d’autre\u00a0!' in soup.get_text()


@pytest.mark.sphinx('html', testroot='issue', freshenv=True)
def test_colophon_is_the_one_in_force_at_the_issue_date(app):
    app.build()
    recent = page(app, 'issues/020').select_one('footer.galien-colophon')
    old = page(app, 'issues/005').select_one('footer.galien-colophon')
    assert 'Directeur de publication' in recent.get_text()
    assert 'Pr E. Lartigau' in recent.get_text()
    assert 'Pr JL. Cazin, Dr D. Cochelard' in recent.get_text()
    assert 'Pr A. Ancien' in old.get_text()
    assert 'Dr B. Avant' in old.get_text()
    assert warnings(app) == ''


@pytest.mark.sphinx('html', testroot='issue', freshenv=True)
def test_registry_holds_validated_metadata(app):
    app.build()
    domain = app.env.domains['galien']
    issues = [(i.docname, i.numero, i.date, i.titre) for i in domain.ordered_issues()]
    assert issues == [
        ('issues/005', 5, '2015-01', ''),
        ('issues/020', 20, '2018-02', '« Deep Learning » ? <script>alert(1)</script> & co'),
    ]
    assert domain.by_numero[20].docname == 'issues/020'


@pytest.mark.sphinx('latex', testroot='issue', freshenv=True)
def test_latex_masthead_and_colophon(app):
    app.build()
    tex = (app.outdir / 'galien-020.tex').read_text(encoding='utf-8')
    masthead = tex[tex.index(r'\galienmasthead{') :]
    masthead = masthead[: masthead.index('\n')]
    # LuaLaTeX (the letter's engine) takes Unicode and < > as they are.
    assert '{N°\u00a020 – FÉVRIER 2018}' in masthead
    assert r'<script>alert(1)</script> \& co' in masthead
    assert r'\begin{galiencolophon}' in tex
    assert r'\sphinxstylestrong{Directeur de publication}' in tex


@pytest.mark.sphinx('html', testroot='issue', freshenv=True)
def test_templates_receive_issue_metadata(app):
    seen = {}

    def capture(app, pagename, templatename, context, doctree):
        seen[pagename] = dict(context)

    app.connect('html-page-context', capture, priority=900)
    app.build()
    issue_page = seen['issues/020']
    assert issue_page['galien_issue'].numero == 20
    assert issue_page['galien_issue_label'] == f'N°{NBSP}20 – février 2018'
    assert [i.numero for i in issue_page['galien_issues']] == [5, 20]
    assert seen['index']['galien_issue'] is None
