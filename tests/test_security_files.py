"""Files an issue names come from the project's folder only, in every edition.

The hostile issue (``roots/test-security-files``) names a file outside the
project with ``../``, with an absolute path and through a symbolic link inside
the project (and hidden files and a named pipe inside it), in ``{download}``,
a Markdown link, ``csv-table`` ``:file:`` (and a ``:url:``), ``include`` (MyST
and reST, ``:literal:`` and ``:code:``), ``literalinclude`` and ``raw :file:``
(the last ones are not part of the letter's language);
``archives/numeros-papier.yml`` does the same with back issues' PDFs. No byte of
those files may reach the build.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from security_helpers import build_editions, output_texts

from conftest import TESTS_DIR
from helpers import assert_epub_clean

ROOT = TESTS_DIR / 'roots/test-security-files'
MARKER = 'SECRET-HORS-PROJET-7f3a'
PASSWD_FIRST_LINE = Path('/etc/passwd').read_text(encoding='utf-8').splitlines()[0]


@pytest.fixture(scope='module')
def hostile_files(tmp_path_factory):
    """The root, beside a secret file and PDF, linked from inside the project."""
    tmp = tmp_path_factory.mktemp('fichiers')
    source = tmp / 'projet'
    shutil.copytree(ROOT, source)
    secret = tmp / 'secret.txt'
    secret.write_text(f'{MARKER},texte\n', encoding='utf-8')
    (tmp / 'secret.pdf').write_text(f'%PDF-1.4\n{MARKER}\n%%EOF\n', encoding='utf-8')
    (source / 'issues/lien.txt').symlink_to(secret)
    # Inside the project, but hidden: where a token or a relay's password would be.
    (source / '.env').write_text(f'RELAY_PASSWORD={MARKER}\n', encoding='utf-8')
    (source / '.git').mkdir()
    (source / '.git/config').write_text(f'url = https://x:{MARKER}@forge\n', encoding='utf-8')
    os.mkfifo(source / 'issues/tube.csv')  # a copy of it would wait for ever
    (source / 'archives/lien.pdf').symlink_to(tmp / 'secret.pdf')
    for name, absolute in (
        ('issues/020.md', '/etc/passwd'),
        ('archives/numeros-papier.yml', str(tmp / 'secret.pdf')),
    ):
        path = source / name
        path.write_text(path.read_text(encoding='utf-8').replace('ABSOLU', absolute), 'utf-8')
    log = build_editions(source, tmp / 'build')
    return source, tmp / 'build', log


def test_files_outside_the_project_are_refused_with_located_warnings(hostile_files):
    _source, _build, log = hostile_files
    expected = [
        (19, 'option inconnue :file: (options possibles : :class:, :name:, :widths:'),
        (23, 'option inconnue :file:'),
        (27, 'option inconnue :file:'),
        (31, 'option inconnue :url:'),
        (34, 'le fichier ../../secret.txt est hors du dossier du projet : il n’est pas proposé'),
        (34, 'le fichier lien.txt est hors du dossier du projet : il n’est pas proposé'),
        (35, 'le fichier ../../secret.txt est hors du dossier du projet : il n’est pas proposé'),
        (35, 'le fichier lien.txt est hors du dossier du projet : il n’est pas proposé'),
        (36, 'le fichier ../.env est caché (son nom ou celui d’un de ses dossiers commence'),
        (36, 'le fichier ../.git/config est caché'),
        (37, "le fichier tube.csv n'est pas un fichier ordinaire (dossier, tube nommé"),
        (39, "la directive {include} n'est pas permise dans un numéro"),
        (42, "la directive {literalinclude} n'est pas permise dans un numéro"),
        (45, "le bloc {eval-rst} n'est pas permis"),
    ]
    for line, message in expected:
        assert f'issues/020.md:{line}: WARNING: {message}' in log, (line, message, log)
    # {download} of an absolute path means from the project's root, as in Sphinx:
    # projet/etc/passwd, which is not there.
    assert re.search(r'download file not readable: \S*/projet/etc/passwd', log), log
    assert log.count('[galien.fichier]') == 6, log
    assert log.count('[galien.fichier-special]') == 1, log
    assert log.count('[galien.langage]') == 7, log
    for line, value in ((9, '../secret.pdf'), (13, "'/")):
        assert re.search(
            rf'numeros-papier\.yml:{line}: WARNING: N° \d+ : « pdf » est un chemin dans le '
            rf'dépôt.*{re.escape(value)}',
            log,
        ), (line, log)
    # A symbolic link is refused as such, wherever it leads (core/symlinks.py).
    assert re.search(
        r'numeros-papier\.yml:17: WARNING: N° \d+ : le PDF archives/lien\.pdf est un lien '
        r'symbolique : refusé.*\[galien\.lien-symbolique\]',
        log,
    ), log
    assert 'urlopen' not in log and 'CRITICAL' not in log  # no attempt to fetch the :url:


def test_no_outside_byte_reaches_the_build(hostile_files):
    _source, build, _log = hostile_files
    names = []
    for name, data in output_texts(build):
        names.append(name)
        assert MARKER.encode() not in data, name
        assert PASSWD_FIRST_LINE.encode() not in data, name
    assert not list(build.rglob('secret*')) and not list(build.rglob('lien*'))
    assert 'html/pdf/galien-007.pdf' in names  # the archive's own PDF is published
    assert not (build / 'html/pdf/galien-008.pdf').exists()
    assert not (build / 'html/pdf/galien-010.pdf').exists()


def test_the_rest_of_the_issue_is_built(hostile_files):
    _source, build, _log = hostile_files
    page = BeautifulSoup(
        (build / 'html/issues/020.html').read_text(encoding='utf-8'), 'html.parser'
    )
    tables = page.find_all('table')
    assert len(tables) == 1  # the issue's own table; those of a file are refused
    assert 'Osimertinib' in tables[0].get_text()
    downloads = [a['href'] for a in page.select('a.download')]
    assert len(downloads) == 1 and downloads[0].endswith('/autorisations.csv')
    assert (build / 'html' / downloads[0].removeprefix('../')).is_file()
    text = page.get_text()
    for number in range(1, 9):
        assert f'fichier {number}' in text, number
    assert 'Le β-HCG se dose en µg/mL.' in text
    assert 'Le β-HCG se dose en µg/mL.' in (build / 'email/galien-020.txt').read_text('utf-8')
    assert 'Osimertinib' in (build / 'latex/galien-020.tex').read_text(encoding='utf-8')
    assert_epub_clean(build / 'epub/galien.epub')
