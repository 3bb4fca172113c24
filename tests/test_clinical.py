"""A real issue of a letter on cancer drugs, in print and by e-mail (issue 11).

``tests/roots/test-clinical`` holds what editors of a medical letter write:
``≥ 75 ans``, ``β-HCG``, ``⁹⁹ᵐTc``, ``Mme L. Nguyễn``; every character of issue
11 in the front-matter ``titre``, the chiffre du mois, the body, a footnote, a
five-column "Nouvelles AMM" table and the board (each between ``DEBUTxxx`` and
``FINxxx``); a narrow table, a figure with its caption, an
inline image, notes, a block quote, nested and definition lists and a
120-character RCP address typed as plain text; N° 22 a captioned 60-row table;
N° 24 footnotes, then a table across the page, then a figure taller than the
columns left below it. Checked
on the built PDF (``pdftotext``, ``pdffonts``, the LaTeX log) and the built e-mail (BeautifulSoup).
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from test_email import assert_mail_safe
from test_print_edition import pdf_objects, pdffonts, pdfinfo

from conftest import TESTS_DIR
from helpers import NBSP, page_picture, require_tool, run_sphinx

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

ROOT = TESTS_DIR / 'roots' / 'test-clinical'

# Issue 11's list, typed by hand (spaces between them are not checked).
CLINICAL = (
    'œ Œ æ ł ř š č ž ő ű ğ ş ı ș ț Nguyễn Trần Phạm Lê Đặng '
    'α β γ δ ε κ λ μ π σ τ ω Δ Σ Ω µ '
    '≥ ≤ ± × ÷ ≈ ≠ ∞ → ← ↑ ↓ ⇒ ↔ ° ‰ ′ ″ √ ∑ ½ ¼ ¾ '
    'm² mL/min/1,73 m² ⁹⁹ᵐTc CD4⁺ ₀₁₂₃₄₅₆₇₈₉ '
    '® ™ © € £ • † ‡ § ✓ ✗ ‐ – — …'
)
SIGNS = sorted(set(CLINICAL) - set(' '))
PLACES = ['TITRE', 'CHIFFRE', 'CORPS', 'NOTE', 'TABLEAU', 'BOARD']
# Latin-1 and Latin Extended-A, all printed in the body (U+00AD, the soft
# hyphen, is invisible by definition).
LATIN_1 = [chr(code) for code in range(0xA1, 0x100) if code != 0xAD]
LATIN_EXTENDED_A = [chr(code) for code in range(0x100, 0x180)]

AMM_CELLS = [
    'DCI',
    'Spécialité',
    'Laboratoire',
    'Indication',
    'atézolizumab',
    'Tecentriq®',
    'Roche',
    'osimertinib',
    'Tagrisso®',
    'AstraZeneca',
    'durvalumab',
    'Imfinzi®',
    'nivolumab',
    'Opdivo®',
    'Bristol-Myers',
    'Squibb',
    'pembrolizumab',
    'Keytruda®',
    'MSD',
    '21/09/2017',
    '02/02/2016',
    '19/06/2015',
    'urothélial',
    'chimioradiothérapie',
]
#: The atézolizumab row's indication, on several lines of its cell.
AMM_INDICATION = (
    'Carcinome urothélial localement avancé ou métastatique après une chimiothérapie '
    'à base de platine'
)
#: The caption of N° 22's 60-row table, wider than 4 inches.
LONG_TABLE_CAPTION = (
    'Essais cliniques ouverts aux patients du Centre en avril 2018, par phase et promoteur'
)
# The page's text area (galien_print LATEX_ELEMENTS geometry: 13 mm margins).
MARGIN = 13 / 25.4 * 72


def run(*command: str) -> str:
    return subprocess.run(
        [require_tool(command[0]), *command[1:]], capture_output=True, text=True, check=True
    ).stdout


# -- the PDF ------------------------------------------------------------------------


@pytest.fixture(scope='module')
def build(clinical_print: Path) -> tuple[Path, str]:
    """The clinical PDFs' folder, and Sphinx's warnings (the run's shared build)."""
    return clinical_print / 'latex', (clinical_print / 'warnings.txt').read_text(encoding='utf-8')


@pytest.fixture(scope='module')
def pdf(build: tuple[Path, str]) -> Path:
    return build[0] / 'galien-021.pdf'


@pytest.fixture(scope='module')
def raw_text(pdf: Path) -> str:
    """The PDF's text in content order, every run of white space as one space."""
    return ' '.join(run('pdftotext', '-raw', str(pdf), '-').replace(NBSP, ' ').split())


def bbox_words(pdf: Path) -> list[dict]:
    """Every word of the PDF with its page, box and page size (``pdftotext -bbox``)."""
    soup = BeautifulSoup(run('pdftotext', '-bbox', str(pdf), '-'), 'html.parser')
    found = []
    for number, page in enumerate(soup.find_all('page'), start=1):
        width, height = float(page['width']), float(page['height'])
        for word in page.find_all('word'):
            found.append(
                {
                    'text': word.get_text(),
                    'page': number,
                    'x0': float(word['xmin']),
                    'x1': float(word['xmax']),
                    'y0': float(word['ymin']),
                    'y1': float(word['ymax']),
                    'width': width,
                    'height': height,
                }
            )
    return found


@pytest.fixture(scope='module')
def words(pdf: Path) -> list[dict]:
    return bbox_words(pdf)


def test_builds_without_any_warning(build):
    _latex, warnings = build
    assert 'WARNING' not in warnings, warnings  # no [galien.latex] replacement


def test_latex_found_a_glyph_for_every_character(build):
    latex, _warnings = build
    log = (latex / 'galien-021.log').read_text(encoding='utf-8', errors='replace')
    assert 'Missing character' not in log


@pytest.mark.parametrize('place', PLACES)
def test_every_character_prints_and_copies_back_in_each_place(raw_text, place):
    start, end = raw_text.index(f'DEBUT{place}'), raw_text.index(f'FIN{place}')
    printed = raw_text[start:end]
    assert [sign for sign in SIGNS if sign not in printed] == []
    assert '?' not in printed and '\ufffd' not in printed


def test_latin_1_and_latin_extended_a_print_whole(raw_text):
    latin_1 = raw_text[raw_text.index('DEBUTLATIN1') : raw_text.index('FINLATIN1')]
    extended = raw_text[raw_text.index('DEBUTLATINA') : raw_text.index('FINLATINA')]
    assert [c for c in LATIN_1 if c not in latin_1] == []
    assert [c for c in LATIN_EXTENDED_A if c not in extended] == []


def test_clinical_sentences_as_typed(raw_text):
    assert 'LE CHIFFRE DU MOIS ≥ 3' in raw_text
    for phrase in (
        'Un patient ≥ 75 ans, une toxicité de grade ≥ 3, Ki-67 ≤ 20 %, ≈ 140 µg/mL,',
        'α-fœtoprotéine, β-HCG, TNF-α, DFG ≥ 60 mL/min/1,73 m², ⁹⁹ᵐTc, CD4⁺ ≥ 200/mm³.',
        'Mme L. Nguyễn (Hô Chi Minh-Ville)',
    ):
        assert phrase in raw_text


def test_fonts_embedded_and_metadata_kept(pdf):
    fonts = pdffonts(pdf)
    assert [f['name'] for f in fonts if f['emb'] != 'yes'] == []
    assert [f['name'] for f in fonts if 'Type 3' in f['type']] == []
    info = pdfinfo(pdf)
    assert info['Title'] == 'Galien N° 21 – mars 2018'
    assert info['Author'] == 'Centre Oscar Lambret'


def test_wide_table_cells_whole_inside_the_text_area_across_the_page(words):
    texts = {w['text'] for w in words}
    assert [cell for cell in AMM_CELLS if cell not in texts] == []
    # No hyphenated piece of a one-word header or drug name.
    for broken in ('Spé-', 'Labo-', 'La-', 'atézo-', 'Tagris-', 'Tag-'):
        assert broken not in texts
    for word in words:
        assert word['x0'] >= MARGIN - 1 and word['x1'] <= word['width'] - MARGIN + 1, word
    # Set across both columns: its first and last headers share a line, one
    # in each half of the page.
    (dci,) = [w for w in words if w['text'] == 'DCI']
    (date,) = [w for w in words if w['text'] == 'd’AMM' and abs(w['y0'] - dci['y0']) < 2]
    middle = dci['width'] / 2
    assert dci['x1'] < middle < date['x0']


def test_every_word_of_the_amm_table_prints_whole(words):
    """Each word typed in the table's cells is a word of the PDF: none cut or hyphenated."""
    source = (ROOT / 'issues/021.md').read_text(encoding='utf-8')
    table = source[source.index('| DCI |') : source.index('| pembrolizumab |')]
    typed = {
        word.replace("'", '’')
        for line in table.splitlines()
        if not line.startswith('|--')
        for cell in line.strip('|').split('|')
        for word in cell.split()
    }
    assert len(typed) > 50
    printed = {w['text'] for w in words}
    assert sorted(typed - printed) == []


def printed_run(words: list[dict], text: str) -> list[dict]:
    """The words of ``text`` where the PDF prints them one after the other."""
    typed = text.split()
    start = next(
        i for i in range(len(words)) if [w['text'] for w in words[i : i + len(typed)]] == typed
    )
    return words[start : start + len(typed)]


def word_gaps(words: list[dict], text: str) -> list[list[float]]:
    """The spaces between the words of ``text`` as printed, line by line (points)."""
    lines: list[list[float]] = [[]]
    for before, after in itertools.pairwise(printed_run(words, text)):
        if abs(after['y0'] - before['y0']) > 2:
            lines.append([])
        else:
            lines[-1].append(after['x0'] - before['x1'])
    return lines


def test_table_cells_are_ragged_right(words):
    """A cell's text wraps between words and keeps the font's spaces: not stretched to the
    column's edge, which opens gaps in a narrow column (Sphinx's varwidth boxes did)."""
    lines = word_gaps(words, AMM_INDICATION)
    assert len(lines) >= 3, lines
    gaps = [gap for line in lines for gap in line]
    assert max(gaps) - min(gaps) < 0.6, lines


def test_narrow_table_stays_in_a_column(words):
    (grade,) = [w for w in words if w['text'] == 'Grade']
    (conduite,) = [w for w in words if w['text'] == 'Conduite']
    middle = grade['width'] / 2
    assert (grade['x0'] > middle) == (conduite['x1'] > middle)
    assert abs(grade['y0'] - conduite['y0']) < 2


def test_editor_classes_choose_the_table_layout(build):
    """``galien-pleine-largeur`` spreads a two-column table, ``galien-colonne`` keeps five."""
    words = bbox_words(build[0] / 'galien-023.pdf')

    def word(text: str) -> dict:
        (found,) = [w for w in words if w['text'] == text]
        return found

    middle = word('Molécule')['width'] / 2
    assert word('Molécule')['x1'] < middle < word('Marque')['x0']
    same_half = {word(h)['x1'] < middle for h in ('Aa', 'Bb', 'Cc', 'Dd', 'Ee')}
    assert len(same_half) == 1
    # Both captioned the French way, across the page or not.
    text = ' '.join(run('pdftotext', '-raw', str(build[0] / 'galien-023.pdf'), '-').split())
    assert 'Tableau 1 – Deux colonnes sur toute la page' in text
    assert 'Tableau 2 – Cinq colonnes gardées dans la colonne' in text


def test_long_table_repeats_its_header_on_each_page(build):
    words = bbox_words(build[0] / 'galien-022.pdf')
    rows = {w['page'] for w in words if w['text'].startswith('NCT0')}
    headers = {w['page'] for w in words if w['text'] == 'Promoteur'}
    assert len(rows) >= 2
    assert rows <= headers
    assert sum(1 for w in words if w['text'].startswith('NCT0')) == 60
    # Its caption on the table's width, on one line (not on longtable's 4 inches).
    caption = printed_run(words, LONG_TABLE_CAPTION)
    assert len({round(w['y0']) for w in caption}) == 1, caption


def test_figure_caption_notes_and_long_address(words, raw_text, pdf):
    assert 'Fig. 1 – Survie sans progression (SSP) à 12 mois : 45 % contre 30 %.' in raw_text
    for title in ('Note', 'Avertissement', 'Important'):
        assert title in {w['text'] for w in words}
    # The 120-character address broke inside the column and is whole once joined.
    address = (
        'https://base-donnees-publique.medicaments.gouv.fr/affichageDoc.php'
        '?specid=61235470&typedoc=R&v=2#RcpPosologieAdministration'
    )
    assert address in raw_text.replace(' ', '').replace('\u00ad', '')
    assert f'/URI({address})'.encode() in pdf_objects(pdf).replace(b'/URI ', b'/URI')
    # The caption stays in its column, like the figure.
    (caption,) = [w for w in words if w['text'] == '(SSP)']
    assert caption['x1'] < caption['width'] / 2 or caption['x0'] > caption['width'] / 2
    for phrase in (
        'Premier niveau',
        'Deuxième niveau',
        'Troisième niveau',
        'Posologie 200 mg toutes les 3 semaines.',
        'Citation d’un essai clinique : « le bénéfice est confirmé à 24 mois ».',
    ):
        assert phrase in raw_text


def test_images_fit_the_column_and_keep_their_proportions(pdf):
    """``pdfimages -list``: each image's resolution gives its printed size."""
    rows = [line.split() for line in run('pdfimages', '-list', str(pdf)).splitlines()[2:]]
    placed = {(int(r[3]), int(r[4])): (float(r[12]), float(r[13])) for r in rows}
    assert set(placed) == {(400, 200), (24, 24)}  # the figure and the inline picture
    column = (595.276 - 2 * MARGIN - 6 / 25.4 * 72) / 2
    for (width, _height), (x_ppi, y_ppi) in placed.items():
        assert x_ppi == y_ppi  # same scale both ways: proportions kept
        assert width / x_ppi * 72 <= column + 0.5
    # The 400-pixel figure is brought down to the column's width.
    figure_width = 400 / placed[400, 200][0] * 72
    assert figure_width == pytest.approx(column, abs=2)


def test_no_page_of_any_issue_is_overfull(build):
    """LaTeX says when a page's content is taller than the page: text runs over the foot."""
    logs = sorted(build[0].glob('galien-0[0-9][0-9].log'))
    assert [log.name for log in logs] == [f'galien-0{n}.log' for n in (21, 22, 23, 24)]
    for log in logs:
        assert 'Overfull \\vbox' not in log.read_text(encoding='utf-8', errors='replace'), log


def overlapping_words(words: list[dict]) -> list[tuple[str, str]]:
    """Pairs of words printed over each other.

    A word's box spans its font's whole ascent and descent, more than the lines' spacing:
    two words overprint when they share more than half the height of the smaller one.
    """
    found = []
    for page, on_page in itertools.groupby(words, key=lambda w: w['page']):
        boxes = list(on_page)
        for a, b in itertools.combinations(boxes, 2):
            smaller = min(a['y1'] - a['y0'], b['y1'] - b['y0'])
            if min(a['x1'], b['x1']) - max(a['x0'], b['x0']) > 1 and (
                min(a['y1'], b['y1']) - max(a['y0'], b['y0']) > smaller / 2
            ):
                found.append((f'p{page} {a["text"]}', b['text']))
    return found


def test_a_figure_taller_than_the_columns_left_starts_the_next_page(build):
    """N° 24: below a table across page 1, its figure would run over the footnotes."""
    words = bbox_words(build[0] / 'galien-024.pdf')
    assert overlapping_words(words) == []
    caption = printed_run(words, 'Fig. 1 – Rapports de risque par')
    assert {w['page'] for w in caption} == {2}
    notes = printed_run(words, 'Survie sans progression évaluée par')
    assert {w['page'] for w in notes} == {1}


@pytest.mark.parametrize('number', [21, 22, 23, 24])
def test_page_one_picture_for_review(build, number, tmp_path):
    """A PNG of page 1 in the test's folder, for people to look at: a printed A4 page."""
    page_picture(build[0] / f'galien-0{number}.pdf', tmp_path / f'galien-0{number}-page1.png')


# -- the e-mail ---------------------------------------------------------------------


@pytest.fixture(scope='module')
def mail(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    tmp = tmp_path_factory.mktemp('clinical-mail')
    source = tmp / 'src'
    shutil.copytree(ROOT, source)
    result = run_sphinx('-M', 'email', str(source), str(tmp / 'b'), '-q')
    assert result.returncode == 0, result.stderr
    assert 'WARNING' not in result.stderr, result.stderr  # no message over 100 KB either
    # Under Gmail's limit, inline styles only, even with a 60-row table.
    assert_mail_safe((tmp / 'b/email/galien-022.html').read_text(encoding='utf-8'))
    return assert_mail_safe((tmp / 'b/email/galien-021.html').read_text(encoding='utf-8'))


def style(element) -> str:
    return element.get('style', '').replace(' ', '')


def test_mail_tables_have_ruled_cells_and_a_header_row(mail):
    amm = mail.find_all('table', class_='docutils')[0]
    headers = [th.get_text(strip=True) for th in amm.find('thead').find_all('th')]
    assert headers == ['DCI', 'Spécialité', 'Laboratoire', 'Indication', 'Date d’AMM']
    for cell in amm.find_all(['th', 'td']):
        assert 'border:1pxsolid' in style(cell), cell
    assert 'font-weight:bold' in style(amm.find('th'))
    assert 'Tagrisso®' in [td.get_text(strip=True) for td in amm.find_all('td')]


def test_mail_notes_framed_with_their_french_title(mail):
    frames = mail.find_all('table', class_='galien-encadre')
    titles = [f.find('td', class_='galien-encadre-titre').get_text(strip=True) for f in frames]
    assert titles == ['Note', 'Avertissement', 'Important']
    for frame in frames:
        assert re.search(r'border:2pxsolid#(1b4f72|b03a2e)', style(frame)), frame
    assert 'RcpPosologieAdministration' in frames[0].get_text()
    # The 120-character address may break after its slashes and signs rather than widen
    # the message (<wbr>: Gmail, Outlook and Apple Mail ignore overflow-wrap).
    (address,) = [p for p in frames[0].find_all('p') if 'https://base-donnees' in p.get_text()]
    assert len(address.find_all('wbr')) >= 5
    assert (
        'https://base-donnees-publique.medicaments.gouv.fr/affichageDoc.php' in address.get_text()
    )


def test_mail_definition_terms_bold_and_caption_under_the_image(mail):
    terms = mail.find_all('dt')
    assert [t.get_text(strip=True) for t in terms] == ['Posologie', 'Durée']
    assert all('font-weight:bold' in style(t) for t in terms)
    figure = mail.find('figure')
    image, caption = figure.find('img'), figure.find('figcaption')
    assert image['alt'] == 'Courbe de survie sans progression'
    assert image.find_next('figcaption') is caption
    assert caption.get_text(strip=True).startswith('Survie sans progression (SSP)')


def test_mail_keeps_every_character(mail):
    text = mail.get_text()
    assert [sign for sign in SIGNS if sign not in text] == []


def test_fallback_fonts_loaded_only_by_issues_that_need_them(build):
    """N° 21 has ⁹⁹ᵐTc and ✓, which TeX Gyre lacks; N° 22's text is all in TeX Gyre."""
    latex, _warnings = build
    assert 'fallback=galienserif' in (latex / 'galien-021.tex').read_text(encoding='utf-8')
    assert 'fallback=' not in (latex / 'galien-022.tex').read_text(encoding='utf-8')
    fonts_22 = {f['name'].split('+')[-1] for f in pdffonts(latex / 'galien-022.pdf')}
    assert all(name.startswith('TeXGyre') for name in fonts_22), fonts_22
