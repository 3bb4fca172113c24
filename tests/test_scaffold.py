"""``make new-issue`` / ``python -m galien new``: the next issue, never an overwrite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_DIR
from galien.cli import main
from galien.cli.scaffold import ScaffoldError, create_issue

pytestmark = pytest.mark.fast


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / 'issues').mkdir()
    shutil.copy(PROJECT_DIR / 'issues/020.md', tmp_path / 'issues/020.md')
    return tmp_path


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding='utf-8').split('---')[1])


def test_next_issue_follows_the_latest(project):
    path = create_issue(project)
    assert path == project / 'issues/021.md'
    assert front_matter(path) == {'numero': 21, 'date': '2018-03', 'titre': '', 'brouillon': 'oui'}
    text = path.read_text(encoding='utf-8')
    assert '```{chiffre-du-mois}' in text and '```{footbibliography}' in text
    assert '- Dr M. Yilmaz (Lille)' in text  # the latest board is carried over
    assert front_matter(create_issue(project))['date'] == '2018-04'


def test_december_is_followed_by_january(project):
    create_issue(project, numero=30, date='2018-12')
    assert front_matter(create_issue(project))['date'] == '2019-01'


def test_existing_issue_is_never_overwritten(project):
    before = (project / 'issues/020.md').read_bytes()
    with pytest.raises(ScaffoldError, match='existe déjà'):
        create_issue(project, numero=20)
    assert (project / 'issues/020.md').read_bytes() == before


def test_bad_date_is_refused(project):
    with pytest.raises(ScaffoldError, match='AAAA-MM'):
        create_issue(project, date='mars 2018')
    assert not (project / 'issues/021.md').exists()


def test_command_line_reports_in_french(project, capsys):
    assert main(['new', '--project', str(project)]) == 0
    assert 'Créé : issues/021.md' in capsys.readouterr().out
    assert main(['new', '--project', str(project), '--numero', '21']) == 1
    assert "issues/021.md existe déjà : rien n'a été écrit" in capsys.readouterr().err


@pytest.mark.slow  # a subprocess build or a real component
def test_make_new_issue(project):
    shutil.copy(PROJECT_DIR / 'Makefile', project)
    shutil.copytree(
        PROJECT_DIR / 'extensions',
        project / 'extensions',
        ignore=shutil.ignore_patterns('__pycache__'),
    )
    shutil.copytree(PROJECT_DIR / 'requirements', project / 'requirements')
    requirements = project / 'requirements' / 'runtime.txt'
    os.utime(requirements, (0, 0))  # older than the venv's stamp: no reinstall
    stamp = Path(sys.prefix) / '.requirements-runtime.txt'
    if not stamp.exists():
        pytest.fail('the test venv was not made by the Makefile: run make test')
    result = subprocess.run(
        ['make', '--no-print-directory', 'new-issue', f'VENV={sys.prefix}'],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert front_matter(project / 'issues/021.md')['numero'] == 21


def test_issues_folder_follows_the_configuration(tmp_path, capsys):
    (tmp_path / 'conf.py').write_text("galien_issues_dir = 'numeros'\n", encoding='utf-8')
    (tmp_path / 'numeros').mkdir()
    shutil.copy(PROJECT_DIR / 'issues/020.md', tmp_path / 'numeros/020.md')
    assert main(['new', '--project', str(tmp_path)]) == 0
    assert 'Créé : numeros/021.md' in capsys.readouterr().out
    assert front_matter(tmp_path / 'numeros/021.md')['numero'] == 21
    assert not (tmp_path / 'issues').exists()


def test_missing_configured_folder_is_named(tmp_path):
    (tmp_path / 'conf.py').write_text("galien_issues_dir = 'numeros'\n", encoding='utf-8')
    with pytest.raises(ScaffoldError, match='pas de dossier numeros/ dans'):
        create_issue(tmp_path)
