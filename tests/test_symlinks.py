"""Symbolic links among the sources are refused input, never content.

A pull request can commit a symbolic link: an issue file linked to
``/proc/self/environ`` or to a file outside the project, a folder of ``issues/``
linked elsewhere (or to its own parent, a loop), a linked ``refs.bib`` and a
linked ``archives/numeros-papier.yml``. Each is a warning at its path
(``galien.lien-symbolique``); none of their bytes reaches any edition, and the
project's own issues are built. So is an issue file that is not a regular file:
a named pipe, which a reading would wait on for ever (``galien.fichier-special``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from security_helpers import build_editions, output_texts

from conftest import TESTS_DIR

ROOT = TESTS_DIR / 'roots/test-paper'
MARKER = 'SECRET-LIEN-SYMBOLIQUE-91c2'
LINK_WARNING = 'est un lien symbolique (vers {target}) : refusé'


@pytest.fixture(scope='module')
def linked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The root with links to files and folders beside it, built in every edition."""
    tmp = tmp_path_factory.mktemp('liens')
    source = tmp / 'projet'
    shutil.copytree(ROOT, source)
    outside = tmp / 'dehors'
    (outside / 'dossier').mkdir(parents=True)
    issue = (source / 'issues/020.md').read_text(encoding='utf-8')
    hostile = issue.replace('numero: 20', 'numero: 22').replace('Immunothérapie', MARKER)
    (outside / '022.md').write_text(hostile, encoding='utf-8')
    (outside / 'dossier/024.md').write_text(hostile.replace('22', '24'), encoding='utf-8')
    for name in ('refs.bib', 'archives/numeros-papier.yml'):
        text = (source / name).read_text(encoding='utf-8')
        (outside / Path(name).name).write_text(f'{text}\n% {MARKER}\n#{MARKER}\n', 'utf-8')
        (source / name).unlink()
        (source / name).symlink_to(outside / Path(name).name)
    (source / 'issues/022.md').symlink_to(outside / '022.md')
    (source / 'issues/023.md').symlink_to('/proc/self/environ')
    (source / 'issues/dossier').symlink_to(outside / 'dossier')
    (source / 'issues/boucle').symlink_to('..')
    os.mkfifo(source / 'issues/025.md')
    log = build_editions(source, tmp / 'build')
    return source, tmp / 'build', log


@pytest.mark.parametrize(
    ('name', 'target'),
    [
        ('issues/022.md', '{outside}/022.md'),
        ('issues/023.md', '/proc/self/environ'),
        ('issues/dossier', '{outside}/dossier'),
        ('issues/boucle', '..'),
        ('refs.bib', '{outside}/refs.bib'),
        ('archives/numeros-papier.yml', '{outside}/numeros-papier.yml'),
    ],
)
def test_each_link_is_a_located_warning(linked, name, target):
    source, _build, log = linked
    target = target.format(outside=source.parent / 'dehors')
    lines = [line for line in log.splitlines() if line.startswith(f'{source / name}:1: WARNING')]
    assert len(lines) == 1, log
    assert LINK_WARNING.format(target=target) in lines[0], lines[0]
    assert lines[0].endswith('[galien.lien-symbolique]'), lines[0]


def test_a_named_pipe_is_refused_without_being_opened(linked):
    source, _build, log = linked
    [line] = [line for line in log.splitlines() if line.startswith(f'{source}/issues/025.md:1:')]
    assert "n'est pas un fichier ordinaire (tube nommé" in line, line
    assert line.endswith('[galien.fichier-special]'), line


def test_no_byte_of_a_linked_file_reaches_an_edition(linked):
    _source, build, _log = linked
    environment = Path('/proc/self/environ').read_bytes().split(b'\0')[0]
    names = []
    for name, data in output_texts(build):
        names.append(name)
        assert MARKER.encode() not in data, name
        assert environment not in data, name
    assert not [n for n in names if '022' in n or '023' in n or '024' in n or 'dossier' in n]


def test_the_project_s_own_issues_are_built(linked):
    _source, build, log = linked
    assert 'Traceback' not in log
    for numero in ('019', '020'):
        assert (build / f'html/issues/{numero}.html').is_file(), numero
        assert (build / f'latex/galien-{numero}.tex').is_file(), numero
        assert (build / f'email/galien-{numero}.eml').is_file(), numero
    page = (build / 'html/issues/020.html').read_text(encoding='utf-8')
    assert 'Immunothérapie et sujet âgé' in page
