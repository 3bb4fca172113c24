"""The whole run of the letter: back issues published on paper only, with their PDFs.

The root ``test-paper`` declares back issues in ``archives/numeros-papier.yml``
next to two Markdown issues (N° 19, December 2017, and N° 20, February 2018):

* N° 7 (July 2016) with its PDF, a title and a chiffre du mois;
* N° 8 (September 2016) with a title and no PDF;
* N° 9 (January 2017) whose "PDF" is a text file, N° 11 (March 2017) whose PDF
  is missing: both are listed without a link, with a warning;
* N° 18 (November 2017) with its PDF, in the same year as the Markdown N° 19;
* N° 19, also written in Markdown: the Markdown issue wins, with a warning.

The PDFs are made here (Pillow), never committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from sphinx.environment import CONFIG_OK
from sphinx.testing.util import SphinxTestApp

from helpers import NBSP, assert_epub_clean, built, require_tool, warnings

pytestmark = pytest.mark.fast


ROOT = Path(__file__).parent / 'roots' / 'test-paper'
PROJECT_DIR = Path(__file__).parent.parent
DATA_FILE = 'archives/numeros-papier.yml'
ATOM = '{http://www.w3.org/2005/Atom}'


def make_pdf(path: Path, colour: str) -> None:
    """A one-page PDF, the way a scan would be saved."""
    Image.new('RGB', (60, 85), colour).save(path, 'PDF')


def write_source(target: Path) -> Path:
    """The test root with its PDFs: two real ones, one text file named .pdf, one missing."""
    shutil.copytree(ROOT, target)
    make_pdf(target / 'archives/galien-007.pdf', 'white')
    make_pdf(target / 'archives/galien-018.pdf', 'lightgrey')
    make_pdf(target / 'archives/galien-019.pdf', 'grey')
    (target / 'archives/galien-009.pdf').write_text('Scan à refaire', encoding='utf-8')
    return target


@pytest.fixture(scope='module')
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_source(tmp_path_factory.mktemp('paper') / 'src')


@pytest.fixture(scope='module')
def site(source: Path):
    with built('html', source) as app:
        yield app


@pytest.fixture(scope='module')
def book(tmp_path_factory: pytest.TempPathFactory):
    with built('epub', write_source(tmp_path_factory.mktemp('paper-epub') / 'src')) as app:
        yield app


def soup(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f'{docname}.html').read_text('utf-8'), 'html.parser')


def flat(text: str) -> str:
    return ' '.join(text.replace(NBSP, ' ').split())


# -- warnings ---------------------------------------------------------------------------


def test_pdf_missing_or_not_a_pdf_and_declared_twice_warn_at_their_line(site, source):
    log = warnings(site)
    data = source / DATA_FILE
    assert (
        f"{data}:18: WARNING: N° 9 : archives/galien-009.pdf n'est pas un PDF "
        '(un PDF commence par « %PDF- ») ; le numéro est publié sans lien [galien.archives]'
    ) in log
    assert (
        f'{data}:22: WARNING: N° 11 : le PDF archives/galien-011.pdf est introuvable ; '
        'le numéro est publié sans lien [galien.archives]'
    ) in log
    assert (
        f'{data}:28: WARNING: le N° 19 est déclaré paru sur papier et publié dans '
        f"{source / 'issues/019.md'} : c'est le numéro en Markdown qui est publié, "
        'retirez cette entrée [galien.archives]'
    ) in log
    # Nothing else: N° 7, 8 and 18 are fine, and so are the citations of 2, 7, 8 and 9.
    assert len(log.strip().splitlines()) == 3, log
    assert 'Traceback' not in log


# -- the archive by year ------------------------------------------------------------------


def test_back_issues_are_listed_in_their_year_marked_as_paper(site):
    years = soup(site, 'index').select('section.galien-annee')
    assert [y['id'] for y in years] == ['annee-2018', 'annee-2017', 'annee-2016']
    entries = [[flat(li.get_text()) for li in y.select('li')] for y in years]
    assert entries == [
        ['Galien N° 20 – février 2018 : Immunothérapie et sujet âgé Télécharger le PDF'],
        [
            'Galien N° 19 – décembre 2017 : Le numéro de décembre Télécharger le PDF',
            'Galien N° 18 – novembre 2017 (édition papier) Télécharger le PDF',
            'Galien N° 11 – mars 2017 (édition papier)',
            'Galien N° 9 – janvier 2017 (édition papier)',
        ],
        [
            'Galien N° 8 – septembre 2016 : Biosimilaires (édition papier)',
            'Galien N° 7 – juillet 2016 : Les anti-PD-1 arrivent (édition papier) '
            'Télécharger le PDF',
        ],
    ]
    paper = [li for y in years for li in y.select('li.galien-papier')]
    assert [flat(li.get_text()).split(' –')[0] for li in paper] == [
        'Galien N° 18',
        'Galien N° 11',
        'Galien N° 9',
        'Galien N° 8',
        'Galien N° 7',
    ]
    # A back issue has no page: its only link is its PDF's.
    assert [[a['href'] for a in li.find_all('a')] for li in paper] == [
        ['pdf/galien-018.pdf'],
        [],
        [],
        [],
        ['pdf/galien-007.pdf'],
    ]
    assert 'galien-lien-pdf' in paper[-1].find('a')['class']
    # N° 19 is the Markdown issue, with its page.
    nineteen = years[1].select('li')[0]
    assert 'galien-papier' not in (nineteen.get('class') or [])
    assert nineteen.find('a')['href'] == 'issues/019.html'


def test_the_website_publishes_each_pdf_where_its_link_points(site, source):
    pdf_dir = site.outdir / 'pdf'
    assert (pdf_dir / 'galien-007.pdf').read_bytes() == (
        source / 'archives/galien-007.pdf'
    ).read_bytes()
    assert (pdf_dir / 'galien-018.pdf').read_bytes()[:5] == b'%PDF-'
    # Not the text file, not the missing one, and not N° 19's scan: N° 19 is in Markdown,
    # its PDF is the print edition's.
    assert sorted(p.name for p in pdf_dir.iterdir()) == ['galien-007.pdf', 'galien-018.pdf']
    # The data file and the scans stay out of the site's pages folder.
    assert not (site.outdir / 'archives').exists()


def test_citation_of_a_back_issue_links_to_its_pdf(site):
    issue = soup(site, 'issues/020')
    seven = issue.find('span', string='Galien 7')
    link = seven.find_parent('a')
    assert link['href'] == '../pdf/galien-007.pdf'
    assert link['title'] == f'Galien N°{NBSP}7 – juillet 2016 (PDF de l’édition papier)'
    assert 'galien-pdf-papier' in link['class']
    # Without a usable PDF, or only a number in galien_paper_issues: text, as before.
    for name in ('Galien 8', 'Galien 9', 'Galien 2'):
        span = issue.find('span', string=name)
        assert 'galien-papier' in span['class']
        assert span.find_parent('a') is None, name


def test_chiffres_page_has_the_chiffre_of_a_back_issue(site):
    boxes = soup(site, 'chiffres').select('.galien-chiffre-liste')
    assert [b['id'] for b in boxes] == ['chiffre-20', 'chiffre-7']
    seven = boxes[1]
    assert 'galien-papier' in seven['class']
    assert flat(seven.select_one('.galien-chiffre-etiquette').get_text()) == (
        'Galien N° 7 – juillet 2016 : Les anti-PD-1 arrivent (édition papier) Télécharger le PDF'
    )
    assert seven.select_one('.galien-chiffre-etiquette a')['href'] == 'pdf/galien-007.pdf'
    assert seven.select_one('.galien-chiffre-valeur').get_text(strip=True) == f'3,5{NBSP}%'
    assert seven.find('p', string=lambda s: s and 'patients' in s).get_text() == (
        'C’est la part des patients de plus de 75 ans dans les essais des anti-PD-1.'
    )
    assert seven.select_one('.galien-source a')['href'] == 'https://www.e-cancer.fr/'


def test_sidebar_lists_back_issues_in_their_year(site):
    nav = soup(site, 'issues/019').select_one('nav.galien-nav')
    years = nav.select('li.galien-nav-annee')
    assert [flat(y.find('a').get_text()) for y in years] == ['2018', '2017', '2016']
    assert years[2].find('a')['href'] == '../index.html#annee-2016'
    # The page's own year is open, its back issues in their place.
    opened = [flat(li.get_text()) for li in years[1].select('li.toctree-l2')]
    assert opened == [
        'N° 19 – décembre 2017',
        'N° 18 – novembre 2017 (édition papier)',
        'N° 11 – mars 2017 (édition papier)',
        'N° 9 – janvier 2017 (édition papier)',
    ]
    paper = years[1].select('li.galien-nav-papier')
    assert [a['href'] for li in paper for a in li.find_all('a')] == ['../pdf/galien-018.pdf']


# -- left out of the feed and the ePub ----------------------------------------------------


def test_feed_leaves_back_issues_out(site):
    feed = ElementTree.parse(site.outdir / 'atom.xml').getroot()
    entries = [e.find(f'{ATOM}id').text for e in feed.findall(f'{ATOM}entry')]
    assert entries == [
        'https://galien.example.org/issues/020.html',
        'https://galien.example.org/issues/019.html',
    ]
    text = (site.outdir / 'atom.xml').read_text(encoding='utf-8')
    assert 'galien-007' not in text and 'papier' not in text


@pytest.mark.slow  # a subprocess build or a real component
def test_epub_leaves_back_issues_out_and_stays_clean(book):
    epub = book.outdir / f'{book.config.epub_basename}.epub'
    assert_epub_clean(epub)
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        home = archive.read('index.xhtml').decode('utf-8')
        issue = archive.read('issues/020.xhtml').decode('utf-8')
    assert not [n for n in names if n.endswith('.pdf') or n.startswith('archives/')]
    assert 'N°\u00a020' in home and 'N°\u00a019' in home
    for absent in ('N°\u00a07 ', 'N°\u00a018', 'papier', '.pdf'):
        assert absent not in home, absent
    # In the book, a citation of N° 7 names it without a link out of the book.
    seven = BeautifulSoup(issue, 'html.parser').find('span', string='Galien 7')
    assert seven.find_parent('a') is None
    assert '.pdf' not in issue


# -- the deployable site ------------------------------------------------------------------


@pytest.mark.slow  # a subprocess build or a real component
def test_make_site_publishes_back_issue_pdfs_where_the_links_point(tmp_path):
    venv = Path(sys.prefix)
    source = write_source(tmp_path / 'src')
    build = tmp_path / 'build'
    stamp = tmp_path / 'venv-stamp'
    stamp.touch()
    paths = [str(PROJECT_DIR / 'extensions'), str(Path(__file__).parent)]
    result = subprocess.run(
        [
            'make',
            '--no-print-directory',
            'site',
            f'VENV={venv}',
            f'SOURCEDIR={source}',
            f'BUILDDIR={build}',
            # The venv running the tests is the one to use: a fresh stamp, so that
            # make (and the sub-makes of `make site`) do not try to reinstall it.
            f'RUNTIME_STAMP={stamp}',
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, 'PYTHONPATH': os.pathsep.join(paths)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = build / 'site'
    checked = 0
    for page in site.rglob('*.html'):
        html = BeautifulSoup(page.read_text(encoding='utf-8'), 'html.parser')
        for a in html.find_all('a', href=True):
            if a['href'].endswith('.pdf') and '://' not in a['href']:
                target = (page.parent / a['href']).resolve()
                assert target.is_file(), f'{page.relative_to(site)} -> {a["href"]}'
                assert target.read_bytes()[:5] == b'%PDF-'
                checked += 1
    assert checked > 10
    home = BeautifulSoup((site / 'index.html').read_text(encoding='utf-8'), 'html.parser')
    seven = home.find('a', href='pdf/galien-007.pdf')
    assert (site / seven['href']).read_bytes() == (source / 'archives/galien-007.pdf').read_bytes()
    # N° 19 is published from Markdown: its PDF is the print edition's, not the scan.
    info = subprocess.run(
        [require_tool('pdfinfo'), str(site / 'pdf/galien-019.pdf')],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 'Galien N° 19 – décembre 2017' in info.replace(NBSP, ' ')


# -- mistakes in the data file ------------------------------------------------------------

MISTAKES = """\
- numero: 3
  date: 2016-13
- numero: sept
  date: 2016-07
- date: 2016-08
- numero: 4
- numero: 5
  date: 2016-05
  auteur: Dr X
  pdf: /etc/hosts
  chiffre: 12
- numero: 5
  date: 2016-06
- juste une ligne de texte
- numero: 6
  date: 2016-06
  chiffre-texte: Un texte sans chiffre.
  titre: [un, deux]
- numero: 010
  date: 2016-10
"""


def build_with(source: Path, build: Path, **overrides: object) -> SphinxTestApp:
    app = SphinxTestApp('html', srcdir=source, builddir=build, confoverrides=overrides)
    app.build()
    return app


def config_status_and_build(source: Path, build: Path) -> tuple[int, SphinxTestApp]:
    """Whether Sphinx found the configuration changed (it says before building), then build."""
    app = SphinxTestApp('html', srcdir=source, builddir=build)
    status = app.env.config_status
    app.build()
    return status, app


def test_mistakes_in_the_data_file_warn_at_their_line(tmp_path):
    source = write_source(tmp_path / 'src')
    data = source / 'archives/erreurs.yml'
    data.write_text(MISTAKES, encoding='utf-8')
    app = build_with(source, tmp_path / 'build', galien_paper_archive='archives/erreurs.yml')
    try:
        log = warnings(app)
        expected = [
            (2, "N° 3 : « date » doit être un mois réel au format AAAA-MM, pas '2016-13'"),
            (3, "« numero » doit être un entier positif, pas 'sept'"),
            (5, "ce numéro n'a pas de « numero »"),
            (6, 'N° 4 : il manque « date » (AAAA-MM)'),
            (9, 'clé inconnue « auteur » (clés possibles : numero, date, titre, pdf,'),
            (10, 'N° 5 : « pdf » est un chemin dans le dépôt, depuis sa racine'),
            (11, "N° 5 : le chiffre du mois '12' n'a pas de texte (« chiffre-texte »)"),
            (12, 'le N° 5 est déjà déclaré à la ligne 7 : cette entrée est ignorée'),
            (14, 'chaque numéro est une suite de lignes « clé: valeur » sous « - numero: »'),
            (17, 'N° 6 : « chiffre-texte » et « chiffre-source » vont avec un « chiffre »'),
            (18, '« titre » attend une seule valeur sur sa ligne'),
        ]
        for line, message in expected:
            assert f'{data}:{line}: WARNING: {message}' in log, (line, log)
        assert log.count('[galien.archives]') == len(expected), log
        assert 'Traceback' not in log
        # What is right in the file is used: N° 5 (first entry), 6, and 010 read as ten.
        years = soup(app, 'index').select('section.galien-annee')
        assert [flat(li.get_text()) for li in years[-1].select('li.galien-papier')] == [
            'Galien N° 10 – octobre 2016 (édition papier)',
            'Galien N° 6 – juin 2016 (édition papier)',
            'Galien N° 5 – mai 2016 (édition papier)',
        ]
    finally:
        app.cleanup()


def test_unreadable_yaml_and_missing_file_are_named(tmp_path):
    source = write_source(tmp_path / 'src')
    data = source / 'archives/casse.yml'
    data.write_text('- numero: 7\n  date: 2016-07\n  titre: [Les anti-PD-1\n', encoding='utf-8')
    app = build_with(source, tmp_path / 'build', galien_paper_archive='archives/casse.yml')
    try:
        log = warnings(app)
        assert f'{data}:4: WARNING: fichier YAML illisible (' in log
        assert "aucun ancien numéro n'est pris en compte [galien.archives]" in log
        # Without the data file, N° 7 is only a number of galien_paper_issues... which
        # this root does not list: the citation says so.
        assert "Galien 7 n'est ni dans issues/ ni déclaré parmi les numéros parus" in log
    finally:
        app.cleanup()
    app = build_with(source, tmp_path / 'build2', galien_paper_archive='archives/absent.yml')
    try:
        assert (
            f'WARNING: galien_paper_archive : le fichier {source / "archives/absent.yml"} '
            "n'existe pas [galien.config]"
        ) in warnings(app)
    finally:
        app.cleanup()


# -- editing the data file ----------------------------------------------------------------


def test_editing_the_data_file_updates_the_site_and_only_then(tmp_path):
    source = write_source(tmp_path / 'src')
    build = tmp_path / 'build'
    data = source / DATA_FILE
    build_with(source, build).cleanup()

    # Nothing changed, or only comments and blank lines: nothing to read again,
    # and the warnings follow the lines.
    data.write_text('# Relu en 2018.\n\n' + data.read_text(encoding='utf-8'), encoding='utf-8')
    status, app = config_status_and_build(source, build)
    try:
        assert status == CONFIG_OK
        assert f'{data}:20: WARNING: N° 9 : archives/galien-009.pdf' in warnings(app)
    finally:
        app.cleanup()

    # A new back issue: the configuration has not changed, the archive lists it.
    with data.open('a', encoding='utf-8') as stream:
        stream.write('\n- numero: 12\n  date: 2017-04\n  titre: Nouveau venu\n')
    status, app = config_status_and_build(source, build)
    try:
        assert status == CONFIG_OK
        home = flat(soup(app, 'index').select_one('#annee-2017').get_text())
        assert 'Galien N° 12 – avril 2017 : Nouveau venu (édition papier)' in home
    finally:
        app.cleanup()


def test_galien_paper_issues_holds_numbers_only(tmp_path):
    source = write_source(tmp_path / 'src')
    app = build_with(source, tmp_path / 'build', galien_paper_issues=[2, '3', {'numero': 4}, 0])
    try:
        assert (
            'WARNING: galien_paper_issues ne contient que des numéros (entiers positifs), '
            "pas '3', {'numero': 4}, 0 ; un numéro avec son mois et son PDF se déclare dans "
            'archives/numeros-papier.yml [galien.config]'
        ) in warnings(app)
    finally:
        app.cleanup()


def test_dirhtml_links_resolve_too(tmp_path):
    with built('dirhtml', write_source(tmp_path / 'src')) as app:
        page = app.outdir / 'issues/020/index.html'
        html = BeautifulSoup(page.read_text(encoding='utf-8'), 'html.parser')
        link = html.find('span', string='Galien 7').find_parent('a')
        assert link['href'] == '../../pdf/galien-007.pdf'
        assert (page.parent / link['href']).resolve().read_bytes()[:5] == b'%PDF-'
