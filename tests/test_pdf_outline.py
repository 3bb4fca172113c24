"""The PDF of each issue for every reader: outline, displayed title, language, links.

The outline (bookmarks) is read with pypdf from the PDFs that ``make latexpdf``
gives for the real N°20 and for a test issue with two rubriques
(``tests/roots/test-outline``, with a second one that has no chiffre, no
sources and no board).
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

import pytest
from pypdf import PdfReader
from test_print_edition import latexpdf, pdfinfo

from conftest import PROJECT_DIR, TESTS_DIR
from helpers import NBSP

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def outline(reader: PdfReader, entries: list[Any] | None = None) -> list[Any]:
    """``[(title, page), [children...], ...]`` as pypdf nests the outline; pages from 1."""
    tree: list[Any] = []
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            tree.append(outline(reader, entry))
        else:
            page = reader.get_destination_page_number(entry)
            tree.append((entry.title, None if page is None else page + 1))
    return tree


@pytest.fixture(scope='module')
def issue_20(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    build_dir = tmp_path_factory.mktemp('pdf-outline-20')
    result = latexpdf(PROJECT_DIR, build_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return PdfReader(build_dir / 'latex' / 'galien-020.pdf')


@pytest.fixture(scope='module')
def two_rubriques(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp('pdf-outline-30') / 'src'
    shutil.copytree(TESTS_DIR / 'roots' / 'test-outline', source)
    result = latexpdf(source, source.parent / 'build')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'WARNING' not in result.stderr, result.stderr
    return source.parent / 'build' / 'latex' / 'galien-030.pdf'


def test_outline_of_issue_20(issue_20: PdfReader) -> None:
    assert outline(issue_20) == [
        ('Galien N° 20 – février 2018', 1),
        [
            ('Le chiffre du mois', 1),
            ('Dans l’actualité', 1),
            [(f'«{NBSP}Deep Learning{NBSP}»{NBSP}?', 1)],
            ('Sources', 1),
            ('Board scientifique', 2),
        ],
    ]


def test_outline_of_an_issue_with_two_rubriques(two_rubriques: Path) -> None:
    assert outline(PdfReader(two_rubriques)) == [
        ('Galien N° 30 – décembre 2018', 1),
        [
            ('Le chiffre du mois', 1),
            ('Nouvelles AMM', 1),
            [
                ('Osimertinib (Tagrisso®) chez les patients ≥ 75 ans', 1),
                (f'Dosage{NBSP}: 80 mg/m² & β-HCG', 1),
            ],
            ('Pharmacovigilance', 1),
            [('Alertes du mois', 1)],
            ('Sources', 1),
            ('Board scientifique', 1),
        ],
    ]


def test_no_entry_for_what_an_issue_does_not_have(two_rubriques: Path) -> None:
    """N°31 has no chiffre du mois, no source and no board: nor has its outline."""
    assert outline(PdfReader(two_rubriques.with_name('galien-031.pdf'))) == [
        ('Galien N° 31 – janvier 2019', 1),
        [('Brèves', 1), [('Rappel de lots', 1)]],
    ]


def test_sources_entry_opens_the_first_footnote(issue_20: PdfReader) -> None:
    [_, [*_, sources, _]] = issue_20.outline
    assert sources.title == 'Sources'
    footnote = issue_20.named_destinations['Hfootnote.1']
    assert issue_20.get_destination_page_number(sources) == issue_20.get_page_number(footnote.page)
    assert sources.top == footnote.top


def test_opens_on_its_title_in_french_with_the_outline(issue_20: PdfReader) -> None:
    catalog = issue_20.trailer['/Root']
    assert bool(catalog['/ViewerPreferences']['/DisplayDocTitle']) is True
    assert catalog['/Lang'] == 'fr'
    assert catalog['/PageMode'] == '/UseOutlines'
    assert issue_20.metadata is not None
    assert issue_20.metadata.title == 'Galien N° 20 – février 2018'


def test_links_are_annotated_with_their_target(issue_20: PdfReader) -> None:
    targets = []
    for page in issue_20.pages:
        for annotation in page.get('/Annots') or []:
            link = annotation.get_object()
            if link['/Subtype'] == '/Link':
                action = link['/A']
                targets.append(action.get('/URI') or action['/D'])
    assert targets == [
        'https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf',
        'https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf',
        'Hfootnote.1',
        'https://doi.org/10.1109/JBHI.2016.2636665',
    ]
    # The footnote link lands somewhere that exists.
    assert 'Hfootnote.1' in issue_20.named_destinations


def test_pdfinfo_shows_the_title_not_the_file_name(two_rubriques: Path) -> None:
    assert pdfinfo(two_rubriques)['Title'] == 'Galien N° 30 – décembre 2018'
