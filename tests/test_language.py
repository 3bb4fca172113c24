"""The letter's language: an allow-list of what a page may say, and one of what reaches a page.

``roots/test-language`` is an issue from a hostile guest author: per-file MyST
configuration (Jinja substitutions, raw HTML rules back), directives and roles
the letter does not use, options and values outside their syntax, a construct
of the project's pages. ``roots/test-sanitiser`` lets raw HTML past the parser
(as a bug or a careless extension would) to show the second wall.
"""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT_DIR, TESTS_DIR
from galien.content import language
from galien.content.sanitiser import sanitised
from helpers import page, warnings

pytestmark = pytest.mark.fast


EXTENSION = PROJECT_DIR / 'extensions' / 'galien'
ISSUE = 'issues/021.md'


def main_of(app, docname: str) -> BeautifulSoup:
    """The page's own content, without the theme's frame."""
    soup = page(app, docname)
    return soup.select_one('main') or soup.select_one('div.body') or soup


def extension_text() -> str:
    return '\n'.join(
        path.read_text(encoding='utf-8', errors='replace')
        for path in EXTENSION.rglob('*')
        if path.is_file() and path.suffix in {'.py', '.sty', '.cls', '.lua', '.html', '.css'}
    )


@pytest.fixture(scope='module')
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp('langage')
    source = base / 'projet'
    shutil.copytree(TESTS_DIR / 'roots/test-language', source)
    return base, source


@pytest.fixture(scope='module')
def hostile_html(hostile, make_app_module):
    base, source = hostile
    app = make_app_module('html', srcdir=source, freshenv=True)
    app.build()
    return base, app


@pytest.fixture(scope='module')
def make_app_module(tmp_path_factory):
    """``make_app`` for a module-scoped build: one build, several tests reading it."""
    from sphinx.testing.util import SphinxTestApp

    apps = []

    def make(*args, **kwargs):
        app = SphinxTestApp(*args, **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.cleanup()


def test_the_guide_table_is_made_from_the_code_and_names_every_construct():
    """The guide's page holds no table of its own: its directive makes it from ``language``.

    ``tests/test_guide.py`` builds the guide and reads the table on the page.
    """
    source = (PROJECT_DIR / 'docs' / 'rediger' / 'langage.md').read_text(encoding='utf-8')
    assert '```{galien-langage}\n```' in source
    assert '| `{' not in source
    table = language.guide_table()
    for name in [*language.DIRECTIVES, *language.ROLES]:
        assert f'`{{{name}}}`' in table, name
    for key in language.FRONT_MATTER_KEYS:
        assert f'`{key}`' in table


def test_a_directive_the_letter_does_not_use_is_refused_without_being_named_in_the_code(
    hostile_html,
):
    _base, app = hostile_html
    code = extension_text()
    assert 'highlights' not in code and '{pep}' not in code and "'pep'" not in code
    log = warnings(app)
    assert re.search(
        rf"{ISSUE}:17: WARNING: la directive {{highlights}} n'est pas permise dans un numéro"
        r'.*\[galien\.langage\]',
        log,
    ), log
    assert re.search(rf"{ISSUE}:24: WARNING: le rôle {{pep}} n'est pas permis", log), log
    main = main_of(app, 'issues/021')
    assert '```{highlights}' in main.get_text() and ':pep:`8`' in main.get_text()
    assert main.select_one('.highlights') is None and 'PEP 8' not in main.get_text()


def test_per_file_configuration_is_never_read(hostile, hostile_html):
    base, app = hostile_html
    log = warnings(app)
    for line, key in ((5, 'myst'), (8, 'orphan')):
        assert f"{ISSUE}:{line}: WARNING: clé « {key} » inconnue dans l'en-tête" in log, log
    assert not list(base.rglob('PWNED'))
    assert_clean_body(main_of(app, 'issues/021'))
    text = main_of(app, 'issues/021').get_text()
    assert 'Le calcul {{ env.' in text and '.popen(' in text
    assert '<script>alert(1)</script>' in text
    assert 'orphan' not in app.env.metadata['issues/021']


def test_tex_never_sees_a_refused_directive(hostile, make_app_module):
    base, source = hostile
    app = make_app_module('latex', srcdir=source, freshenv=True)
    app.build()
    tex = (app.outdir / 'galien-021.tex').read_text(encoding='utf-8')
    assert '\\directlua{os.execute' not in tex and '\\tablecolumns' not in tex
    assert 'directlua' in tex.replace('\\directlua{dofile', '')  # shown as text, escaped
    assert 'se dose en' in tex and 'Surveiller la fonction' in tex
    assert not list(base.rglob('PWNED'))


def test_options_and_values_outside_their_syntax_are_dropped(hostile_html):
    _base, app = hostile_html
    log = warnings(app)
    assert re.search(
        rf'{ISSUE}:28: WARNING: option :width: de {{figure}} ignorée : « expression\(alert\(3\)\) '
        r"» n'a pas la forme attendue",
        log,
    ), log
    assert f'{ISSUE}:29: WARNING: option inconnue :figwidth: (options possibles : :alt:' in log
    html = (app.outdir / 'issues/021.html').read_text(encoding='utf-8')
    assert 'expression(' not in html
    # An allowed option with a value of its syntax stays.
    assert page(app, 'issues/021').select_one('.admonition.note.galien-colonne') is not None


def test_a_construct_of_the_project_pages_is_refused_in_an_issue(hostile_html):
    _base, app = hostile_html
    log = warnings(app)
    assert f"{ISSUE}:32: WARNING: la directive {{toctree}} n'est pas permise dans un numéro" in log
    assert 'index.md' not in log  # the home page's toctree is its own


def test_the_rest_of_the_issue_is_built(hostile_html):
    _base, app = hostile_html
    main = main_of(app, 'issues/021')
    text = main.get_text()
    assert 'Le β-HCG se dose en µg/mL.' in text
    assert 'Surveiller la fonction rénale (DFG ≥ 30 mL/min).' in text
    assert main.select_one('sub').get_text() == '2'
    assert 'Traceback' not in warnings(app)


# -- what reaches a page ---------------------------------------------------------------------

FORBIDDEN_ELEMENTS = ('script', 'iframe', 'form', 'input', 'meta', 'base', 'style')


def assert_clean_body(body: BeautifulSoup) -> None:
    for name in FORBIDDEN_ELEMENTS:
        assert body.find(name) is None, name
    for element in body.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith('on'), (element.name, attribute)
            text = ' '.join(value) if isinstance(value, list) else value
            assert not re.search(r'(?i)(javascript|vbscript|data)\s*:', text), (element, text)


@pytest.fixture(scope='module')
def sanitiser_builds(tmp_path_factory, make_app_module):
    base = tmp_path_factory.mktemp('assainissement')
    source = base / 'projet'
    shutil.copytree(TESTS_DIR / 'roots/test-sanitiser', source)
    apps = {}
    for builder in ('html', 'epub', 'email'):
        app = make_app_module(builder, srcdir=source, builddir=base / 'build', freshenv=True)
        app.build()
        apps[builder] = app
    return apps


def test_html_let_past_the_parser_is_sanitised_on_the_website(sanitiser_builds):
    app = sanitiser_builds['html']
    soup = page(app, 'issues/020')
    body = main_of(app, 'issues/020')
    assert_clean_body(body)
    assert 'lien piégé' in body.get_text() and 'Fond piégé.' in body.get_text()
    assert body.find('a', href='https://www.has-sante.fr/') is not None
    assert body.find('img', alt='image data') is None or not body.find('img', alt='image data').get(
        'src'
    )
    # The theme's own scripts are not the issue's.
    assert soup.head.find_all('script', src=True)
    log = warnings(app)
    assert re.search(
        r'issues/020\.md: WARNING: contenu retiré de la page publiée .*<script>.*\[galien\.html\]',
        log,
    ), log


def test_html_let_past_the_parser_is_sanitised_in_the_epub(sanitiser_builds):
    app = sanitiser_builds['epub']
    xhtml = (app.outdir / 'issues/020.xhtml').read_text(encoding='utf-8')
    soup = BeautifulSoup(xhtml, 'html.parser')
    assert_clean_body(soup.body)
    assert 'Fond piégé.' in soup.body.get_text()


def test_the_email_carries_nothing_active(sanitiser_builds):
    app = sanitiser_builds['email']
    soup = BeautifulSoup(
        (app.outdir / 'galien-020.html').read_text(encoding='utf-8'), 'html.parser'
    )
    assert_clean_body(soup.body)
    assert 'Le β-HCG se dose en µg/mL' in soup.body.get_text()


def test_a_clean_body_keeps_its_own_bytes():
    body = (
        '<p>Patients\u00a0≥\u00a075\u00a0ans, <a class="reference external" '
        'href="https://www.has-sante.fr/">HAS</a>.</p>\n<table class="docutils">'
        '<colgroup><col style="width: 50%" /></colgroup><tr><td>osimertinib</td></tr></table>'
    )
    assert sanitised(body) == (body, [])


def test_a_body_with_something_active_is_published_sanitised():
    body = '<p onclick="x()">Texte <img src="javascript:alert(1)" alt="a"></p><script>x</script>'
    published, removed = sanitised(body)
    assert removed
    assert 'onclick' not in published and 'javascript' not in published
    assert '<script' not in published and 'Texte' in published


def test_control_characters_written_by_yaml_escapes_are_taken_out(hostile_html):
    _base, app = hostile_html
    log = warnings(app)
    assert (
        f'{ISSUE}:4: WARNING: caractère invisible ou invalide U+0001 retiré de « titre »' in log
    ), log
    html = (app.outdir / 'issues/021.html').read_text(encoding='utf-8')
    assert 'Langage de la lettre' in html and '\x01' not in html
