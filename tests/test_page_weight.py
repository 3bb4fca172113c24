"""Website pages under the book theme load only what a letter uses (page_weight.py).

The browser tests measure the bytes; these check, without a browser, which
files each page asks for.
"""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.utils import new_document

from galien.content.stylesheet import has_code
from galien.web.page_weight import script_pattern
from helpers import page, warnings

pytestmark = pytest.mark.fast


BOOK_THEME = {'html_theme': 'sphinx_book_theme'}


def assets(app, docname: str) -> set[str]:
    """File names of the page's scripts and stylesheets, without query strings."""
    soup = page(app, docname)
    urls = [tag['src'] for tag in soup.find_all('script', src=True)]
    urls += [
        tag['href']
        for tag in soup.find_all('link', href=True)
        if tag.get('rel') in (['stylesheet'], ['preload'])
    ]
    return {url.split('?')[0].rsplit('/', 1)[-1] for url in urls}


@pytest.mark.sphinx('html', testroot='issue', freshenv=True, confoverrides=BOOK_THEME)
def test_issue_page_skips_what_a_letter_does_not_use(app):
    app.build()
    issue = assets(app, 'issues/020')
    assert {
        'fontawesome.js',
        'searchtools.js',
        'language_data.js',
        'searchindex.js',
        'pygments.css',
    }.isdisjoint(issue), issue
    # What the theme does need stays, and the print styles come with it.
    assert {
        'bootstrap.js',
        'pydata-sphinx-theme.js',
        'sphinx-book-theme.css',
        'pydata-sphinx-theme.css',
        'galien.css',
        'galien-print.css',
    } <= issue
    printing = page(app, 'issues/020').find('link', href=lambda h: 'galien-print.css' in h)
    assert printing['media'] == 'print'
    # The search page still searches.
    assert {'searchtools.js', 'language_data.js', 'searchindex.js'} <= assets(app, 'search')
    assert warnings(app) == ''


@pytest.mark.sphinx(
    'html',
    testroot='issue',
    freshenv=True,
    confoverrides={**BOOK_THEME, 'html_theme_options': {'search_as_you_type': True}},
)
def test_search_as_you_type_keeps_the_search_scripts(app):
    app.build()
    issue = assets(app, 'issues/020')
    assert {'searchtools.js', 'searchindex.js'} <= issue
    assert 'fontawesome.js' not in issue


def test_script_pattern_removes_whole_tags_only():
    head = (
        '<link rel="preload" as="script" href="_static/scripts/fontawesome.js?digest=1" />\n'
        '  <script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<script src="_static/scripts/bootstrap.js"></script>\n'
    )
    assert script_pattern(('scripts/fontawesome.js',)).sub('', head) == (
        '<script src="_static/scripts/bootstrap.js"></script>\n'
    )


def test_pages_with_code_keep_their_colours():
    document = new_document('test')
    assert not has_code(document)
    document += nodes.literal_block('print(1)', 'print(1)')
    assert has_code(document)


@pytest.mark.sphinx(
    'html',
    testroot='issue',
    freshenv=True,
    confoverrides={**BOOK_THEME, 'html_js_files': ['scripts/fontawesome.js', 'galien-extra.js']},
)
def test_registered_scripts_are_left_out_through_the_page_context(app):
    """A script added with html_js_files (Sphinx's asset list) goes the way pygments.css goes."""
    app.build()
    issue = assets(app, 'issues/020')
    assert 'fontawesome.js' not in issue
    assert 'galien-extra.js' in issue  # the others stay
