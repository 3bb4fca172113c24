"""Link previews: OpenGraph and Twitter card tags, and each issue's card image."""

from __future__ import annotations

import shutil
import zipfile

import extruct
import pytest
from PIL import Image
from sphinx.testing.util import SphinxTestApp

from galien.web import previews
from helpers import page, warnings

BASE = 'https://galien.test/'


def opengraph(app, docname: str) -> dict[str, str]:
    html = (app.outdir / f'{docname}.html').read_text(encoding='utf-8')
    [found] = extruct.extract(html, syntaxes=['opengraph'], uniform=True)['opengraph']
    return found


def card(app, numero: int):
    return app.outdir / '_static' / 'apercus' / f'galien-{numero:03d}.png'


@pytest.mark.sphinx('html', testroot='metadata', freshenv=True)
def test_every_page_has_a_card_and_an_issue_its_image(app):
    app.build()
    assert warnings(app) == ''
    issue = opengraph(app, 'issues/020')
    assert issue['@type'] == 'article'
    assert issue['og:url'] == f'{BASE}issues/020.html'
    assert issue['og:image'] == f'{BASE}_static/apercus/galien-020.png'
    assert issue['og:title'].startswith('Galien N° 20 – février 2018 : </script>')
    assert issue['og:description'].startswith('Le chiffre du mois : 15. ')
    assert issue['og:locale'] == 'fr_FR'
    twitter = {
        m['name']: m['content']
        for m in page(app, 'issues/020').head.find_all('meta')
        if m.get('name', '').startswith('twitter:')
    }
    assert twitter['twitter:card'] == 'summary_large_image'
    home = opengraph(app, 'index')
    assert home['@type'] == 'website'
    assert home['og:image'] == f'{BASE}_static/apercus/galien.png'
    assert home['og:image:width'] == '1200'
    with Image.open(app.outdir / '_static' / 'apercus' / 'galien.png') as image:
        assert image.size == (1200, 630)
        # Drawn: the masthead's blue band, the red rule under it, text on the pale ground.
        colours = {colour for _count, colour in image.convert('RGB').getcolors(1200 * 630)}
        assert {(27, 79, 114), (176, 58, 46), (234, 242, 248)} <= colours
        assert len(colours) > 32
    assert opengraph(app, 'genindex')['og:site_name'] == 'Galien'
    with Image.open(card(app, 20)) as image:
        assert image.size == (1200, 630)
    assert card(app, 21).is_file()


def home_card(app):
    return app.outdir / '_static' / 'apercus' / 'galien.png'


def build(srcdir, outdir, **overrides) -> SphinxTestApp:
    app = SphinxTestApp('html', srcdir=srcdir, builddir=outdir, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_cards_are_reproducible_cached_and_removed_with_their_issue(tmp_path, rootdir, monkeypatch):
    source = tmp_path / 'src'
    shutil.copytree(rootdir / 'test-metadata', source)
    monkeypatch.setenv('SOURCE_DATE_EPOCH', '1517443200')
    first = build(source, tmp_path / 'one')
    other = build(source, tmp_path / 'two')
    assert card(first, 20).read_bytes() == card(other, 20).read_bytes()
    first_home = home_card(first).read_bytes()
    assert first_home == home_card(other).read_bytes()

    drawn: list[str] = []
    draw = previews.draw_preview
    monkeypatch.setattr(
        previews, 'draw_preview', lambda path, inputs: (drawn.append(path.name), draw(path, inputs))
    )
    build(source, tmp_path / 'one')
    assert drawn == []  # nothing changed: nothing drawn
    issue = source / 'issues' / '021.md'
    issue.write_text(
        issue.read_text(encoding='utf-8').replace('date: 2018-03', 'date: 2018-03\ntitre: Neuf'),
        encoding='utf-8',
    )
    changed = build(source, tmp_path / 'one')
    assert drawn == ['galien-021.png']
    clean = build(source, tmp_path / 'four')
    for name in ('apercus/galien-021.png', 'citer/galien-021.ris', 'citer/galien-021.bib'):
        assert (changed.outdir / '_static' / name).read_bytes() == (
            clean.outdir / '_static' / name
        ).read_bytes(), name
    issue.unlink()
    incremental = build(source, tmp_path / 'one')
    assert not card(incremental, 21).exists()
    clean = build(source, tmp_path / 'three')
    assert sorted(p.name for p in (incremental.outdir / '_static' / 'apercus').iterdir()) == sorted(
        p.name for p in (clean.outdir / '_static' / 'apercus').iterdir()
    )
    assert card(incremental, 20).read_bytes() == card(clean, 20).read_bytes()
    # The home page's card shows the latest issue: N° 20 again, as a clean build draws it.
    assert home_card(incremental).read_bytes() == home_card(clean).read_bytes()
    assert home_card(incremental).read_bytes() != first_home  # it showed N° 21


@pytest.mark.sphinx('epub', testroot='metadata', freshenv=True)
def test_the_epub_has_no_card(app):
    app.build()
    epub = next(app.outdir.glob('*.epub'))
    with zipfile.ZipFile(epub) as book:
        names = book.namelist()
        pages = [book.read(n).decode() for n in names if n.endswith('.xhtml')]
    assert not any('og:' in p or 'twitter:' in p for p in pages)
    assert not any('apercus' in n for n in names)
