"""The e-mail edition: mail-client rules, content, text part, .eml, and a rendering.

Each message is checked as a mail client would take it: one document, every
style inline, nothing wider than 640 px, under Gmail's 100 KB clipping limit,
and only absolute links (a message has no website around it).
"""

from __future__ import annotations

import email
import re
import subprocess
from email import policy
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from helpers import N20_SOURCE, NBSP, drawn_picture, require_tool, warnings

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

MAX_BYTES = 100_000
MAX_WIDTH = 640
# Rows and row groups take their look from their cells; <br> shows nothing.
UNSTYLED_TAGS = {'tr', 'tbody', 'br', 'wbr'}
CSS_WIDTH = re.compile(r'(?:^|;)\s*(?:max-|min-)?width\s*:\s*([\d.]+)(px|%)?', re.IGNORECASE)


def one_line(text: str) -> str:
    return ' '.join(text.split())


def assert_mail_safe(html: str) -> BeautifulSoup:
    """The rules every message must follow; returns the parsed document."""
    assert len(html.encode('utf-8')) < MAX_BYTES
    lowered = html.lower()
    for forbidden in ('<script', '<link', '<style', '@import', '@font-face', 'url('):
        assert forbidden not in lowered, forbidden
    soup = BeautifulSoup(html, 'html.parser')
    assert len(soup.find_all('html')) == len(soup.find_all('body')) == 1
    unstyled = [
        el.name
        for el in soup.body.find_all(True)
        if el.name not in UNSTYLED_TAGS and not el.get('style', '').strip()
    ]
    assert unstyled == []
    for element in soup.find_all(True):
        if element.has_attr('width') and not element['width'].endswith('%'):
            assert int(element['width']) <= MAX_WIDTH, element
        for value, unit in CSS_WIDTH.findall(element.get('style', '')):
            if unit != '%':
                assert float(value) <= MAX_WIDTH, element
    for link in soup.find_all('a'):
        assert link['href'].startswith(('https://', 'http://', 'mailto:')), link
    for image in soup.find_all('img'):
        assert image['src'].startswith('https://'), image
        assert image.has_attr('alt') and image['width'] and image['height'], image
    return soup


def read_message(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def chromium(tmp_path: Path, *arguments: str) -> str:
    """Headless Chromium in a 600 px wide window, as a webmail shows a message."""
    result = subprocess.run(
        [
            require_tool('chromium'),
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            f'--user-data-dir={tmp_path / "chromium"}',
            '--window-size=600,1200',
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout


def screenshot(html: Path, tmp_path: Path) -> Path:
    """Chromium's picture of the message, in the test's own folder (left for review)."""
    png = tmp_path / 'screenshots' / html.with_suffix('.png').name
    png.parent.mkdir(parents=True, exist_ok=True)
    chromium(tmp_path, f'--screenshot={png}', html.as_uri())
    return png


def rendered_width(html: Path, tmp_path: Path) -> int:
    """The laid-out page's full width in Chromium: above 600, the reader scrolls sideways."""
    probe = tmp_path / 'probe.html'
    probe.write_text(
        html.read_text(encoding='utf-8').replace(
            '</body>',
            '<script>document.body.dataset.largeur = '
            'document.documentElement.scrollWidth;</script></body>',
        ),
        encoding='utf-8',
    )
    dom = chromium(tmp_path, '--dump-dom', probe.as_uri())
    match = re.search(r'data-largeur="(\d+)"', dom)
    assert match, dom[:500]
    return int(match[1])


# -- the real issue, N°20 -------------------------------------------------------


@pytest.fixture(scope='module')
def real_build(project_build: Callable[[str], Path]) -> Path:
    """``make email`` on the project, strictly (-W), into a temporary folder."""
    return project_build('email')


def test_real_issue_follows_mail_client_rules(real_build):
    html = (real_build / 'email/galien-020.html').read_text(encoding='utf-8')
    soup = assert_mail_safe(html)
    assert soup.title.get_text() == f'Galien N°{NBSP}20 – février 2018'
    assert soup.find('h1').get_text() == f'Galien N°{NBSP}20 – février 2018'
    assert soup.select_one('.galien-tagline').get_text().startswith('La lettre d’information')
    chiffre = soup.select_one('table.galien-chiffre')
    assert chiffre.select_one('h2').get_text() == 'Le chiffre du mois'
    assert chiffre.select_one('.galien-chiffre-valeur').get_text(strip=True) == '15'
    assert 'border: 2px solid #1b4f72' in chiffre['style']
    assert 'L’engagement du LEEM contre le cancer' in chiffre.get_text()
    members = [n.get_text() for n in soup.select('.galien-board .galien-membre-nom')]
    assert 'F. Pinguet' in members and len(members) == 9
    # Two columns, as on the website, made of table cells mail clients lay out.
    columns = soup.select('.galien-board td.galien-board-colonne')
    assert [len(c.select('.galien-membre-nom')) for c in columns] == [5, 4]
    notes = soup.select('.galien-notes .galien-note-texte')
    assert [one_line(n.get_text()) for n in notes] == [N20_SOURCE]
    assert 'Source : Ravì et al., 2017[1]' in one_line(soup.get_text().replace(NBSP, ' '))
    assert 'Pr JL. Cazin' in soup.select_one('.galien-colophon').get_text()
    links = {a.get_text(): a['href'] for a in soup.find_all('a')}
    assert links['Lire en ligne'] == 'https://galien.example.org/issues/020.html'
    assert links['Télécharger le PDF'] == 'https://galien.example.org/pdf/galien-020.pdf'
    # No in-page links: footnote calls are plain superscripts.
    assert soup.select_one('sup.galien-appel').get_text() == '[1]'
    # The inbox preview line: the chiffre du mois, visible at the top (no hidden text,
    # which spam filters count against a message: tests/test_email_filters.py).
    preheader = soup.select_one('.galien-preheader')
    assert preheader.get_text().startswith('15 – C’est le nombre d’objectifs')
    assert 'display: none' not in preheader['style'] and 'color: #4d4d4d' in preheader['style']


def test_real_issue_text_part(real_build):
    text = (real_build / 'email/galien-020.txt').read_text(encoding='utf-8')
    flat = one_line(text)
    assert 'LE CHIFFRE DU MOIS 15 C’est le nombre d’objectifs' in flat
    # The DOI is a link: the text part numbers it, <1> after the chiffre's source <…>.
    doi = 'doi:10.1109/JBHI.2016.2636665'
    number = re.search(r'<(\d+)> https://doi\.org/10\.1109/JBHI\.2016\.2636665', text)
    assert number, text
    assert N20_SOURCE.replace(doi, f'{doi} <{number[1]}>') in flat.replace(NBSP, ' ')
    assert 'Source : Ravì et al., 2017[1]' in flat.replace(NBSP, ' ')
    assert 'Lire en ligne : https://galien.example.org/issues/020.html' in text
    # Addresses are listed whole, never cut by line wrapping.
    assert (
        '<1> https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf'
        in text.splitlines()
    )


def test_real_issue_eml_has_both_parts(real_build):
    message = read_message(real_build / 'email/galien-020.eml')
    assert message['Subject'] == 'Galien N° 20 – février 2018'
    assert message.get_content_type() == 'multipart/alternative'
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ['text/plain', 'text/html']
    html = message.get_body(('html',)).get_content()
    text = message.get_body(('plain',)).get_content()
    assert html.replace('\r\n', '\n') == (real_build / 'email/galien-020.html').read_text(
        encoding='utf-8'
    )
    assert 'LE CHIFFRE DU MOIS' in text
    assert b'\r\n' in (real_build / 'email/galien-020.eml').read_bytes()[:200]


def test_real_issue_renders_600_px_wide(real_build, tmp_path):
    # The window's size, and the letter drawn in it (not a blank or error page).
    drawn_picture(screenshot(real_build / 'email/galien-020.html', tmp_path), (600, 1200))
    assert rendered_width(real_build / 'email/galien-020.html', tmp_path) <= 600


# -- an issue full of characters HTML and e-mail treat specially ----------------


@pytest.mark.sphinx('email', testroot='email', freshenv=True)
def test_special_characters_stay_text(app, tmp_path):
    app.build()
    html = (app.outdir / 'galien-020.html').read_text(encoding='utf-8')
    soup = assert_mail_safe(html)
    headline = soup.select_one('.galien-titre-numero').get_text()
    assert headline == (
        f'«{NBSP}Deep Learning{NBSP}»{NBSP}? <script>alert(1)</script> & «{NBSP}co{NBSP}» 🚀'
    )
    assert 'Un patient sur trois' in soup.select_one('table.galien-chiffre').get_text()
    assert '💊' in html and '🧬' in html
    links = [a['href'] for a in soup.find_all('a')]
    assert 'https://galien.test/lettre/issues/019.html' in links  # {galien}`19`
    assert 'https://galien.test/lettre/index.html' in links  # a relative link
    assert 'https://example.org/chiffres?a=1&b=2' in links
    papier = soup.select_one('.galien-papier')
    assert papier.get_text() == 'Galien 7' and papier.find_parent('a') is None
    image = soup.find('img')
    assert image['src'] == 'https://galien.test/lettre/_images/schema.png'
    assert (image['width'], image['height']) == ('552', '207')  # 800 x 300, scaled
    assert image['alt'] == 'Schéma « IA » & données'
    # The raw HTML block is shown as text, as in every edition, and the editor told.
    assert "issues/020.md:22: WARNING: la directive {raw} n'est pas permise" in warnings(app)
    assert soup.find('link', href='web.css') is None
    assert '<link rel="stylesheet" href="web.css"><script>alert("raw")</script>' in soup.get_text()

    text = (app.outdir / 'galien-020.txt').read_text(encoding='utf-8')
    assert 'LE CHIFFRE DU MOIS' in text and '1 sur 3' in text
    assert '<script>alert(1)</script> & «' in text
    assert (
        'Ravì D, Wong C. Deep Learning for Health Informatics. '
        'IEEE Journal of Biomedical and Health Informatics. 2017;21(1):4-21.'
    ) in one_line(text.replace(NBSP, ' '))

    message = read_message(app.outdir / 'galien-020.eml')
    assert message['Subject'] == 'Galien N° 20 – février 2018'
    assert message.get_body(('plain',)).get_content().replace('\r\n', '\n') == text
    assert '🚀' in message.get_body(('html',)).get_content()

    drawn_picture(screenshot(app.outdir / 'galien-020.html', tmp_path), (600, 1200))
    # The 800 px picture shrinks to the window instead of widening the page.
    assert rendered_width(app.outdir / 'galien-020.html', tmp_path) <= 600


@pytest.mark.sphinx(
    'email',
    testroot='email',
    freshenv=True,
    confoverrides={'galien_pdf_url': 'https://cdn.test/{numero}.pdf'},
)
def test_pdf_address_follows_the_configured_pattern(app):
    app.build()
    soup = BeautifulSoup(
        (app.outdir / 'galien-019.html').read_text(encoding='utf-8'), 'html.parser'
    )
    assert soup.find('a', string='Télécharger le PDF')['href'] == 'https://cdn.test/19.pdf'
    assert not (app.outdir / 'index.html').exists()  # only issues become messages


@pytest.mark.sphinx('email', testroot='email', freshenv=True, confoverrides={'html_baseurl': ''})
def test_missing_website_address_is_reported(app):
    app.build()
    assert 'html_baseurl est vide' in warnings(app)
    assert '[galien.email]' in warnings(app)
