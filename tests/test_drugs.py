"""Drugs as objects of the letter: the {dci} role, the {medicament} block, the index of drugs.

The test root ``test-drugs`` is a small archive of three issues (N° 21 to 23)
that present and mention drugs: a brand-only mention (``Tagrisso®`` in N° 22),
one DCI written three ways (``Atézolizumab``, ``atezolizumab``, ``atézolizumab``),
an accented DCI (``éribuline``) and a contradictory ATC code for it (N° 23).
Every expected value below is written by hand from those three files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from galien.core.drug_vocabulary import drug_key, sort_key
from helpers import NBSP, assert_epub_clean, built, page, pdftotext, run_sphinx, warnings

pytestmark = pytest.mark.fast


TESTS_DIR = Path(__file__).resolve().parent
ROOT = TESTS_DIR / 'roots' / 'test-drugs'
ERRORS_ROOT = TESTS_DIR / 'roots' / 'test-drug-errors'
PROJECT_DIR = TESTS_DIR.parent
OPF = '{http://www.idpf.org/2007/opf}'


def copy_root(root: Path, destination: Path) -> Path:
    shutil.copytree(root, destination)
    return destination


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    source = copy_root(ROOT, tmp_path_factory.mktemp('drugs') / 'src')
    with built('html', source) as app:
        yield app


@pytest.fixture(scope='module')
def book(tmp_path_factory):
    source = copy_root(ROOT, tmp_path_factory.mktemp('drugs-epub') / 'src')
    with built('epub', source) as app:
        yield app


def index_items(app):
    """Each line of the index: (letter, text of the entry's first line)."""
    index = page(app, 'medicaments')
    return [
        (section.find('h2').get_text().strip('#¶ '), item.find('p').get_text(' ', strip=True))
        for section in index.select('section.galien-lettre')
        for item in section.select('ul.galien-medicaments-liste > li')
    ]


def entry(app, anchor):
    return page(app, 'medicaments').find(id=anchor)


def issue_links(item):
    """(href, in bold) of each issue an index entry links to, in order."""
    return [
        (a['href'], a.find_parent('strong') is not None)
        for a in item.select('.galien-medicaments-numeros a')
    ]


# -- names ---------------------------------------------------------------------------


def test_case_and_accents_do_not_split_a_drug():
    assert drug_key('Atézolizumab') == drug_key('atezolizumab') == drug_key('atézolizumab')
    assert drug_key('trastuzumab  emtansine') == 'trastuzumab emtansine'


def test_french_alphabetical_order_ignores_accents_and_case():
    names = ['erlotinib', 'Éribuline', 'entrectinib', 'œstradiol', 'osimertinib', 'Abémaciclib']
    assert sorted(names, key=sort_key) == [
        'Abémaciclib',
        'entrectinib',
        'Éribuline',
        'erlotinib',
        'œstradiol',
        'osimertinib',
    ]


# -- the website ---------------------------------------------------------------------


def test_only_the_contradictory_atc_code_is_reported(site):
    assert warnings(site).splitlines() == [
        f'{site.srcdir / "issues/023.md"}:18: WARNING: Éribuline : code ATC L01CX01 ici, '
        "mais L01XX41 en issues/022.md:9 ; un médicament n'a qu'un code ATC "
        '[galien.medicament]'
    ]


def test_index_lists_dcis_and_brands_in_french_order(site):
    assert index_items(site) == [
        (
            'A',
            'atézolizumab (Tecentriq®) – L01FF05 Anticorps monoclonaux et conjugués '
            'anticorps-médicament',
        ),
        ('E', 'entrectinib'),
        ('E', 'éribuline (Halaven®) – L01XX41 Autres antinéoplasiques'),
        ('E', 'erlotinib (Tarceva®)'),
        ('H', 'Halaven® → éribuline'),
        ('O', 'osimertinib (Tagrisso®) – L01EB04 Inhibiteurs de protéines kinases'),
        ('T', 'Tagrisso® → osimertinib'),
        ('T', 'Tarceva® → erlotinib'),
        ('T', 'Tecentriq® → atézolizumab'),
    ]


def test_jump_bar_links_the_letters_that_have_entries(site):
    bar = page(site, 'medicaments').select_one('p.galien-lettres')
    assert bar.get_text(' ', strip=True) == ' '.join('ABCDEFGHIJKLMNOPQRSTUVWXYZ')
    assert [a['href'] for a in bar.find_all('a')] == [
        '#lettre-a',
        '#lettre-e',
        '#lettre-h',
        '#lettre-o',
        '#lettre-t',
    ]
    index = page(site, 'medicaments')
    for link in bar.find_all('a'):
        assert index.find(id=link['href'][1:]).name == 'section'


def test_presentation_first_in_bold_then_mentions_newest_first(site):
    # Written « Atézolizumab » in N° 21, « atezolizumab » in N° 22: one entry, spelt as
    # N° 23 presents it.
    assert issue_links(entry(site, 'dci-atezolizumab')) == [
        ('issues/023.html#medicament-atezolizumab', True),
        ('issues/022.html#mention-atezolizumab', False),
        ('issues/021.html#mention-atezolizumab', False),
    ]
    # Presented in N° 21, named only by its brand in N° 22.
    assert issue_links(entry(site, 'dci-osimertinib')) == [
        ('issues/021.html#medicament-osimertinib', True),
        ('issues/022.html#mention-osimertinib', False),
    ]
    assert issue_links(entry(site, 'dci-eribuline')) == [
        ('issues/023.html#medicament-eribuline', True),
        ('issues/022.html#medicament-eribuline', True),
    ]
    link = entry(site, 'dci-erlotinib').find('a')
    assert link.get_text() == f'N°{NBSP}23'
    assert link['title'] == f'Galien N°{NBSP}23 – mai 2018'


def test_index_links_reach_the_exact_place(site):
    links = page(site, 'medicaments').select('.galien-medicaments-numeros a')
    assert len(links) == 10
    for link in links:
        target, anchor = link['href'].split('#')
        place = page(site, target.removesuffix('.html')).find(id=anchor)
        assert place is not None, link['href']
    place = page(site, 'issues/022').find(id='mention-osimertinib')
    assert place.get_text() == 'Tagrisso®'
    assert place['class'] == ['galien-specialite']
    assert page(site, 'issues/021').find(id='mention-atezolizumab').get_text() == 'Atézolizumab'


def test_brand_entries_point_to_their_dci(site):
    index = page(site, 'medicaments')
    brand = next(
        li for li in index.select('li.galien-medicaments-renvoi') if 'Tagrisso' in li.get_text()
    )
    assert brand.find('a')['href'] == '#dci-osimertinib'
    assert index.find(id='dci-osimertinib') is not None


def test_presentation_block_in_the_letter_style(site):
    block = page(site, 'issues/021').select_one('section.galien-medicament')
    heading = block.find('h3')
    assert heading.get_text() == 'osimertinib – Tagrisso®'
    assert block['aria-labelledby'] == heading['id']
    assert block['id'] == 'medicament-osimertinib'
    assert [p.get_text() for p in block.select('.galien-medicament-fiche p')] == [
        f'Laboratoire{NBSP}: AstraZeneca',
        f'Classe ATC{NBSP}: L01EB04 – Inhibiteurs de protéines kinases',
        f'Statut{NBSP}: AMM (2 février 2016)',
        f'Indication{NBSP}: CBNPC avec mutation EGFR T790M',
    ]
    assert 'troisième génération' in block.find('p', class_=False).get_text()
    # A month alone, and a statut typed with other accents, as the list spells it.
    statut = page(site, 'issues/023').select_one(
        '#medicament-atezolizumab .galien-medicament-statut'
    )
    assert statut.get_text() == f'Statut{NBSP}: accès précoce (septembre 2017)'


def test_each_issue_lists_its_drugs_under_its_sources(site):
    issue = page(site, 'issues/021')
    block = issue.select_one('section.galien-medicaments')
    assert block.find('h2').get_text() == 'Médicaments cités dans ce numéro'
    assert block.find('p').get_text() == 'atézolizumab, erlotinib, osimertinib (Tagrisso®)'
    assert [a['href'] for a in block.find_all('a')] == [
        '../medicaments.html#dci-atezolizumab',
        '../medicaments.html#dci-erlotinib',
        '../medicaments.html#dci-osimertinib',
    ]
    # After the sources (footnotes), before the board.
    assert block.find_previous('aside', class_='footnote') is not None
    assert block.find_next_sibling().name == 'aside'
    assert 'galien-board' in block.find_next_sibling()['class']
    # Brand-only mention: the DCI is listed, with the brand.
    other = page(site, 'issues/022').select_one('section.galien-medicaments p').get_text()
    assert other == 'atezolizumab, entrectinib, éribuline (Halaven®), osimertinib (Tagrisso®)'


def test_menu_and_home_page_link_the_index(site):
    nav = page(site, 'issues/021').select_one('nav.galien-nav')
    pages = {a.get_text(): a['href'] for a in nav.select('ul.bd-sidenav > li > a')}
    assert pages['Index des médicaments'] == '../medicaments.html'
    assert page(site, 'index').find('a', string='Index des médicaments')['href'] == (
        'medicaments.html'
    )


def test_drug_data_as_json(site):
    data = json.loads((site.outdir / 'medicaments.json').read_text(encoding='utf-8'))
    assert data['version'] == 1
    assert [d['dci'] for d in data['medicaments']] == [
        'atézolizumab',
        'entrectinib',
        'éribuline',
        'erlotinib',
        'osimertinib',
    ]
    assert data['medicaments'][4] == {
        'dci': 'osimertinib',
        'specialites': ['Tagrisso®'],
        'atc': 'L01EB04',
        'classe_atc': 'Inhibiteurs de protéines kinases',
        'numeros': [
            {
                'numero': 21,
                'date': '2018-03',
                'url': 'https://galien.example.org/issues/021.html#medicament-osimertinib',
                'presentation': True,
            },
            {
                'numero': 22,
                'date': '2018-04',
                'url': 'https://galien.example.org/issues/022.html#mention-osimertinib',
                'presentation': False,
            },
        ],
    }
    assert data['medicaments'][1]['atc'] == '' and data['medicaments'][1]['specialites'] == []


def search_index(app):
    script = (app.outdir / 'searchindex.js').read_text(encoding='utf-8')
    return json.loads(script[script.index('(') + 1 : script.rindex(')')])


def test_searching_a_brand_finds_the_dci_entry(site):
    index = search_index(site)
    objects = [
        (index['docnames'][doc], index['objnames'][str(kind)][2], anchor, name)
        for doc, kind, _prio, anchor, name in index['objects']['']
    ]
    # Sphinx's searchtools.js matches an object whose name contains the query.
    found = [o for o in objects if 'tagrisso' in o[3].lower()]
    assert found == [('medicaments', 'spécialité', 'dci-osimertinib', 'Tagrisso® (osimertinib)')]
    assert ('medicaments', 'médicament (DCI)', '-', 'osimertinib') in objects
    pages = index['terms']['tagrisso']
    assert index['docnames'].index('medicaments') in pages


@pytest.mark.slow  # a subprocess build or a real component
def test_searchtools_shows_the_entry_for_tagrisso(site):
    """Run Sphinx's own search script in Node on the built index, as a reader's browser does."""
    node = shutil.which('node')
    if node is None:
        pytest.fail('node is missing')
    script = f"""
    globalThis.window = globalThis; globalThis._ready = () => {{}}; globalThis._ = (s) => s;
    globalThis.DOCUMENTATION_OPTIONS = {{ FILE_SUFFIX: '.html', LINK_SUFFIX: '.html' }};
    const fs = require('fs');
    eval(fs.readFileSync({str(site.outdir / '_static/searchtools.js')!r}, 'utf8') + ';\\n'
      + fs.readFileSync({str(site.outdir / 'searchindex.js')!r}, 'utf8') + ';\\n'
      + `const results = Search.performObjectSearch('tagrisso', ['tagrisso']);
         console.log(JSON.stringify(results.map(r => [r[0], r[1], r[2]])));`);
    """
    result = subprocess.run(
        [node, '-e', script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        ['medicaments', 'Tagrisso® (osimertinib)', '#dci-osimertinib']
    ]


# -- editing one issue -------------------------------------------------------------------


def written_pages(outdir: Path) -> dict[str, int]:
    return {
        str(p.relative_to(outdir)): p.stat().st_mtime_ns
        for p in outdir.rglob('*.html')
        # Sphinx writes its additional pages every time (the index, search, the statement).
        if p.name not in {'genindex.html', 'search.html', 'accessibilite.html'}
    }


def test_editing_one_issue_rewrites_that_issue_and_the_index_only(tmp_path):
    source = copy_root(ROOT, tmp_path / 'src')
    app = SphinxTestApp('html', srcdir=source, builddir=tmp_path / 'build', freshenv=True)
    app.build()
    app.cleanup()
    before = written_pages(app.outdir)

    issue = source / 'issues/022.md'
    issue.write_text(
        issue.read_text(encoding='utf-8').replace(
            '{dci}`entrectinib`', '{dci}`Rozlytrek® <entrectinib>`'
        ),
        encoding='utf-8',
    )
    again = SphinxTestApp('html', srcdir=source, builddir=tmp_path / 'build')
    try:
        assert sorted(again.builder.get_outdated_docs()) == ['issues/022']
        again.build()
        after = written_pages(again.outdir)
        # index.html too: Sphinx rewrites a page whose toctree lists the edited one.
        assert sorted(p for p in after if after[p] != before.get(p)) == [
            'index.html',
            'issues/022.html',
            'medicaments.html',
        ]
        assert 'Rozlytrek® → entrectinib' in page(again, 'medicaments').get_text()
        data = (again.outdir / 'medicaments.json').read_text(encoding='utf-8')
        assert '"specialites": [\n    "Rozlytrek®"\n   ]' in data
        json_written = (again.outdir / 'medicaments.json').stat().st_mtime_ns
    finally:
        again.cleanup()

    # An edit that changes no drug leaves the index page alone.
    before = after
    issue.write_text(
        issue.read_text(encoding='utf-8').replace('sont à l', 'restent à l'), encoding='utf-8'
    )
    third = SphinxTestApp('html', srcdir=source, builddir=tmp_path / 'build')
    try:
        third.build()
        after = written_pages(third.outdir)
        assert sorted(p for p in after if after[p] != before.get(p)) == [
            'index.html',
            'issues/022.html',
        ]
        assert (third.outdir / 'medicaments.json').stat().st_mtime_ns == json_written
    finally:
        third.cleanup()


# -- the other editions ------------------------------------------------------------------


@pytest.mark.slow  # a subprocess build or a real component
def test_epub_carries_the_index_at_the_end(book):
    epub = book.outdir / 'Galien.epub'
    assert_epub_clean(epub)
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read('content.opf').decode('utf-8')
        index = BeautifulSoup(archive.read('medicaments.xhtml'), 'html.parser')
        issues = {
            name: BeautifulSoup(archive.read(name), 'html.parser')
            for name in ('issues/021.xhtml', 'issues/022.xhtml', 'issues/023.xhtml')
        }
    package = ElementTree.fromstring(opf)
    spine = package.findall(f'{OPF}spine/{OPF}itemref')
    manifest = {item.get('id'): item.get('href') for item in package.iter(f'{OPF}item')}
    assert manifest[spine[-1].get('idref')] == 'medicaments.xhtml'
    links = index.select('.galien-medicaments-numeros a')
    assert [a['href'] for a in links[:3]] == [
        'issues/023.xhtml#medicament-atezolizumab',
        'issues/022.xhtml#mention-atezolizumab',
        'issues/021.xhtml#mention-atezolizumab',
    ]
    for link in links:
        target, anchor = link['href'].split('#')
        assert issues[target].find(id=anchor) is not None, link['href']
    assert issues['issues/021.xhtml'].select_one('section.galien-medicament h3').get_text() == (
        'osimertinib – Tagrisso®'
    )


def test_text_edition(tmp_path):
    source = copy_root(ROOT, tmp_path / 'src')
    with built('text', source) as app:
        text = (app.outdir / 'issues/021.txt').read_text(encoding='utf-8').replace(NBSP, ' ')
    block = text.index('OSIMERTINIB – TAGRISSO®')
    assert block < text.index('Laboratoire** : AstraZeneca') < text.index('troisième')
    listing = text.index('MÉDICAMENTS CITÉS DANS CE NUMÉRO')
    assert text.index('atézolizumab, erlotinib, osimertinib (Tagrisso®)') > listing
    assert listing < text.index('BOARD SCIENTIFIQUE')


def test_email_edition_frames_the_block(tmp_path):
    source = copy_root(ROOT, tmp_path / 'src')
    with built('email', source) as app:
        letter = BeautifulSoup(
            (app.outdir / 'galien-021.html').read_text(encoding='utf-8'), 'html.parser'
        )
        plain = (app.outdir / 'galien-021.txt').read_text(encoding='utf-8')
    block = letter.find('table', id='medicament-osimertinib')
    assert 'border-left: 6px solid #1b4f72' in block['style']
    assert block.find('h2').get_text() == 'osimertinib – Tagrisso®'
    assert 'AstraZeneca' in block.get_text()
    drugs = letter.find('table', id='medicaments-du-numero')
    assert [a['href'] for a in drugs.find_all('a')] == [
        'https://galien.example.org/medicaments.html#dci-atezolizumab',
        'https://galien.example.org/medicaments.html#dci-erlotinib',
        'https://galien.example.org/medicaments.html#dci-osimertinib',
    ]
    assert 'OSIMERTINIB – TAGRISSO®' in plain


@pytest.mark.slow
def test_pdf_lists_the_drugs_under_the_sources(tmp_path):
    source = copy_root(ROOT, tmp_path / 'src')
    result = run_sphinx('-M', 'latexpdf', str(source), str(tmp_path / 'b'), '-q')
    assert result.returncode == 0, result.stderr[-3000:]
    text = pdftotext(tmp_path / 'b/latex/galien-021.pdf', layout=False).replace(NBSP, ' ')
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    card = lines.index('osimertinib – Tagrisso®')
    assert lines[card + 1 : card + 5] == [
        'Laboratoire : AstraZeneca',
        'Classe ATC : L01EB04 – Inhibiteurs de protéines kinases',
        'Statut : AMM (2 février 2016)',
        'Indication : CBNPC avec mutation EGFR T790M',
    ]
    heading = lines.index('MÉDICAMENTS CITÉS DANS CE NUMÉRO')
    assert lines[heading + 1] == 'atézolizumab, erlotinib, osimertinib (Tagrisso®)'
    assert (
        lines.index('Source : Ravì et Wong, 2017 1') < heading < lines.index('BOARD SCIENTIFIQUE')
    )


# -- mistakes ------------------------------------------------------------------------------


def test_every_mistake_is_located(tmp_path):
    source = copy_root(ERRORS_ROOT, tmp_path / 'src')
    app = SphinxTestApp('html', srcdir=source, builddir=tmp_path / 'build', freshenv=True)
    try:
        app.build()
        issue30, issue31 = source / 'issues/030.md', source / 'issues/031.md'
        assert warnings(app).splitlines() == [
            f'{issue30}:10: WARNING: option inconnue :labo: (options possibles : :specialite:, '
            ':laboratoire:, :atc:, :statut:, :date:, :indication:) [galien.langage]',
            f"{issue30}:11: WARNING: code ATC 'L1EB04' mal formé : attendu L, L01, L01E, "
            'L01EB ou L01EB04 [galien.medicament]',
            f"{issue30}:12: WARNING: statut inconnu 'AMM provisoire' (statuts possibles : AMM, "
            'AMM conditionnelle, AMM sous circonstances exceptionnelles, extension '
            "d'indication, accès précoce, accès compassionnel, ATU, ATU de cohorte, ATU "
            'nominative, RTU, essai clinique, refus, suspension, retrait) [galien.medicament]',
            f"{issue30}:13: WARNING: date '2016-13-02' invalide : attendu AAAA-MM-JJ ou "
            'AAAA-MM (ex. 2016-02-02) [galien.medicament]',
            f"{issue30}:16: WARNING: le médicament n'a pas de DCI : écrivez-la après la "
            'directive, par ex. « ```{medicament} osimertinib » [galien.medicament]',
            f'{issue30}:20: WARNING: Osimertinib est déjà présenté dans ce numéro (ligne 8) : '
            'présentez-le une seule fois [galien.medicament]',
            f'{issue30}:26: WARNING: {{dci}} sans DCI : écrivez {{dci}}`osimertinib` ou '
            '{dci}`Tagrisso® <osimertinib>` [galien.medicament]',
            f'{issue30}:26: WARNING: la spécialité Tagrisso® désigne ici gefitinib, mais '
            'osimertinib en issues/030.md:8 [galien.medicament]',
            f'{issue31}:12: WARNING: la spécialité Tagrisso® désigne ici gefitinib, mais '
            'osimertinib en issues/030.md:8 [galien.medicament]',
        ]
    finally:
        app.cleanup()


@pytest.mark.parametrize(
    ('builder', 'output', 'label'),
    [
        ('man', 'galien.1', '\\fBosimertinib – Tagrisso®\\fP'),
        ('texinfo', 'galien.texi', '@strong{osimertinib – Tagrisso®}'),
    ],
)
def test_manual_page_and_texinfo_name_the_drug(tmp_path, builder, output, label):
    source = copy_root(ROOT, tmp_path / 'src')
    with built(builder, source) as app:
        text = (app.outdir / output).read_text(encoding='utf-8')
    assert label in text
    assert text.index(label) < text.index('AstraZeneca')
