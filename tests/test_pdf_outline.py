"""The PDF of each issue for every reader: outline, displayed title, language, links.

The outline (bookmarks) is read with pikepdf from the PDFs that ``make latexpdf``
gives for the real N°20 and for a test issue with two rubriques
(``tests/roots/test-outline``, with a second one that has no chiffre, no
sources and no board).
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

import pikepdf
import pytest
from test_print_edition import latexpdf, pdfinfo

from conftest import PROJECT_DIR, TESTS_DIR
from helpers import NBSP

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def destination(pdf: pikepdf.Pdf, target: Any) -> tuple[int, float]:
    """Where a destination (named, explicit or an action's) lands: page from 1, top."""
    if isinstance(target, pikepdf.Dictionary):  # a GoTo action, or a dictionary with /D
        target = target.D
    if isinstance(target, pikepdf.String | pikepdf.Name):
        target = pikepdf.NameTree(pdf.Root.Names.Dests)[str(target)]
        if isinstance(target, pikepdf.Dictionary):
            target = target.D
    # [page /XYZ left top zoom]
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    return pages[target[0].objgen], float(target[3])


def outline_items(pdf: pikepdf.Pdf) -> list[pikepdf.OutlineItem]:
    with pdf.open_outline() as tree:
        return list(tree.root)


def outline(pdf: pikepdf.Pdf, entries: list[pikepdf.OutlineItem] | None = None) -> list[Any]:
    """``[(title, page), [children...], ...]``: an entry, then its children; pages from 1."""
    tree: list[Any] = []
    for entry in outline_items(pdf) if entries is None else entries:
        page, _ = destination(pdf, entry.destination or entry.action)
        tree.append((entry.title, page))
        if entry.children:
            tree.append(outline(pdf, list(entry.children)))
    return tree


@pytest.fixture(scope='module')
def issue_20(tmp_path_factory: pytest.TempPathFactory) -> pikepdf.Pdf:
    build_dir = tmp_path_factory.mktemp('pdf-outline-20')
    result = latexpdf(PROJECT_DIR, build_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return pikepdf.open(build_dir / 'latex' / 'galien-020.pdf')


@pytest.fixture(scope='module')
def two_rubriques(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp('pdf-outline-30') / 'src'
    shutil.copytree(TESTS_DIR / 'roots' / 'test-outline', source)
    result = latexpdf(source, source.parent / 'build')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'WARNING' not in result.stderr, result.stderr
    return source.parent / 'build' / 'latex' / 'galien-030.pdf'


def test_outline_of_issue_20(issue_20: pikepdf.Pdf) -> None:
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
    assert outline(pikepdf.open(two_rubriques)) == [
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
    assert outline(pikepdf.open(two_rubriques.with_name('galien-031.pdf'))) == [
        ('Galien N° 31 – janvier 2019', 1),
        [('Brèves', 1), [('Rappel de lots', 1)]],
    ]


def test_sources_entry_opens_the_first_footnote(issue_20: pikepdf.Pdf) -> None:
    [title] = outline_items(issue_20)
    [*_, sources, _] = title.children
    assert sources.title == 'Sources'
    footnote = destination(issue_20, pikepdf.String('Hfootnote.1'))
    assert destination(issue_20, sources.destination or sources.action) == footnote


def test_opens_on_its_title_in_french_with_the_outline(issue_20: pikepdf.Pdf) -> None:
    catalog = issue_20.Root
    assert bool(catalog.ViewerPreferences.DisplayDocTitle) is True
    assert str(catalog.Lang) == 'fr'
    assert catalog.PageMode == pikepdf.Name.UseOutlines
    assert str(issue_20.docinfo.Title) == 'Galien N° 20 – février 2018'


def test_links_are_annotated_with_their_target(issue_20: pikepdf.Pdf) -> None:
    targets = []
    for page in issue_20.pages:
        for link in page.obj.get('/Annots') or []:
            if link.Subtype == pikepdf.Name.Link:
                action = link.A
                targets.append(str(action.get('/URI') or action.D))
    assert targets == [
        'https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf',
        'https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf',
        'Hfootnote.1',
        'https://doi.org/10.1109/JBHI.2016.2636665',
    ]
    # The footnote link lands somewhere that exists.
    assert 'Hfootnote.1' in pikepdf.NameTree(issue_20.Root.Names.Dests)


def test_pdfinfo_shows_the_title_not_the_file_name(two_rubriques: Path) -> None:
    assert pdfinfo(two_rubriques)['Title'] == 'Galien N° 30 – décembre 2018'
