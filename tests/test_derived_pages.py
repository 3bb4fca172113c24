"""Pages declare the derived data they show; exactly the pages whose data changed are written.

A page that shows data derived from all issues holds a typed placeholder in its
pickled doctree, naming its input; after an issue is added, the website writes
again the previous issue (its « numéro suivant »), the listing page and the
pages whose sidebar lists the new issue's year, and leaves the others alone.
"""

from __future__ import annotations

import pickle
import time
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp

from galien.content.issue_page import issue_links_placeholder, pdf_link_placeholder
from galien.content.listings import listing_placeholder

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.fast


CONF = 'from rootconf import *  # noqa: F403\n'
INDEX = """# Galien

```{galien-dernier-numero}
```

```{galien-archives}
```
"""


def issue(numero: int, year: int, month: int) -> str:
    return (
        f'---\nnumero: {numero}\ndate: {year}-{month:02d}\n---\n\n'
        f'# Article\n\nLe numéro {numero} parle de biosimilaires.\n'
    )


def project(tmp_path: Path) -> Path:
    source = tmp_path / 'src'
    (source / 'issues').mkdir(parents=True)
    (source / 'conf.py').write_text(CONF, encoding='utf-8')
    (source / 'refs.bib').write_text('', encoding='utf-8')
    (source / 'index.md').write_text(INDEX, encoding='utf-8')
    (source / 'apropos.md').write_text('# À propos\n\nLa lettre du centre.\n', encoding='utf-8')
    for numero, year, month in ((18, 2017, 11), (19, 2017, 12), (20, 2018, 1)):
        (source / 'issues' / f'{numero:03d}.md').write_text(
            issue(numero, year, month), encoding='utf-8'
        )
    return source


def build(source: Path) -> SphinxTestApp:
    """A website build; no toctree, whose change would make Sphinx write every page."""
    app = SphinxTestApp('html', srcdir=source, builddir=source.parent / 'build')
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def pages(app: SphinxTestApp) -> dict[str, int]:
    return {
        path.relative_to(app.outdir).with_suffix('').as_posix(): path.stat().st_mtime_ns
        for path in app.outdir.rglob('*.html')
        # Pages Sphinx writes at every build (html-collect-pages), made from no document.
        if path.name not in {'genindex.html', 'search.html', 'accessibilite.html'}
    }


def doctree(app: SphinxTestApp, docname: str) -> object:
    return pickle.loads((app.doctreedir / f'{docname}.doctree').read_bytes())


def test_pages_hold_placeholders_naming_their_input(tmp_path: Path) -> None:
    app = build(project(tmp_path))
    issue_page = doctree(app, 'issues/020')
    links = list(issue_page.findall(issue_links_placeholder))  # type: ignore[attr-defined]
    assert [(n['part'], n['inputs']) for n in links] == [
        ('cite-dans', ['issue:20']),
        ('voisins', ['issue:20']),
    ]
    assert [n['numero'] for n in issue_page.findall(pdf_link_placeholder)] == [20]  # type: ignore[attr-defined]
    listings = list(doctree(app, 'index').findall(listing_placeholder))  # type: ignore[attr-defined]
    assert [(n['kind'], n['inputs']) for n in listings] == [
        ('dernier-numero', ['listing:dernier-numero']),
        ('archives', ['listing:archives']),
    ]
    # Filled when written: the page shows the links, not the placeholder.
    html = (app.outdir / 'issues' / '020.html').read_text(encoding='utf-8')
    assert 'galien-precedent' in html and 'placeholder' not in html


def test_adding_an_issue_writes_again_exactly_the_pages_it_changes(tmp_path: Path) -> None:
    source = project(tmp_path)
    before = pages(build(source))
    time.sleep(0.05)
    (source / 'issues' / '021.md').write_text(issue(21, 2018, 2), encoding='utf-8')
    app = build(source)
    after = pages(app)
    rewritten = {name for name, mtime in after.items() if before.get(name) != mtime}
    # 020 gains its « numéro suivant »; the home page lists 021; every page outside
    # 2017 shows 2018's issues in its sidebar. 2017's issues show nothing new.
    assert rewritten == {'issues/021', 'issues/020', 'index', 'apropos'}
    html = (app.outdir / 'issues' / '020.html').read_text(encoding='utf-8')
    assert '021.html' in html.split('galien-precedent-suivant', 1)[1]


def test_a_drug_mentioned_writes_again_the_index_and_the_mentioning_page(tmp_path: Path) -> None:
    """The drug domain's inputs: the index page, and the pages whose drugs gain a link."""
    source = project(tmp_path)
    (source / 'medicaments.md').write_text(
        '# Index des médicaments\n\n```{galien-medicaments}\n```\n', encoding='utf-8'
    )
    with (source / 'issues' / '019.md').open('a', encoding='utf-8') as text:
        text.write("\nL'{dci}`osimertinib` reste le standard.\n")
    with (source / 'apropos.md').open('a', encoding='utf-8') as text:
        text.write("\nLe {dci}`nivolumab`, cité ici, ne l'est dans aucun numéro.\n")
    first = build(source)
    before = pages(first)
    assert '#dci-nivolumab' not in (first.outdir / 'apropos.html').read_text(encoding='utf-8')
    time.sleep(0.05)
    with (source / 'issues' / '018.md').open('a', encoding='utf-8') as text:
        text.write("\nLe {dci}`nivolumab` et l'{dci}`osimertinib`.\n")
    app = build(source)
    after = pages(app)
    rewritten = {name for name, mtime in after.items() if before.get(name) != mtime}
    # 018 is read again; the index shows nivolumab; « À propos » gains its link to
    # nivolumab's new entry. 019's osimertinib was linked already: 019 is left alone.
    assert rewritten == {'issues/018', 'medicaments', 'apropos'}
    assert '#dci-nivolumab' in (app.outdir / 'apropos.html').read_text(encoding='utf-8')
