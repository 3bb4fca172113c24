"""The ``galien_*`` values of ``conf.py`` and the data file of the back issues.

A wrong value is said once, at its line in ``conf.py``, as ``galien.config``, and
the build goes on with the default. The back issues (``archives/numeros-papier.yml``)
are not configuration: editing them leaves ``conf.py``'s values alone, reads again
only the issues citing a back issue that changed, and writes again only the pages
that show them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from sphinx.environment import CONFIG_OK
from sphinx.testing.util import SphinxTestApp

from helpers import NBSP, warnings

pytestmark = pytest.mark.fast


ROOT = Path(__file__).parent / 'roots' / 'test-paper'
DATA_FILE = 'archives/numeros-papier.yml'


def write_source(target: Path) -> Path:
    """The back issues' root, with the PDFs its data file names."""
    shutil.copytree(ROOT, target)
    for numero in (7, 18, 19):
        Image.new('RGB', (60, 85), 'white').save(
            target / f'archives/galien-{numero:03d}.pdf', 'PDF'
        )
    return target


def soup(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f'{docname}.html').read_text('utf-8'), 'html.parser')


def config_lines(app: SphinxTestApp) -> list[str]:
    return [line for line in warnings(app).splitlines() if '[galien.config]' in line]


# -- conf.py ------------------------------------------------------------------------------


def test_a_wrong_value_is_said_once_at_its_line_and_the_default_is_used(tmp_path):
    source = write_source(tmp_path / 'src')
    conf = source / 'conf.py'
    text = conf.read_text(encoding='utf-8')
    first = len(text.splitlines()) + 1
    conf.write_text(
        text
        + "galien_pdf_url = '{base}pdf/{numero}.pdf'\n"
        + 'galien_tagline = 2018\n'
        + "galien_issn = '0378-5954'\n",
        encoding='utf-8',
    )
    app = SphinxTestApp('html', srcdir=source, builddir=tmp_path / 'build', parallel=2)
    try:
        app.build()
        said = config_lines(app)
        assert said == [
            f"{conf}:{first}: WARNING: adresse '{{base}}pdf/{{numero}}.pdf' : "
            'seuls {baseurl} et {numero} sont connus [galien.config]',
            f'{conf}:{first + 1}: WARNING: galien_tagline doit être de type str, pas int (2018) : '
            'la valeur par défaut est utilisée [galien.config]',
            f"{conf}:{first + 2}: WARNING: galien_issn : '0378-5954' n'est pas un ISSN "
            '(format 1234-5679, clé de contrôle juste) [galien.config]',
        ], warnings(app)
        # Sphinx does not say the type again in its own words.
        assert 'galien_tagline' not in warnings(app).replace(said[1], '')
        # The defaults are used: the PDF's address, no tagline, no ISSN.
        issue = soup(app, 'issues/020')
        assert issue.select_one('a.galien-pdf')['href'] == '../pdf/galien-020.pdf'
        sidebar_pdf = soup(app, 'index').select_one('a[href$="galien-007.pdf"]')
        assert sidebar_pdf is not None and sidebar_pdf['href'] == 'pdf/galien-007.pdf'
        assert 'citation_issn' not in str(issue)
        assert app.config.galien_pdf_url == '{baseurl}pdf/galien-{numero:03d}.pdf'
        assert app.config.galien_tagline == ''
    finally:
        app.cleanup()


def test_a_value_given_with_d_is_said_without_a_line_and_a_list_keeps_its_good_items(tmp_path):
    source = write_source(tmp_path / 'src')
    app = SphinxTestApp(
        'html',
        srcdir=source,
        builddir=tmp_path / 'build',
        confoverrides={'galien_paper_issues': [2, '3', 0]},
    )
    try:
        app.build()
        assert config_lines(app) == [
            'WARNING: galien_paper_issues ne contient que des numéros (entiers positifs), '
            "pas '3', 0 ; un numéro avec son mois et son PDF se déclare dans "
            'archives/numeros-papier.yml [galien.config]'
        ]
        assert app.config.galien_paper_issues == [2]
    finally:
        app.cleanup()


def test_an_edition_left_out_has_no_values(tmp_path):
    source = write_source(tmp_path / 'src')
    conf = source / 'conf.py'
    conf.write_text(
        conf.read_text(encoding='utf-8')
        + "extensions = [e for e in extensions if e != 'galien.mail']\n",
        encoding='utf-8',
    )
    app = SphinxTestApp('html', srcdir=source, builddir=tmp_path / 'build')
    try:
        assert 'galien_email_from' not in app.config
        assert 'galien_issn' in app.config
    finally:
        app.cleanup()


# -- the data file of the back issues --------------------------------------------------


class Recorder:
    """Which documents a build reads, and which pages it writes."""

    def __init__(self, app: SphinxTestApp) -> None:
        self.read: set[str] = set()
        self.written: set[str] = set()
        app.connect('env-before-read-docs', lambda app, env, docnames: self.read.update(docnames))
        app.connect('html-page-context', self.page)
        self.found = app.env.found_docs

    def page(self, app: object, pagename: str, *args: object) -> None:
        if pagename in self.found:
            self.written.add(pagename)


def rebuild(source: Path, build: Path) -> tuple[SphinxTestApp, Recorder]:
    app = SphinxTestApp('html', srcdir=source, builddir=build)
    assert app.env.config_status == CONFIG_OK
    recorder = Recorder(app)
    app.build()
    return app, recorder


def test_editing_the_back_issues_writes_again_exactly_the_pages_showing_them(tmp_path):
    source = write_source(tmp_path / 'src')
    build = tmp_path / 'build'
    data = source / DATA_FILE
    SphinxTestApp('html', srcdir=source, builddir=build, freshenv=True).build()

    # A new back issue of 2017: the listings and the pages whose sidebar shows
    # 2017 (N° 19) are written again; nothing is read again, N° 20 (2018) is left.
    with data.open('a', encoding='utf-8') as stream:
        stream.write('\n- numero: 12\n  date: 2017-04\n  titre: Nouveau venu\n')
    app, recorder = rebuild(source, build)
    try:
        assert recorder.read == set()
        assert recorder.written == {'index', 'chiffres', 'issues/019'}
        home = ' '.join(soup(app, 'index').get_text().replace(NBSP, ' ').split())
        assert 'Galien N° 12 – avril 2017 : Nouveau venu (édition papier)' in home
    finally:
        app.cleanup()

    # The title of N° 7, which N° 20 cites: N° 20 is read and written again.
    data.write_text(
        data.read_text(encoding='utf-8').replace('Les anti-PD-1 arrivent', 'Les anti-PD-1'),
        encoding='utf-8',
    )
    app, recorder = rebuild(source, build)
    try:
        assert recorder.read == {'issues/020'}
        assert recorder.written == {'index', 'chiffres', 'issues/020'}
    finally:
        app.cleanup()

    # Only a comment: nothing is read or written again.
    data.write_text('# Relu.\n' + data.read_text(encoding='utf-8'), encoding='utf-8')
    app, recorder = rebuild(source, build)
    try:
        assert recorder.read == set()
        assert recorder.written == set()
    finally:
        app.cleanup()
