"""The website as readers see it, in headless Chromium driven by Playwright.

The site is built into a temporary folder with the real N°20 and two copies of
it as N°19 and N°21, so that the home page's latest issue, the links between
issues and the search have something to show, then served on 127.0.0.1. The
browser is Debian's ``chromium`` (``make test`` installs it): Playwright never
downloads one. axe-core is the npm release pinned in tests/package-lock.json
(``make npm-tools``), injected into each page. Run these tests alone with
``pytest -m browser``.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

from bench import GALIEN_CONF, make_project
from conftest import PROJECT_DIR
from helpers import (
    AXE_SCRIPT,
    CHROMIUM,
    NBSP,
    drawn_picture,
    npm_version,
    pdftotext,
    project_folder_lock,
    require_npm_tool,
    require_tool,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
]
SIZES = {'telephone': (390, 844), 'tablette': (820, 1180), 'ordinateur': (1440, 900)}
PAGES = {
    'accueil': 'index.html',
    'numero-20': 'issues/020.html',
    'chiffres': 'chiffres.html',
    'medicaments': 'medicaments.html',
    'numero-21': 'issues/021.html',  # with a presented drug and its list of drugs
    # The search page as a search leaves it: with its results.
    'recherche': 'search.html?q=médicament',
    # The accessibility statement (web/accessibility_statement.py).
    'accessibilite': 'accessibilite.html',
}
AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
#: The oldest axe-core that runs every WCAG 2.1 rule the site must pass
#: (label-content-name-mismatch among them): older copies miss failures.
AXE_MINIMUM = (4, 14)
BLOCKING_IMPACTS = {'serious', 'critical'}
NUMERO_20 = f'N°{NBSP}20 – février 2018'
A4_POINTS = (595, 842)


# -- the site, its server and the browser ----------------------------------------


def sphinx_html(source: Path, build_dir: Path, *options: str) -> Path:
    result = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-M', 'html', str(source), str(build_dir), '-q', *options],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return build_dir / 'html'


#: N°21 presents and mentions drugs, so that the index of drugs has entries.
DRUGS_OF_21 = """
# Nouvelles AMM

```{medicament} osimertinib
:specialite: Tagrisso®
:laboratoire: AstraZeneca
:atc: L01EB04
:statut: AMM
:date: 2016-02-02
:indication: CBNPC avec mutation EGFR T790M

Un inhibiteur de tyrosine kinase de troisième génération.
```

Le {dci}`Tagrisso® <osimertinib>` après l'{dci}`erlotinib` ; l'{dci}`atézolizumab` ensuite.

```{table} Résultats principaux de l'essai FLAURA

| Critère | Osimertinib (n = 279) | Comparateur (n = 277) | HR (IC 95 %) | p | Commentaire |
|---------|-----------------------|-----------------------|--------------|---|-------------|
| SSP médiane | 18,9 mois | 10,2 mois | 0,46 (0,37–0,57) | < 0,001 | Bénéfice homogène |
```
"""


def copy_of_issue_20(numero: int, month: str, titre: str) -> str:
    """N°20's text as another issue: same length, same blocks, another number."""
    text = (PROJECT_DIR / 'issues' / '020.md').read_text(encoding='utf-8')
    text = re.sub(r'^numero: 20$', f'numero: {numero}', text, count=1, flags=re.MULTILINE)
    text = re.sub(r'^date: 2018-02$', f'date: {month}', text, count=1, flags=re.MULTILINE)
    return re.sub(r'^titre: .*$', f'titre: {titre}', text, count=1, flags=re.MULTILINE)


@pytest.fixture(scope='module')
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with N°19, the real N°20 and N°21."""
    source = tmp_path_factory.mktemp('browser-site')
    (source / 'conf.py').write_text(
        GALIEN_CONF.format(conf=str(PROJECT_DIR / 'conf.py')), encoding='utf-8'
    )
    for name in ('index.md', 'chiffres.md', 'medicaments.md', 'references.bib'):
        shutil.copy(PROJECT_DIR / name, source / name)
    shutil.copytree(PROJECT_DIR / '_static', source / '_static')
    (source / 'issues').mkdir()
    shutil.copy(PROJECT_DIR / 'issues' / '020.md', source / 'issues' / '020.md')
    (source / 'issues' / '019.md').write_text(
        copy_of_issue_20(19, '2018-01', 'Le numéro de janvier'), encoding='utf-8'
    )
    (source / 'issues' / '021.md').write_text(
        copy_of_issue_20(21, '2018-03', 'Le numéro de mars') + DRUGS_OF_21, encoding='utf-8'
    )
    return source


@pytest.fixture(scope='module')
def site(source: Path) -> Path:
    """The website, built strictly (-W)."""
    return sphinx_html(source, source / '_build', '-W', '--keep-going')


@pytest.fixture(scope='module')
def published_site(source: Path) -> Path:
    """``make site``: the website with the PDFs where its links point."""
    if not (Path(sys.prefix) / '.requirements-runtime.txt').exists():
        pytest.fail('the test venv was not made by the Makefile: run make test')
    build_dir = source / '_published'
    result = subprocess.run(
        [
            'make',
            '--no-print-directory',
            'site',
            f'VENV={sys.prefix}',
            f'SOURCEDIR={source}',
            f'BUILDDIR={build_dir}',
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return build_dir / 'site'


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are counted by the browser; the server's log would only be noise."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 from a thread, for the ``with`` block; its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{server.server_address[1]}/'
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope='module')
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope='module')
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail('chromium is missing: run `make test`, which installs it')
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context: no cache, no storage left by another test."""
    context = browser.new_context(locale='fr-FR')
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


# -- pages, clicks and search ------------------------------------------------------


@pytest.mark.parametrize('path', PAGES.values(), ids=PAGES.keys())
def test_pages_open_in_french(page: Page, base_url: str, path: str):
    response = page.goto(base_url + path)
    assert response is not None and response.status == 200
    assert page.locator('html').get_attribute('lang') == 'fr'
    assert page.title().endswith('Galien')


def test_latest_issue_then_previous_then_pdf(page: Page, base_url: str):
    page.goto(base_url + 'index.html')
    page.locator('.galien-dernier').get_by_role('link', name='Lire le numéro').click()
    page.wait_for_url(base_url + 'issues/021.html')
    assert page.get_by_role('heading', level=1).inner_text().startswith('Galien N°')
    assert 'mars 2018' in page.get_by_role('heading', level=1).inner_text()

    previous = page.locator('p.galien-precedent')
    assert previous.inner_text().startswith('Numéro précédent')
    previous.get_by_role('link', name=NUMERO_20).click()
    page.wait_for_url(base_url + 'issues/020.html')
    assert page.get_by_role('heading', level=1).inner_text() == f'Galien {NUMERO_20}'

    pdf_link = page.locator('.galien-masthead').get_by_role('link', name='Télécharger le PDF')
    # `make site` puts the PDFs in pdf/ next to the pages: the link must land there.
    assert pdf_link.evaluate('a => a.href') == base_url + 'pdf/galien-020.pdf'


@pytest.mark.slow
def test_pdf_link_of_the_published_site_gives_the_issue(
    browser: Browser, published_site: Path, tmp_path: Path
):
    context = browser.new_context()
    page = context.new_page()
    with serve(published_site) as url:
        page.goto(url + 'issues/020.html')
        link = page.locator('.galien-masthead').get_by_role('link', name='Télécharger le PDF')
        with page.expect_response(lambda response: response.url.endswith('.pdf')) as answer:
            link.click()
        response = answer.value
        assert (response.url, response.status) == (url + 'pdf/galien-020.pdf', 200)
        assert response.header_value('content-type') == 'application/pdf'
        # Chromium hands the page to its PDF viewer: fetch the same address for the file.
        pdf = tmp_path / 'galien-020.pdf'
        pdf.write_bytes(context.request.get(response.url).body())
    context.close()
    text = ' '.join(pdftotext(pdf).split())
    assert 'N° 20 – FÉVRIER 2018' in text, text[:500]


def test_french_search_finds_issue_20(page: Page, base_url: str):
    page.goto(base_url + 'issues/020.html')
    page.get_by_role('button', name='Recherche').first.click()
    box = page.locator('dialog').get_by_role('searchbox', name='Rechercher…')
    box.fill('médicament')
    box.press('Enter')
    page.wait_for_url(re.compile(r'search\.html\?q=m'))
    results = page.locator('#search-results li')
    results.first.wait_for()
    titles = results.locator('a').all_inner_texts()
    assert any(NUMERO_20 in title for title in titles), titles


def test_searching_a_brand_opens_the_entry_of_its_dci(page: Page, base_url: str):
    """« Tagrisso » is a brand: the search offers osimertinib's entry of the index of drugs."""
    page.goto(base_url + 'issues/021.html')
    page.get_by_role('button', name='Recherche').first.click()
    box = page.locator('dialog').get_by_role('searchbox', name='Rechercher…')
    box.fill('Tagrisso')
    box.press('Enter')
    page.wait_for_url(re.compile(r'search\.html\?q=Tagrisso'))
    results = page.locator('#search-results li')
    results.first.wait_for()
    first = results.first.locator('a').first
    assert first.inner_text() == 'Tagrisso® (osimertinib)'
    first.click()
    page.wait_for_url(re.compile(r'medicaments\.html#dci-osimertinib$'))
    entry = page.locator('#dci-osimertinib')
    assert entry.locator('strong.galien-dci').inner_text() == 'osimertinib'
    assert entry.locator('a.galien-presentation').get_attribute('href') == (
        'issues/021.html#medicament-osimertinib'
    )


# -- accessibility ------------------------------------------------------------------


def open_page(page: Page, url: str) -> None:
    """Go to ``url`` and wait until it is complete: scripts run, fonts loaded, search results
    shown (not Playwright's ``networkidle``, which adds half a second of silence to each visit)."""
    page.goto(url, wait_until='load')
    page.evaluate('document.fonts.ready.then(() => true)')
    if 'search.html?q=' in url:
        page.locator('#search-results li').first.wait_for()


def run_axe(page: Page) -> dict[str, Any]:
    """axe-core from npm, injected into the page, on the WCAG 2.0/2.1 A and AA rules."""
    page.add_script_tag(path=str(require_npm_tool(AXE_SCRIPT)))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return {version: axe.version, violations: results.violations};
        }""",
        AXE_TAGS,
    )


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations of impact serious or critical."""
    return [
        {'id': v['id'], 'impact': v['impact'], 'targets': [node['target'] for node in v['nodes']]}
        for v in run_axe(page)['violations']
        if v['impact'] in BLOCKING_IMPACTS
    ]


def test_axe_core_is_the_pinned_current_release(
    page: Page, base_url: str, capsys: pytest.CaptureFixture[str]
):
    open_page(page, base_url + 'index.html')
    version = run_axe(page)['version']
    with capsys.disabled():  # shown in every run, not only with -s
        print(f'\naxe-core {version} (npm, tests/package-lock.json)')
    assert version == npm_version('axe-core')
    assert tuple(int(part) for part in version.split('.')[:2]) >= AXE_MINIMUM, version


@pytest.mark.parametrize('scheme', ['light', 'dark'])
@pytest.mark.parametrize('path', PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_serious_violation(browser: Browser, base_url: str, path: str, scheme: str):
    """In both themes: the theme follows the reader's system setting."""
    context = browser.new_context(locale='fr-FR', color_scheme=scheme)
    page = context.new_page()
    open_page(page, base_url + path)
    assert page.evaluate('document.documentElement.dataset.theme') == scheme
    violations = serious_violations(page)
    context.close()
    assert violations == []


@pytest.mark.parametrize('scheme', ['light', 'dark'])
def test_search_dialog_opened_with_ctrl_k(browser: Browser, base_url: str, scheme: str):
    """The shortcut that the search button shows opens the search field, also clean for axe."""
    context = browser.new_context(locale='fr-FR', color_scheme=scheme)
    page = context.new_page()
    open_page(page, base_url + 'issues/020.html')
    page.keyboard.press('Control+k')
    field = page.locator('dialog').get_by_role('searchbox', name='Rechercher…')
    field.wait_for()
    assert page.evaluate('document.activeElement.type') == 'search'
    violations = serious_violations(page)
    context.close()
    assert violations == []


def test_axe_would_report_a_contrast_failure(page: Page, base_url: str):
    """The check above can fail: grey on the chiffre's pale blue is reported."""
    open_page(page, base_url + 'issues/020.html')
    page.add_style_tag(content='.galien-chiffre p { color: #a0a0a0 !important; }')
    assert 'color-contrast' in {v['id'] for v in serious_violations(page)}


def test_axe_would_report_a_search_button_named_otherwise(page: Page, base_url: str):
    """WCAG 2.5.3: the theme's aria-label « Recherche » hid the « Ctrl+K » that it shows."""
    open_page(page, base_url + 'issues/020.html')
    assert 'label-content-name-mismatch' not in {v['id'] for v in serious_violations(page)}
    page.locator('button.search-button-field').first.evaluate(
        "button => button.setAttribute('aria-label', 'Recherche')"
    )
    assert 'label-content-name-mismatch' in {v['id'] for v in serious_violations(page)}


#: The headings that a screen reader lists, in document order: ``[level, text]``.
HEADINGS_JS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.checkVisibility({visibilityProperty: true}) && !h.closest('[aria-hidden=true]'))
    .map(h => [Number(h.tagName[1]), h.textContent.trim()])"""


@pytest.mark.parametrize('path', PAGES.values(), ids=PAGES.keys())
def test_headings_in_order(page: Page, base_url: str, path: str):
    """One h1, then no level skipped on the way down (no h1 followed by an h3)."""
    open_page(page, base_url + path)
    headings = page.evaluate(HEADINGS_JS)
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1 and levels[0] == 1, headings
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, headings


def test_headings_of_issue_20(page: Page, base_url: str):
    open_page(page, base_url + 'issues/020.html')
    assert page.evaluate(HEADINGS_JS) == [
        [1, f'Galien {NUMERO_20}#'],
        [2, 'Le chiffre du mois'],
        [2, 'Dans l’actualité#'],
        [3, f'«{NBSP}Deep Learning{NBSP}»{NBSP}?#'],
        [2, 'Board scientifique'],
    ]


#: What has the keyboard focus, and whether a ring shows it: an outline of 2px or
#: more, or a coloured box-shadow, on the element or on one of its children (the
#: theme puts the ring of a <summary> on its chevron).
FOCUSED_JS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const ring = (e) => {
        const style = getComputedStyle(e), box = e.getBoundingClientRect();
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        const shadow = style.boxShadow !== 'none'
            && !style.boxShadow.startsWith('rgba(0, 0, 0, 0)');
        return box.width > 2 && box.height > 2 && (outline || shadow);
    };
    element.dataset.galienFocus ??= String(document.querySelectorAll('[data-galien-focus]').length);
    return {
        id: element.dataset.galienFocus,
        ring: ring(element) || [...element.children].some(ring),
        what: `${element.tagName} ${element.className} ${element.textContent.trim().slice(0, 40)}`,
    };
}"""


def tab_through(page: Page, limit: int = 200) -> list[dict[str, Any]]:
    """Every element that Tab reaches, once, with whether its focus ring shows."""
    reached: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press('Tab')
        focused = page.evaluate(FOCUSED_JS)
        if focused is None or focused['id'] in {r['id'] for r in reached}:
            break
        reached.append(focused)
    return reached


@pytest.mark.parametrize('scheme', ['light', 'dark'])
@pytest.mark.parametrize('path', PAGES.values(), ids=PAGES.keys())
def test_keyboard_focus_is_always_visible(browser: Browser, base_url: str, path: str, scheme: str):
    context = browser.new_context(locale='fr-FR', color_scheme=scheme)
    page = context.new_page()
    open_page(page, base_url + path)
    reached = tab_through(page)
    context.close()
    assert len(reached) >= 10, reached  # skip link, search, sidebar, contents...
    assert [r['what'] for r in reached if not r['ring']] == []


def test_focus_check_would_see_a_missing_ring(page: Page, base_url: str):
    """The check above can fail: links whose ring is taken away are reported."""
    open_page(page, base_url + 'chiffres.html')
    page.add_style_tag(
        content='a:focus-visible { outline: none !important; box-shadow: none !important; }'
    )
    assert [r for r in tab_through(page) if not r['ring'] and r['what'].startswith('A ')]


@pytest.mark.parametrize('path', PAGES.values(), ids=PAGES.keys())
def test_skip_link_goes_to_the_content(page: Page, base_url: str, path: str):
    """The first Tab shows « Passer au contenu principal »; Enter moves past the navigation."""
    open_page(page, base_url + path)
    page.keyboard.press('Tab')
    skip = page.locator(':focus')
    assert skip.inner_text().strip() == 'Passer au contenu principal'
    assert skip.is_visible()
    target = skip.get_attribute('href')
    assert target is not None and target.startswith('#')
    page.keyboard.press('Enter')
    assert page.evaluate('location.hash') == target
    main = page.locator(target)
    assert main.get_by_role('heading', level=1).count() == 1
    # The next Tab goes into the content, not back into the header or the sidebar.
    page.keyboard.press('Tab')
    assert page.evaluate(f"document.querySelector('{target}').contains(document.activeElement)")


def test_chiffre_and_board_are_structures(page: Page, base_url: str):
    page.goto(base_url + 'issues/020.html')
    chiffre = page.get_by_role('region', name='Le chiffre du mois')
    assert chiffre.get_by_role('heading', name='Le chiffre du mois').is_visible()
    assert chiffre.locator('.galien-chiffre-valeur').inner_text().strip() == '15'
    board = page.get_by_role('complementary', name='Board scientifique')
    members = board.get_by_role('list').get_by_role('listitem')
    assert members.count() == 9
    assert 'F. Pinguet' in members.all_inner_texts()[6]


# -- sizes ----------------------------------------------------------------------------


@pytest.mark.parametrize('name', SIZES)
def test_issue_20_at_each_size(browser: Browser, base_url: str, name: str, tmp_path):
    width, height = SIZES[name]
    context = browser.new_context(viewport={'width': width, 'height': height}, locale='fr-FR')
    page = context.new_page()
    open_page(page, base_url + 'issues/020.html')
    png = tmp_path / f'galien-020-{width}x{height}.png'  # left for review
    page.screenshot(path=str(png), full_page=True)
    # The page laid out at the window's width, long enough to hold the letter, drawn.
    picture = drawn_picture(png)
    assert picture.width == width
    assert picture.height > height

    widths = page.evaluate('() => [document.documentElement.scrollWidth, window.innerWidth]')
    assert widths[0] <= widths[1], f'horizontal scroll at {width}px: {widths}'
    if name == 'telephone':
        # The chiffre's title and figure are on the first screen, before any scrolling.
        for selector in ('#chiffre-du-mois-titre', '.galien-chiffre-valeur'):
            box = page.locator(selector).bounding_box()
            assert box is not None and box['y'] >= 0
            assert box['y'] + box['height'] <= height, (selector, box)
    context.close()


@pytest.mark.parametrize('path', PAGES.values(), ids=PAGES.keys())
def test_no_horizontal_scroll_on_a_phone(browser: Browser, base_url: str, path: str):
    width, height = SIZES['telephone']
    context = browser.new_context(viewport={'width': width, 'height': height})
    page = context.new_page()
    open_page(page, base_url + path)
    widths = page.evaluate('() => [document.documentElement.scrollWidth, window.innerWidth]')
    context.close()
    assert widths[0] <= widths[1] == width


def test_a_wide_table_s_title_starts_in_view_on_a_phone(browser: Browser, base_url: str):
    """N°21's six-column table scrolls sideways on a phone; its title's start is on screen."""
    width, height = SIZES['telephone']
    context = browser.new_context(viewport={'width': width, 'height': height})
    page = context.new_page()
    open_page(page, base_url + 'issues/021.html')
    boxes = page.evaluate(
        """() => {
            const caption = document.querySelector('table caption');
            const frame = caption.closest('table').parentElement.getBoundingClientRect();
            const words = document.createRange();
            words.selectNodeContents(caption.querySelector('.caption-text') || caption);
            const first = words.getClientRects()[0];
            const table = caption.closest('table').getBoundingClientRect();
            return {first: [first.left, first.right], frame: [frame.left, frame.right],
                    table: table.width};
        }"""
    )
    context.close()
    assert boxes['table'] > width  # the table is wider than the screen: it scrolls
    left, right = boxes['first']
    assert boxes['frame'][0] <= left and right <= boxes['frame'][1], boxes


# -- print ----------------------------------------------------------------------------


def pdf_page_sizes(pdf: Path) -> list[tuple[int, int]]:
    result = subprocess.run(
        [require_tool('pdfinfo'), '-f', '1', '-l', '99', str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r'Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts', result.stdout)
    ]


def test_printing_issue_20_gives_the_letter_alone(page: Page, base_url: str, tmp_path):
    page.goto(base_url + 'issues/020.html', wait_until='networkidle')
    pdf = tmp_path / 'galien-020-navigateur.pdf'
    # Chromium's print dialog with its defaults: the page's own @page size, backgrounds.
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    sizes = pdf_page_sizes(pdf)
    assert 1 <= len(sizes) <= 2, sizes
    assert set(sizes) == {A4_POINTS}

    text = ' '.join(pdftotext(pdf, layout=False).split())  # no-break spaces too
    for letter_part in (
        'Galien N° 20 – février 2018',
        'Le chiffre du mois',
        'Deep Learning',
        'Deep Learning for Health Informatics. IEEE J Biomed Health Inform. 2017;21(1):4-21.',
        'Board scientifique',
        'F. Pinguet',
        'Pr JL. Cazin',
    ):
        assert letter_part.casefold() in text.casefold(), letter_part  # titles in capitals
    for navigation in (
        'Rechercher',
        'Recherche',
        'Numéro précédent',
        'Numéro suivant',
        'Les numéros par année',
        'Les chiffres du mois',
        'Télécharger',
        'Passer au contenu',
        'Contenu',
        'Ctrl',
    ):
        assert navigation not in text, navigation


# -- page weight ------------------------------------------------------------------------


def page_weight(browser: Browser, url: str) -> dict[str, int]:
    """Bytes transferred (headers and bodies) and requests for one visit, cache empty."""
    context = browser.new_context()
    page = context.new_page()
    finished: list[Request] = []
    page.on('requestfinished', lambda request: finished.append(request))
    page.goto(url, wait_until='networkidle')
    sizes = [request.sizes() for request in finished]
    context.close()
    return {
        'requests': len(finished),
        'bytes': sum(s['responseHeadersSize'] + s['responseBodySize'] for s in sizes),
    }


@pytest.fixture(scope='module')
def benchmark_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The benchmark's archive of 20 issues, same content, in both stacks."""
    root = tmp_path_factory.mktemp('browser-stacks')
    return {
        stack: sphinx_html(make_project(root / stack, 20, stack), root / f'{stack}-build')
        for stack in ('galien', 'stock')
    }


def test_page_weight_no_heavier_than_stock_theme(
    browser: Browser,
    base_url: str,
    benchmark_sites: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
):
    figures = {'galien-020': page_weight(browser, base_url + 'issues/020.html')}
    for stack, html in benchmark_sites.items():
        with serve(html) as url:
            figures[f'{stack}-archive-020'] = page_weight(browser, url + 'issues/020.html')
    report = PROJECT_DIR / '_build' / 'browser' / 'page-weight.json'
    with project_folder_lock():
        report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(figures, indent=2) + '\n', encoding='utf-8')
    with capsys.disabled():  # shown in every run, not only with -s
        print(f'\npage weight of issue N°20, cache empty: {json.dumps(figures)}')

    stock = figures['stock-archive-020']
    for name in ('galien-020', 'galien-archive-020'):
        assert figures[name]['bytes'] <= stock['bytes'], figures
        assert figures[name]['requests'] <= stock['requests'], figures
    # What was stripped: Font Awesome's 1.5 MB script is no longer fetched.
    assert figures['galien-020']['bytes'] < stock['bytes'] // 2, figures
