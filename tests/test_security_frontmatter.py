"""Front matter read as the editor wrote it, and ``{dci}`` targets that name nothing.

The root ``test-security-front-matter`` has one issue per mistake (issue 18, class 7):
``numero: 021`` written like the file name (YAML 1.1 reads it as octal 17),
``"022"`` quoted, ``0x17``, ``24.0``, ``true`` and ``[26]`` (refused), a mapping
as ``titre`` (N° 27), a date in 2099 (N° 28), a date exactly twelve months after
the build (N° 29, accepted), and ``{dci}`` roles with empty or bracket-only
targets (N° 30). The build date is fixed with ``SOURCE_DATE_EPOCH`` (1 June 2018).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from helpers import built, page, warnings

pytestmark = pytest.mark.fast


ROOT = Path(__file__).resolve().parent / 'roots' / 'test-security-front-matter'
JUNE_2018 = '1527811200'  # 2018-06-01T00:00:00Z


@pytest.fixture(scope='module')
def build_date():
    """Builds of this module run on 1 June 2018, as a reproducible build says."""
    saved = os.environ.get('SOURCE_DATE_EPOCH')
    os.environ['SOURCE_DATE_EPOCH'] = JUNE_2018
    yield
    if saved is None:
        del os.environ['SOURCE_DATE_EPOCH']
    else:
        os.environ['SOURCE_DATE_EPOCH'] = saved


@pytest.fixture(scope='module')
def site(tmp_path_factory, build_date):
    source = tmp_path_factory.mktemp('front-matter') / 'src'
    shutil.copytree(ROOT, source)
    with built('html', source) as app:
        yield app


@pytest.fixture(scope='module')
def print_edition(tmp_path_factory, build_date):
    source = tmp_path_factory.mktemp('front-matter-latex') / 'src'
    shutil.copytree(ROOT, source)
    with built('latex', source) as app:
        yield app


def title(app, docname: str) -> str:
    return page(app, docname).select_one('section.galien-numero h1').get_text().strip('¶ ')


def test_numero_written_like_the_file_name_is_decimal(site):
    assert title(site, 'issues/021') == 'Galien N°\u00a021 – mars 2018'
    assert title(site, 'issues/022') == 'Galien N°\u00a022 – avril 2018'
    numbers = sorted(site.env.domains['galien'].by_numero)
    assert numbers == [21, 22, 27, 28, 29, 30]
    log = warnings(site)
    assert 'issues/021.md' not in log
    assert 'issues/022.md' not in log
    assert "devrait s'appeler" not in log


def test_numbers_editors_do_not_mean_are_refused_at_their_line(site):
    log = warnings(site)
    assert (
        'issues/023.md:2: WARNING: « numero » doit être écrit en chiffres décimaux '
        "(ex. 21 ou 021), pas '0x17' [galien.en-tete]"
    ) in log
    assert (
        "issues/024.md:2: WARNING: « numero » doit être un nombre entier (ex. 21), pas '24.0'"
    ) in log
    assert (
        "issues/025.md:2: WARNING: « numero » doit être un nombre entier (ex. 21), pas 'true'"
        in (log)
    )
    assert (
        'issues/026.md:2: WARNING: « numero » doit être un entier positif (ex. 21), pas une liste'
        in (log)
    )
    for docname in ('issues/023', 'issues/024', 'issues/025', 'issues/026'):
        assert site.env.domains['galien'].issue_of(docname) is None
        assert page(site, docname).select_one('section.galien-numero') is None
    assert 'Traceback' not in log


def test_a_title_that_is_not_text_is_left_out(site):
    log = warnings(site)
    assert (
        'issues/027.md:4: WARNING: « titre » doit être un texte '
        '(ex. « titre: Les biosimilaires »), pas un dictionnaire (clé : valeur) : ignoré '
        '[galien.en-tete]'
    ) in log
    issue = page(site, 'issues/027')
    assert issue.select_one('.galien-titre-numero') is None
    assert '{' not in issue.select_one('.galien-masthead').get_text()
    assert 'Le texte du numéro 27 est publié.' in issue.get_text()
    # A number is a headline too, as written.
    assert page(site, 'issues/022').select_one('.galien-titre-numero').get_text() == '022'


def test_a_date_more_than_a_year_ahead_is_warned_and_published(site):
    log = warnings(site)
    assert (
        "issues/028.md:3: WARNING: « date » 2099-01 est à plus d'un an de la date de construction "
        '(2018-06-01) : faute de frappe ? Le numéro est publié à cette date [galien.en-tete]'
    ) in log
    assert title(site, 'issues/028') == 'Galien N°\u00a028 – janvier 2099'
    # Twelve months after the build is the limit, not a mistake.
    assert 'issues/029.md' not in log
    assert log.count('[galien.en-tete]') == 6


def test_dci_without_a_drug_name_makes_no_index_entry(site):
    log = warnings(site)
    refused = (
        "ne nomme aucun médicament (une DCI s'écrit en lettres, sans < ni > autour) : écrivez "
        "{dci}`osimertinib` ou {dci}`Tagrisso® <osimertinib>` ; rien n'est ajouté à l'index "
        'des médicaments [galien.medicament]'
    )
    empty = '{dci} sans DCI : écrivez {dci}`osimertinib` ou {dci}`Tagrisso® <osimertinib>`'
    assert f'issues/030.md:10: WARNING: {{dci}}`<>` {refused}' in log
    assert f'issues/030.md:12: WARNING: {empty}' in log
    assert f'issues/030.md:14: WARNING: {empty}' in log
    assert f'issues/030.md:16: WARNING: {{dci}}`<<>>` {refused}' in log
    assert f'issues/030.md:18: WARNING: {{dci}}`[ ]` {refused}' in log
    assert f'issues/030.md:20: WARNING: {{dci}}`<> <osimertinib>` {refused}' in log
    assert 'issues/030.md:22: WARNING: « <> » ne nomme aucun médicament' in log
    assert log.count('[galien.medicament]') == 7

    data = json.loads((site.outdir / 'medicaments.json').read_text(encoding='utf-8'))
    assert [(d['dci'], d['specialites']) for d in data['medicaments']] == [('osimertinib', [])]
    index = page(site, 'medicaments')
    entries = [
        li.find('p').get_text(' ', strip=True)
        for li in index.select('ul.galien-medicaments-liste > li')
    ]
    assert entries == ['osimertinib']
    issue = page(site, 'issues/030')
    assert [e['id'] for e in issue.select('[id^="mention-"]')] == ['mention-osimertinib']
    assert issue.select('section.galien-medicament') == []
    assert 'Le reste du numéro est publié.' in issue.get_text()


def test_print_edition_names_the_pdf_as_the_file(print_edition):
    outdir = print_edition.outdir
    assert (outdir / 'galien-021.tex').exists()
    assert not (outdir / 'galien-017.tex').exists()
    assert '{N°\u00a021 – MARS 2018}' in (outdir / 'galien-021.tex').read_text(encoding='utf-8')
    assert sorted(p.name for p in outdir.glob('galien-0*.tex')) == [
        f'galien-0{n}.tex' for n in (21, 22, 27, 28, 29, 30)
    ]
