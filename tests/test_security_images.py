"""Images from an untrusted issue: nothing outside the project, nothing remote, no active SVG.

One issue (``tests/roots/test-security-images``) names every kind of bad image:
a file outside the project by ``../``, by a symbolic link and from a figure and
an ``{image}`` directive, an absolute path, a text file named ``.png``, a
missing file, a tracking pixel, an SVG carrying scripts and external
references, an entity bomb; beside them, a real PNG, a GIF and an SVG figure.
The site, the ePub, the e-mail and the LaTeX edition are built once, and each
test reads what they wrote.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from sphinx.testing.util import SphinxTestApp
from test_print_edition import latexpdf

from conftest import TESTS_DIR
from helpers import assert_epub_clean, pdftotext, require_tool

ROOT = TESTS_DIR / 'roots/test-security-images'
ISSUE = 'issues/020'
#: Bytes that are only in the file outside the project.
MARKER = b'SECRET-HORS-DU-PROJET-7f3a'
TRACKER = 'tracker.example'
BUILDERS = ('html', 'epub', 'email', 'latex')
SVG_NS = '{http://www.w3.org/2000/svg}'

FRAMED = [
    'Secret par chemin',
    'Secret par lien',
    'Secret absolu',
    'Secret en figure',
    'Secret en directive',
    'Faux schéma',
    'Schéma absent',
    'Pixel espion',
    'Bombe XML',
]


def hostile_tree(base: Path) -> Path:
    """The root copied into ``base/projet``, a secret PNG beside it, a link to it inside."""
    source = base / 'projet'
    shutil.copytree(ROOT, source)
    info = PngInfo()
    info.add_text('secret', MARKER.decode())
    Image.new('RGB', (12, 12), (200, 0, 0)).save(base / 'secret.png', pnginfo=info)
    (source / 'issues/lien.png').symlink_to('../../secret.png')
    return source


class Builds:
    """The four editions of the hostile tree, with each one's warnings."""

    def __init__(self, base: Path) -> None:
        self.source = hostile_tree(base)
        self.build = base / 'build'
        self.log: dict[str, str] = {}
        self.outdir: dict[str, Path] = {}
        for builder in BUILDERS:
            app = SphinxTestApp(
                builder,
                srcdir=self.source,
                builddir=self.build,
                freshenv=True,
                confoverrides={'html_baseurl': 'https://galien.test/'},
            )
            try:
                app.build()
            finally:
                app.cleanup()
            self.log[builder] = re.sub(r'\x1b\[[0-9;]*m', '', app.warning.getvalue())
            self.outdir[builder] = Path(app.outdir)
        self.doctreedir = self.build / 'doctrees'

    def html(self) -> BeautifulSoup:
        text = (self.outdir['html'] / f'{ISSUE}.html').read_text(encoding='utf-8')
        return BeautifulSoup(text, 'html.parser')

    def email(self) -> BeautifulSoup:
        text = (self.outdir['email'] / 'galien-020.html').read_text(encoding='utf-8')
        return BeautifulSoup(text, 'html.parser')

    def epub_page(self) -> BeautifulSoup:
        text = (self.outdir['epub'] / f'{ISSUE}.xhtml').read_text(encoding='utf-8')
        return BeautifulSoup(text, 'html.parser')


@pytest.fixture(scope='module')
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    return Builds(tmp_path_factory.mktemp('images'))


def framed(soup: BeautifulSoup) -> list[str]:
    return [span.get_text() for span in soup.select('span.galien-image-absente')]


def every_file(folder: Path) -> list[Path]:
    return [path for path in folder.rglob('*') if path.is_file() and not path.is_symlink()]


@pytest.mark.parametrize('builder', BUILDERS)
def test_images_outside_the_project_are_refused_with_their_line(builds, builder):
    log = builds.log[builder]
    assert f"{ISSUE}.md:10: WARNING: l'image ../../secret.png est hors du dossier du projet" in log
    assert f"{ISSUE}.md:12: WARNING: l'image lien.png est hors du dossier du projet" in log
    assert f"{ISSUE}.md:16: WARNING: l'image ../../secret.png est hors du dossier du projet" in log
    assert f"{ISSUE}.md:22: WARNING: l'image ../../secret.png est hors du dossier du projet" in log
    assert log.count('[galien.fichier]') == 4, log
    # An absolute path is read from the project's folder, as Sphinx does: not there.
    assert f'{ISSUE}.md:14: WARNING: image introuvable : /etc/passwd' in log
    assert 'Traceback' not in log


def test_no_byte_from_outside_reaches_any_edition(builds):
    files = every_file(builds.build)
    assert any(path.suffix == '.epub' for path in files)
    assert any(path.name == 'galien-020.eml' for path in files)
    leaks = [path for path in files if MARKER in path.read_bytes()]
    assert leaks == []
    # The images Sphinx copies are the project's own only.
    for builder in ('html', 'epub'):
        names = sorted(path.name for path in (builds.outdir[builder] / '_images').iterdir())
        assert names == ['anime.gif', 'courbe.svg', 'piege.svg', 'schema.png'], names


def test_fake_missing_and_refused_images_are_their_alt_text_in_a_frame(builds):
    for soup in (builds.html(), builds.email(), builds.epub_page()):
        assert framed(soup) == FRAMED
        sources = [image['src'] for image in soup.find_all('img')]
        assert not any('faux' in src or 'absente' in src or 'secret' in src for src in sources)
    log = builds.log['html']
    assert (
        f"{ISSUE}.md:27: WARNING: image faux.png refusée : le fichier n'est pas une image PNG"
        in log
    ), log
    assert f'{ISSUE}.md:29: WARNING: image introuvable : absente.png' in log
    # The figure keeps its caption around the frame.
    figure = builds.html().find('figure')
    assert figure.select_one('span.galien-image-absente').get_text() == 'Secret en figure'
    assert 'Légende de la figure secrète.' in figure.get_text()
    text = (builds.outdir['email'] / 'galien-020.txt').read_text(encoding='utf-8')
    assert '[Faux schéma]' in text and '[Schéma absent]' in text


def test_remote_image_is_never_loaded(builds):
    assert (
        f'{ISSUE}.md:31: WARNING: image distante ou adresse refusée : '
        f"https://{TRACKER}/p.gif n'est chargée par aucune édition"
    ) in builds.log['html']
    assert '[galien.image-distante]' in builds.log['email']
    for soup in (builds.html(), builds.email(), builds.epub_page()):
        sources = [image['src'] for image in soup.find_all('img')]
        assert sources and not [src for src in sources if TRACKER in src], sources
    # Anywhere but in the copy of the Markdown source that the site offers.
    for path in every_file(builds.build):
        if '_sources' not in path.parts and path.suffix in {'.html', '.xhtml', '.eml', '.tex'}:
            assert TRACKER.encode() not in path.read_bytes(), path
    assert_epub_clean(builds.outdir['epub'] / 'Galien.epub')


@pytest.mark.parametrize('builder', ['html', 'epub'])
def test_svg_images_are_published_clean(builds, builder):
    published = builds.outdir[builder] / '_images/piege.svg'
    data = published.read_bytes()
    for word in (
        b'script',
        b'onload',
        b'onclick',
        b'javascript',
        b'foreignObject',
        TRACKER.encode(),
    ):
        assert word not in data, word
    root = ET.fromstring(data)
    tags = {element.tag.removeprefix(SVG_NS) for element in root.iter()}
    assert {'svg', 'rect', 'circle', 'text', 'linearGradient', 'use'} <= tags
    assert not tags & {'script', 'foreignObject', 'set', 'a', 'style'}
    for element in root.iter():
        for key, value in element.attrib.items():
            assert not key.lower().startswith('on')
            if key.endswith('href'):
                assert value.startswith('#'), (key, value)
    assert root.find(f'{SVG_NS}circle').get('fill') == 'url(#g)'
    # The source is left as it was written.
    assert (builds.source / 'issues/piege.svg').read_bytes() == (
        ROOT / 'issues/piege.svg'
    ).read_bytes()
    log = builds.log['html']
    assert f'{ISSUE}.md:33: WARNING: image SVG piege.svg : retiré de la copie publiée' in log
    for removed in (
        'attribut onload',
        'élément <script>',
        'élément <foreignObject>',
        "lien vers javascript:alert('lien')",
        f'lien vers https://{TRACKER}/i.png',
        'lien vers autre.svg#forme',
        'élément <set>',
    ):
        assert removed in log, removed


def test_svg_entity_bomb_is_refused(builds):
    log = builds.log['html']
    assert f'{ISSUE}.md:41: WARNING: image SVG bombe.svg refusée : entité composée' in log, log
    assert '[galien.svg]' in log


def test_svg_is_converted_once_for_the_pdf(builds, tmp_path):
    latex = builds.outdir['latex']
    tex = (latex / 'galien-020.tex').read_text(encoding='utf-8')
    assert '{{courbe}.pdf}' in tex and '{{piege}.pdf}' in tex and '{{anime}.png}' in tex
    assert '.svg}' not in tex and '.gif}' not in tex
    assert (latex / 'courbe.pdf').read_bytes().startswith(b'%PDF')
    for name in FRAMED:
        assert f'\\itshape {name}}}' in tex
    converted = builds.doctreedir / 'images/courbe.pdf'
    before = converted.stat().st_mtime_ns
    app = SphinxTestApp('latex', srcdir=builds.source, builddir=builds.build, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert converted.stat().st_mtime_ns == before


def test_issue_pdf_is_built_with_frames_and_a_vector_figure(tmp_path):
    source = hostile_tree(tmp_path)
    result = latexpdf(source, tmp_path / 'build')
    pdf = tmp_path / 'build/latex/galien-020.pdf'
    assert result.returncode == 0 and pdf.exists(), result.stdout[-3000:] + result.stderr
    assert 'Traceback' not in result.stderr
    text = pdftotext(pdf, layout=False)
    for name in FRAMED:
        assert name in ' '.join(text.split()), name
    # The SVG's own words are text in the PDF: the figure is vector graphics.
    assert 'Courbe vectorielle' in text
    assert 'Survie globale, en mois.' in ' '.join(text.split())
    assert MARKER.decode() not in text
    listing = subprocess.run(
        [require_tool('pdfimages'), '-list', str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bitmaps = [line.split() for line in listing.splitlines()[2:]]
    # Only the PNG and the GIF (as PNG) are bitmaps: 80x30 and 60x20.
    assert sorted((row[3], row[4]) for row in bitmaps if row[2] == 'image') == [
        ('60', '20'),
        ('80', '30'),
    ], listing


def test_a_missing_image_once_added_is_shown_at_the_next_build(tmp_path):
    source = hostile_tree(tmp_path)
    app = SphinxTestApp('html', srcdir=source, builddir=tmp_path / 'build', freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert 'Schéma absent' in framed(
        BeautifulSoup(
            (Path(app.outdir) / f'{ISSUE}.html').read_text(encoding='utf-8'), 'html.parser'
        )
    )
    shutil.copy(source / 'issues/schema.png', source / 'issues/absente.png')
    app = SphinxTestApp('html', srcdir=source, builddir=tmp_path / 'build')
    try:
        app.build()
    finally:
        app.cleanup()
    soup = BeautifulSoup(
        (Path(app.outdir) / f'{ISSUE}.html').read_text(encoding='utf-8'), 'html.parser'
    )
    assert 'Schéma absent' not in framed(soup)
    assert soup.find('img', alt='Schéma absent')['src'] == '../_images/absente.png'
