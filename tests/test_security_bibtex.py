"""``references.bib`` is untrusted: a broken entry costs only itself, a hostile file stays bounded.

Each test copies ``tests/roots/test-bibtex-security`` (one issue citing three
entries), breaks its ``references.bib`` the way an editor or a stranger would, and
builds it in a subprocess as ``make html`` does, with ``--keep-going``: the build
must end normally, the warning name ``references.bib`` and its line, and the
other references must still be printed under the article.
"""

from __future__ import annotations

import filecmp
import resource
import shutil
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conftest import TESTS_DIR
from helpers import run_sphinx

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

ROOT = TESTS_DIR / 'roots/test-bibtex-security'
CRASHES = ('Traceback', 'Exception occurred', 'Extension error', 'MemoryError', 'Sphinx error')
#: How each entry of the root's references.bib is printed in the footnotes.
PRINTED = {
    'ravi2017': 'Ravì D, Wong C. Deep Learning for Health Informatics.',
    'soria2018': 'Soria JC, Ohe Y. Osimertinib in Untreated EGFR-Mutated',
    'gandhi2018': 'Gandhi L, Rodríguez-Abreu D. Pembrolizumab plus Chemotherapy',
}
SORIA_JOURNAL = '  journal = {N Engl J Med},\n  year    = {2018}, volume = {378}, number = {2},'
#: Each @string is the previous one eight times: 10 characters, then 80, 640... 10 × 8**25.
BOMB = '@string{a = "xxxxxxxxxx"}\n' + ''.join(
    f'@string{{{chr(98 + i)} = ' + ' # '.join([chr(97 + i)] * 8) + '}\n' for i in range(25)
)
GIGABYTES = 2**30


def limited_memory() -> None:
    """In the build's process: 2 Gio of address space at most, so a bomb ends, not the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 * GIGABYTES, 2 * GIGABYTES))


def copy_root(tmp_path: Path) -> Path:
    source = tmp_path / 'src'
    shutil.copytree(ROOT, source)
    return source


def edit_bib(source: Path, old: str, new: str) -> None:
    bib = source / 'references.bib'
    text = bib.read_text(encoding='utf-8')
    assert old in text
    bib.write_text(text.replace(old, new, 1), encoding='utf-8')


def build(tmp_path: Path, *options: str, out: str = 'out') -> subprocess.CompletedProcess[str]:
    return run_sphinx(
        '-b',
        'html',
        '-q',
        '--keep-going',
        *options,
        str(tmp_path / 'src'),
        str(tmp_path / out),
        '-d',
        str(tmp_path / f'{out}-doctrees'),
        cwd=tmp_path,
        timeout=300,
        preexec_fn=limited_memory,
    )


def log_of(result: subprocess.CompletedProcess[str], tmp_path: Path) -> str:
    log = (result.stdout + result.stderr).replace(str(tmp_path / 'src') + '/', '')
    for crash in CRASHES:
        assert crash not in log, log
    return log


def references(tmp_path: Path, out: str = 'out') -> str:
    """The text of the footnotes under N°20's article."""
    html = (tmp_path / out / 'issues/020.html').read_text(encoding='utf-8')
    footnotes = BeautifulSoup(html, 'html.parser').select('aside.footnote')
    assert footnotes, html
    return ' '.join(footnote.get_text(' ', strip=True) for footnote in footnotes)


def assert_printed(tmp_path: Path, *keys: str) -> None:
    text = references(tmp_path)
    for key, printed in PRINTED.items():
        if key in keys:
            assert printed in text, text
        else:
            assert printed not in text, text


def test_missing_comma_leaves_out_its_entry_only(tmp_path):
    source = copy_root(tmp_path)
    edit_bib(
        source,
        '  journal = {N Engl J Med},\n  year    = {2018}, volume = {378}, number = {2}',
        '  journal = {N Engl J Med}\n  year    = {2018}, volume = {378}, number = {2}',
    )
    result = build(tmp_path)
    log = log_of(result, tmp_path)
    assert result.returncode == 0, log
    assert (
        "references.bib:12: WARNING: erreur de syntaxe dans l'entrée 'soria2018' : « } » attendu "
        'ici (une virgule manque-t-elle à la fin de la ligne précédente ?) ; elle est ignorée '
        '[galien.bibtex]'
    ) in log, log
    assert "issues/020.md:8: WARNING: la référence 'soria2018' n'existe pas" in log, log
    assert log.count('WARNING') == 2, log
    assert_printed(tmp_path, 'ravi2017', 'gandhi2018')
    # make check (-W) refuses it.
    strict = build(tmp_path, '-W', out='strict')
    assert strict.returncode != 0, log_of(strict, tmp_path)


def test_fixing_the_typo_rebuilds_as_a_clean_build(tmp_path):
    source = copy_root(tmp_path)
    good = (source / 'references.bib').read_text(encoding='utf-8')
    edit_bib(
        source,
        'title   = {Deep Learning for Health Informatics},',
        'title   = {Deep Learning for Health Informatics}',
    )
    first = build(tmp_path)
    assert first.returncode == 0, log_of(first, tmp_path)
    assert_printed(tmp_path, 'soria2018', 'gandhi2018')
    (source / 'references.bib').write_text(good, encoding='utf-8')
    again = build(tmp_path)
    assert 'WARNING' not in log_of(again, tmp_path)
    assert_printed(tmp_path, *PRINTED)
    clean = build(tmp_path, out='clean')
    assert clean.returncode == 0, log_of(clean, tmp_path)
    page = 'issues/020.html'
    assert filecmp.cmp(tmp_path / 'out' / page, tmp_path / 'clean' / page, shallow=False)


def test_key_defined_twice_keeps_the_first_and_everything_after(tmp_path):
    source = copy_root(tmp_path)
    twice = (
        '@article{Ravi2017,\n  title = {Un doublon},\n  journal = {Doublon},\n  year = 2019,\n}\n\n'
    )
    edit_bib(source, '@article{soria2018,', twice + '@article{soria2018,')
    result = build(tmp_path)
    log = log_of(result, tmp_path)
    assert result.returncode == 0, log
    assert (
        "references.bib:8: WARNING: la clé 'Ravi2017' est déjà définie en ligne 1 : cette seconde "
        'entrée est ignorée, renommez-en une [galien.bibtex]'
    ) in log, log
    assert log.count('WARNING') == 1, log
    assert_printed(tmp_path, *PRINTED)
    assert 'Doublon' not in references(tmp_path)


def test_string_bomb_is_refused_in_bounded_memory(tmp_path):
    source = copy_root(tmp_path)
    edit_bib(source, '@article{soria2018,', BOMB + '@misc{bombe, title = z}\n\n@article{soria2018,')
    result = build(tmp_path)
    log = log_of(result, tmp_path)
    assert result.returncode == 0, log
    # f is a × 8**5 = 327 680 characters: the first one over the budget, at line 8 + 6.
    assert (
        'references.bib:13: WARNING: une fois ses chaînes @string remplacées, la chaîne @string '
        "'f' ferait plus de 64 Kio : elle est ignorée, avec tout ce qui l'utilise [galien.bibtex]"
    ) in log, log
    assert (
        "references.bib:34: WARNING: l'entrée 'bombe' utilise la chaîne @string 'z', refusée "
        'ligne 13 : elle est ignorée [galien.bibtex]'
    ) in log, log
    assert log.count('WARNING') == 2, log
    assert_printed(tmp_path, *PRINTED)


HOSTILE = {
    'braces nested too deep': (
        '@article{soria2018,',
        '@misc{profond, title = {' + '{' * 150 + 'x' + '}' * 150 + '}}\n\n@article{soria2018,',
        "references.bib:8: WARNING: l'entrée 'profond' imbrique plus de 100 niveaux d'accolades",
        PRINTED,
    ),
    'entry never closed': (
        '  year    = {2017}, volume = {21}, number = {1}, pages = {4--21},\n}',
        '  year    = {2017}, volume = {21}, number = {1}, pages = {4--21},\n',
        "references.bib:1: WARNING: l'entrée 'ravi2017' n'est pas fermée : il manque une "
        'accolade « } » (ou une parenthèse) avant la ligne 8 ; elle est ignorée',
        ('soria2018', 'gandhi2018'),
    ),
    'javascript address': (
        'title   = {Deep Learning for Health Informatics},',
        'title   = {Deep Learning for Health Informatics},\n  url = { JavaScript:alert(1)},',
        "references.bib:4: WARNING: l'adresse 'JavaScript:alert(1)' de l'entrée 'ravi2017' "
        "n'est pas une adresse web complète (http:// ou https://) : elle n'est pas imprimée",
        PRINTED,
    ),
    'control characters': (
        'Osimertinib in Untreated',
        'Osimertinib\x01\x1b in Untreated',
        'references.bib:10: WARNING: caractères de contrôle (U+0001…) supprimés, lignes 10',
        PRINTED,
    ),
}


@pytest.mark.parametrize('case', sorted(HOSTILE))
def test_hostile_entry_costs_only_itself(case, tmp_path):
    old, new, expected, printed = HOSTILE[case]
    edit_bib(copy_root(tmp_path), old, new)
    result = build(tmp_path)
    log = log_of(result, tmp_path)
    assert result.returncode == 0, log
    assert expected in log, log
    assert '[galien.bibtex]' in log, log
    assert_printed(tmp_path, *printed)
    page = (tmp_path / 'out/issues/020.html').read_text(encoding='utf-8')
    assert 'javascript' not in page.lower()
    assert '\x01' not in page


def test_huge_file_is_not_read_and_the_issue_still_builds(tmp_path):
    source = copy_root(tmp_path)
    with (source / 'references.bib').open('a', encoding='utf-8') as bib:
        for number in range(90_000):
            bib.write(f'@misc{{k{number}, title = {{{"x" * 80}}}}}\n')
    result = build(tmp_path)
    log = log_of(result, tmp_path)
    assert result.returncode == 0, log
    assert (
        'references.bib:1: WARNING: le fichier fait 10 Mio, plus que les 8 Mio permis : il est '
        'ignoré, aucune de ses références ne sera imprimée [galien.bibtex]'
    ) in log, log
    assert (tmp_path / 'out/issues/020.html').is_file()


def test_bib_file_linked_outside_the_project_is_not_read(tmp_path):
    source = copy_root(tmp_path)
    outside = tmp_path / 'ailleurs.bib'
    outside.write_text(
        (source / 'references.bib').read_text(encoding='utf-8').replace('Osimertinib', 'SECRET'),
        encoding='utf-8',
    )
    (source / 'references.bib').unlink()
    (source / 'references.bib').symlink_to(outside)
    result = build(tmp_path)
    log = log_of(result, tmp_path)
    assert result.returncode == 0, log
    # A symbolic link is refused as such, wherever it leads (core/symlinks.py).
    assert 'references.bib:1: WARNING: references.bib est un lien symbolique (vers ' in log, log
    assert '[galien.lien-symbolique]' in log, log
    assert 'SECRET' not in (tmp_path / 'out/issues/020.html').read_text(encoding='utf-8')
