"""Drug links are the drug domain's cross-references, resolved by Sphinx.

``{dci}`` is a ``medicament:dci`` reference, and so are the names of
« Médicaments cités dans ce numéro »: ``DrugDomain.resolve_xref`` links them to
the DCI's entry of the index page (``make_refnode``). Without an index page,
or for a DCI no issue discusses, the name stays as written, with no warning
even in nitpicky mode. The links exist before any ``doctree-resolved`` handler
runs: no such handler decides them. The root is ``test-drugs`` (N° 21 to 23).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.testing.util import SphinxTestApp

from helpers import page, warnings

pytestmark = pytest.mark.fast


ROOT = Path(__file__).resolve().parent / 'roots' / 'test-drugs'
ATC_WARNING = 'Éribuline : code ATC L01CX01 ici'


def build(tmp_path: Path, builder: str = 'html', *, index_page: bool = True, **kwargs):
    source = tmp_path / 'src'
    shutil.copytree(ROOT, source)
    if not index_page:
        (source / 'medicaments.md').unlink()
        (source / 'index.md').write_text(
            '# Galien\n\n```{toctree}\n:glob:\n:reversed:\n:hidden:\n\nissues/*\n```\n',
            encoding='utf-8',
        )
    return SphinxTestApp(
        builder,
        srcdir=source,
        builddir=tmp_path / 'build',
        freshenv=True,
        confoverrides={'nitpicky': True},
        **kwargs,
    )


def dci_xref(docname: str, target: str) -> tuple[pending_xref, nodes.inline]:
    node = pending_xref('', refdoc=docname, refdomain='medicament', reftype='dci')
    node['reftarget'] = target
    contnode = nodes.inline('', target, classes=['galien-dci'])
    node += contnode
    return node, contnode


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    app = build(tmp_path_factory.mktemp('links'), parallel=2)
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def test_the_domain_resolves_a_dci_to_its_entry_of_the_index(site):
    domain = site.env.get_domain('medicament')
    node, contnode = dci_xref('issues/022', 'Osimertinib')
    reference = domain.resolve_xref(
        site.env, 'issues/022', site.builder, 'dci', 'Osimertinib', node, contnode
    )
    assert isinstance(reference, nodes.reference)
    assert reference['refuri'] == '../medicaments.html#dci-osimertinib'
    assert reference.astext() == 'Osimertinib'
    assert domain.resolve_any_xref(
        site.env, 'issues/022', site.builder, 'atézolizumab', node, contnode
    )[0][1]['refuri'] == ('../medicaments.html#dci-atezolizumab')
    # A DCI no issue discusses has no entry to link to.
    assert (
        domain.resolve_xref(site.env, 'issues/022', site.builder, 'dci', 'imatinib', node, contnode)
        is None
    )
    assert (
        domain.resolve_any_xref(site.env, 'index', site.builder, 'imatinib', node, contnode) == []
    )


def test_the_index_links_to_issues_through_the_domain(site):
    domain = site.env.get_domain('medicament')
    entry = next(e for e in domain.index.entries if e.dci == 'osimertinib')
    place = next(p for p in entry.places if p.docname == 'issues/021')
    reference = domain.place_reference(
        'medicaments', site.builder, place, nodes.Text('N° 21'), 'Galien N° 21', ['x']
    )
    assert reference['refuri'] == f'issues/021.html#{place.anchor}'
    assert reference['reftitle'] == 'Galien N° 21'
    assert reference['classes'] == ['x']
    # The page shows the link the domain makes.
    links = page(site, 'medicaments').select(f'a[href="issues/021.html#{place.anchor}"]')
    assert links
    assert links[0]['title'] == 'Galien N°\xa021 – mars 2018'


def test_each_mention_links_to_its_entry_of_the_index(site):
    issue = page(site, 'issues/022')
    brand = issue.find(id='mention-osimertinib')
    assert brand.name == 'span'
    assert brand['class'] == ['galien-specialite']
    assert brand.get_text() == 'Tagrisso®'
    assert brand.parent.name == 'a'
    assert brand.parent['href'] == '../medicaments.html#dci-osimertinib'
    index = page(site, 'medicaments')
    mentions = [
        span for span in issue.select('[id^="mention-"]') if span.find_parent('a') is not None
    ]
    assert [m['id'] for m in mentions] == [
        'mention-osimertinib',
        'mention-atezolizumab',
        'mention-entrectinib',
    ]
    for mention in mentions:
        target = mention.parent['href'].split('#')[1]
        assert index.find(id=target) is not None, target
    # A nitpicky build: every drug reference resolved, nothing reported but the ATC code.
    assert warnings(site).count('WARNING') == 1
    assert ATC_WARNING in warnings(site)


def test_no_doctree_resolved_handler_decides_drug_links(tmp_path):
    """The doctree handed to ``doctree-resolved`` already has every drug link, resolved."""
    app = build(tmp_path)
    seen: dict[str, tuple[list[str], int]] = {}

    def record(app, doctree, docname):
        references = [r.get('refuri', '') for r in doctree.findall(nodes.reference)]
        seen[docname] = (references, len(list(doctree.findall(pending_xref))))

    app.connect('doctree-resolved', record, priority=0)  # before any other handler
    try:
        app.build()
        handlers = [listener.handler for listener in app.events.listeners['doctree-resolved']]
    finally:
        app.cleanup()
    references, pending = seen['issues/021']
    assert pending == 0
    assert references.count('../medicaments.html#dci-osimertinib') == 2  # text and list
    assert '../medicaments.html#dci-atezolizumab' in references
    index, pending = seen['medicaments']
    assert pending == 0
    assert 'issues/021.html#medicament-osimertinib' in index
    assert not [
        h for h in handlers if h.__module__.startswith('galien.') and 'drug' in h.__module__
    ]


def test_without_an_index_page_a_drug_is_its_name(tmp_path):
    app = build(tmp_path, index_page=False)
    try:
        app.build()
        issue = page(app, 'issues/021')
        log = warnings(app)
    finally:
        app.cleanup()
    mention = issue.find(id='mention-osimertinib')
    assert mention.name == 'span' and mention['class'] == ['galien-dci']
    assert mention.find_parent('a') is None
    assert issue.select('a[href*="medicaments"]') == []
    listing = issue.select_one('section.galien-medicaments p')
    assert listing.get_text() == 'atézolizumab, erlotinib, osimertinib (Tagrisso®)'
    assert [span['class'] for span in listing.find_all('span')] == [['galien-dci']] * 3
    # Nitpicky, and still no « reference target not found » for a drug.
    assert 'reference target not found' not in log
    assert log.count('WARNING') == 1 and ATC_WARNING in log


def test_the_pdf_names_drugs_without_links(tmp_path):
    app = build(tmp_path, 'latex')
    try:
        app.build()
        tex = (app.outdir / 'galien-021.tex').read_text(encoding='utf-8')
        log = warnings(app)
    finally:
        app.cleanup()
    assert 'medicaments' not in tex.replace('galienmedicaments', '')
    assert '\\hyperref[' not in tex
    assert '\\DUrole{galien-dci}{Atézolizumab}' in tex
    assert '\\DUrole{galien-dci}{atézolizumab}, \\DUrole{galien-dci}{erlotinib}' in tex
    assert log.count('WARNING') == 1 and ATC_WARNING in log
