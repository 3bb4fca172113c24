"""One test per editor's mistake: ``sphinx-build -W`` fails, naming the file and line.

Each case is a small project (the shared test configuration plus a few files) built
in-process as ``make html SPHINXOPTS=-W`` builds it (``warningiserror``); its warning is
found by location and subtype. One case is built by the command line itself, in a
subprocess, for its exit status.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp

from archive import BIB, ROOT_CONF
from conftest import TESTS_DIR
from helpers import run_sphinx, warnings

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.fast

INDEX = '# Test\n\n```{toctree}\n:glob:\n\nissues/*\n```\n'


def issue(
    numero: int | str = 20,
    date: str = '2018-02',
    body: str = '# Actualité\n\nTexte.\n',
    front: str | None = None,
) -> str:
    header = front if front is not None else f'numero: {numero}\ndate: {date}\n'
    return f'---\n{header}---\n\n{body}'


CHIFFRE = '```{chiffre-du-mois} 15\n:source: https://example.org\n\nTexte.\n```\n\n'

CASES: dict[str, tuple[dict[str, str | bytes], str, str]] = {
    'front matter missing': (
        {'issues/020.md': 'Pas d’en-tête.\n'},
        "issues/020.md:1: WARNING: le numéro n'a pas d'en-tête YAML",
        'en-tete',
    ),
    'front matter not YAML': (
        {'issues/020.md': issue(front='numero: [20\ndate: 2018-02\n')},
        "issues/020.md:1: WARNING: le numéro n'a pas d'en-tête YAML",
        'en-tete',
    ),
    'no numero': (
        {'issues/020.md': issue(front='date: 2018-02\n')},
        "issues/020.md:1: WARNING: l'en-tête n'a pas de « numero »",
        'en-tete',
    ),
    'no date': (
        {'issues/020.md': issue(front='numero: 20\n')},
        "issues/020.md:1: WARNING: l'en-tête n'a pas de « date »",
        'en-tete',
    ),
    'numero not a positive integer': (
        {'issues/020.md': issue(numero='0')},
        "issues/020.md:2: WARNING: « numero » doit être un entier positif, pas '0'",
        'en-tete',
    ),
    'numero in words': (
        {'issues/020.md': issue(numero='vingt')},
        "issues/020.md:2: WARNING: « numero » doit être un entier positif, pas 'vingt'",
        'en-tete',
    ),
    'date not a real month': (
        {'issues/020.md': issue(date='2018-13')},
        'issues/020.md:3: WARNING: « date » doit être un mois réel au format AAAA-MM',
        'en-tete',
    ),
    'two files with one numero': (
        {'issues/020.md': issue(20), 'issues/0020.md': issue(20)},
        'issues/020.md:2: WARNING: le numéro 20 est déjà publié dans',
        'en-tete',
    ),
    'file name disagrees with numero': (
        {'issues/021.md': issue(20)},
        "issues/021.md:2: WARNING: le fichier issues/021.md devrait s'appeler issues/020.md",
        'en-tete',
    ),
    'chiffre without figure': (
        {'issues/020.md': issue(body='```{chiffre-du-mois}\nTexte.\n```\n')},
        "issues/020.md:6: WARNING: le chiffre du mois n'a pas de chiffre",
        'chiffre',
    ),
    'chiffre with unknown option': (
        {
            'issues/020.md': issue(
                body='```{chiffre-du-mois} 15\n:sources: https://a.org\n\nT.\n```\n'
            )
        },
        'issues/020.md:7: WARNING: option inconnue :sources:',
        'langage',
    ),
    'chiffre with empty body': (
        {'issues/020.md': issue(body='```{chiffre-du-mois} 15\n```\n')},
        "issues/020.md:6: WARNING: le chiffre du mois '15' n'a pas de texte explicatif",
        'chiffre',
    ),
    'chiffre source not a URL': (
        {'issues/020.md': issue(body='```{chiffre-du-mois} 15\n:source: leem.org\n\nT.\n```\n')},
        'issues/020.md:6: WARNING: :source: doit être une adresse web complète',
        'chiffre',
    ),
    'two chiffres in one issue': (
        {'issues/020.md': issue(body=CHIFFRE + CHIFFRE)},
        'issues/020.md:12: WARNING: un seul chiffre du mois par numéro',
        'chiffre',
    ),
    'board without members': (
        {'issues/020.md': issue(body='```{board} Board scientifique\n```\n')},
        "issues/020.md:6: WARNING: le board 'Board scientifique' n'a aucun membre",
        'board',
    ),
    'board line not Title Name (City)': (
        {
            'issues/020.md': issue(
                body='```{board} Board\n- Pr P. Arnaud (Paris)\n- Arnaud, Paris\n```\n'
            )
        },
        "issues/020.md:8: WARNING: ligne de board illisible 'Arnaud, Paris'",
        'board',
    ),
    'board unknown title': (
        {'issues/020.md': issue(body='```{board} Board\n- Lord P. Arnaud (Paris)\n```\n')},
        "issues/020.md:7: WARNING: titre inconnu 'Lord' dans le board",
        'board',
    ),
    'galien number not an integer': (
        {'issues/020.md': issue(body='Voir {galien}`sept`.\n')},
        'issues/020.md:6: WARNING: {galien} attend un numéro de la lettre',
        'reference',
    ),
    'galien issue unknown': (
        {'issues/020.md': issue(body='Voir {galien}`12`.\n')},
        "issues/020.md:6: WARNING: Galien 12 n'est ni dans issues/",
        'reference',
    ),
    'galien later issue': (
        {
            'issues/020.md': issue(body='Voir {galien}`21`.\n'),
            'issues/021.md': issue(21, '2018-03'),
        },
        'issues/020.md:6: WARNING: Galien 20 cite le numéro 21',
        'reference',
    ),
    'unknown citation key': (
        {
            'issues/020.md': issue(
                body='Voir {footcite}`inconnu2021`.\n\n```{footbibliography}\n```\n'
            )
        },
        "issues/020.md:6: WARNING: la référence 'inconnu2021' n'existe pas",
        'citation',
    ),
    'key defined twice in the bib file': (
        {'refs.bib': BIB + '\n' + BIB},
        "refs.bib:8: WARNING: la clé 'ravi2017' est déjà définie",
        'bibtex',
    ),
    'entry type the reference style does not know': (
        {'refs.bib': BIB + '\n@patent{brevet2012,\n  title = {Un brevet}, year = {2012},\n}\n'},
        "refs.bib:8: WARNING: le type d'entrée @patent de la référence 'brevet2012' n'est pas "
        'prévu par le style Vancouver',
        'style-reference',
    ),
    'chiffre source neither a URL nor a bib key': (
        {'issues/020.md': issue(body='```{chiffre-du-mois} 15\n:source: inconnu2021\n\nT.\n```\n')},
        'issues/020.md:6: WARNING: :source: doit être une adresse web complète (https://...) ou '
        "la clé d'une référence de references.bib, pas 'inconnu2021'",
        'chiffre',
    ),
    'file not valid UTF-8': (
        {'issues/020.md': issue(body='# Actualité\n\nCaf\xe9.\n').encode('latin-1')},
        "issues/020.md:6: WARNING: le fichier n'est pas enregistré en UTF-8 (octet 0xe9)",
        'encodage',
    ),
    'image without alt text': (
        {
            'issues/020.md': issue(body='# Actualité\n\n![](schema.png)\n'),
            'issues/schema.png': (
                TESTS_DIR / 'roots/test-robustness/issues/schema.png'
            ).read_bytes(),
        },
        "issues/020.md:8: WARNING: l'image issues/schema.png n'a pas de texte alternatif",
        'image',
    ),
    'formula between dollars': (
        {'issues/020.md': issue(body='# Actualité\n\nClairance $\\frac{a}{b}$ en mL/min.\n')},
        "issues/020.md:8: WARNING: « $\\frac{a}{b}$ » s'affiche tel quel : une formule s'écrit",
        'math',
    ),
}


def write_project(root: Path, files: dict[str, str | bytes]) -> None:
    (root / 'issues').mkdir(parents=True)
    (root / 'conf.py').write_text(ROOT_CONF, encoding='utf-8')
    (root / 'index.md').write_text(INDEX, encoding='utf-8')
    (root / 'refs.bib').write_text(BIB, encoding='utf-8')
    for name, content in files.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding='utf-8')


#: A warning as Sphinx prints it: location, message, then its type and subtype.
WARNING_LINE = re.compile(r'^(?P<location>\S+): WARNING: (?P<message>.*) \[(?P<type>[\w.-]+)\]$')


def strict_build(source: Path, out: Path) -> tuple[int, list[re.Match[str]], str]:
    """``sphinx-build -W`` in-process: its exit status, its warnings (parsed) and its log."""
    app = SphinxTestApp('html', srcdir=source, builddir=out, warningiserror=True, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    log = warnings(app).replace(f'{source}/', '')
    return app.statuscode, [m for m in map(WARNING_LINE.match, log.splitlines()) if m], log


@pytest.mark.parametrize('case', sorted(CASES))
def test_mistake_fails_strict_build_with_file_and_line(case, tmp_path):
    files, expected, subtype = CASES[case]
    write_project(tmp_path / 'src', files)
    status, found, log = strict_build(tmp_path / 'src', tmp_path / 'out')
    assert status != 0, log
    location, _, message = expected.partition(': WARNING: ')
    assert any(
        w['location'] == location
        and w['type'] == f'galien.{subtype}'
        and w['message'].startswith(message)
        for w in found
    ), log
    for crash in ('Traceback', 'Exception occurred', 'Encoding error'):
        assert crash not in log


@pytest.mark.slow
def test_mistake_fails_make_html_with_file_and_line(tmp_path):
    """The command line too: ``sphinx-build -W`` exits non-zero and names the file and line."""
    files, expected, subtype = CASES['numero in words']
    write_project(tmp_path / 'src', files)
    result = run_sphinx(
        '-W',
        '--keep-going',
        '-q',
        '-b',
        'html',
        str(tmp_path / 'src'),
        str(tmp_path / 'out'),
        '-d',
        str(tmp_path / 'doctrees'),
        cwd=tmp_path,
    )
    log = result.stderr.replace(str(tmp_path / 'src') + '/', '')
    assert result.returncode != 0, log
    assert expected in log, log
    assert f'[galien.{subtype}]' in log, log
    for crash in ('Traceback', 'Exception occurred', 'Encoding error'):
        assert crash not in log + result.stdout
