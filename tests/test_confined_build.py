"""Defence in depth: code running in the build still reads and writes nothing outside.

Below every allow-list, as a hostile construct that got past them would run:

* Sphinx: ``roots/test-confined``'s ``conf.py`` tries, during the build, to read
  a file beside the project, write beside it and into it, leave a file in
  ``/tmp``, see the test's own process, open a connection and read the relay's
  password from its environment; built with
  ``python -m galien build`` (as ``make`` does), under bubblewrap.
* LaTeX: an issue's ``.tex`` gets Lua that reads and writes where it likes, with
  the TeX and Lua restrictions of ``latexmkrc`` and ``galien-sandbox.lua`` taken
  away, and is compiled by the print edition's Makefile, under bubblewrap.

Each is also run without bubblewrap, to show that the attempt is real: there,
it succeeds.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from archive import write_archive
from conftest import PROJECT_DIR, TESTS_DIR
from helpers import pdftotext, require_tool, run_sphinx

pytestmark = pytest.mark.skipif(
    shutil.which('bwrap') is None, reason='bubblewrap (bwrap) is not installed'
)

SECRET = 'SECRET-A-COTE-DU-PROJET-5d1e'


def galien_build(
    source: Path, build: Path, path: str = '/usr/bin:/bin', **environment: str
) -> tuple[dict[str, object], str]:
    """``python -m galien build -M html``, with the probe's settings; what the probe saw, and
    the build's error output."""
    result = subprocess.run(
        [sys.executable, '-m', 'galien', 'build', '-M', 'html', str(source), str(build), '-q'],
        capture_output=True,
        text=True,
        check=False,
        cwd=source,
        env={
            'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
            'PATH': path,
            'LANG': 'C.UTF-8',
            **environment,
        },
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    probe = json.loads((build / 'html/probe.json').read_text(encoding='utf-8'))
    assert isinstance(probe, dict)
    return probe, result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    source = tmp_path / 'src'
    shutil.copytree(TESTS_DIR / 'roots/test-confined', source)
    (tmp_path / 'secret.txt').write_text(SECRET, encoding='utf-8')
    return source


@pytest.mark.parametrize('confined', [True, False], ids=['bubblewrap', 'without'])
def test_the_sphinx_build_reads_and_writes_nothing_outside(project, confined):
    tmp = project.parent
    name = f'galien-probe-{uuid.uuid4().hex}'
    with socket.socket() as server:
        server.bind(('127.0.0.1', 0))
        server.listen()
        probe, errors = galien_build(
            project,
            tmp / 'build',
            PROBE_PORT=str(server.getsockname()[1]),
            PROBE_NAME=name,
            PROBE_PID=str(os.getpid()),
            GALIEN_SMTP_PASSWORD='mot-de-passe-du-relais',
            # Without bubblewrap: as if the build were already the confined one.
            **({} if confined else {'GALIEN_SANDBOX': '1'}),
        )
    written = [p.name for p in (tmp / 'written.txt', project / 'written.txt') if p.exists()]
    in_tmp = Path('/tmp', name).exists()
    Path('/tmp', name).unlink(missing_ok=True)
    assert probe['write-build'] == 'ok'
    assert errors == ''
    if not confined:
        assert probe['read-parent'] == 'ok' and 'secret.txt' in probe['parent-holds']
        assert written == ['written.txt', 'written.txt'] and in_tmp
        assert probe['network'] == 'ok' and probe['host-process'] == 'ok'
        assert probe['relay-password'] == 'mot-de-passe-du-relais'
        return
    failed = ('read-parent', 'write-project', 'append-conf', 'network')
    assert all(probe[key] != 'ok' for key in failed), probe
    # The project's parent is below /tmp here: writing there writes in the sandbox's own
    # /tmp, which is gone with it (``written`` below); elsewhere it is read-only.
    assert 'secret.txt' not in probe['parent-holds'], probe
    assert probe['host-process'] == 'absent', probe
    assert probe['relay-password'] == 'absent', probe
    assert probe['write-tmp'] == 'ok' and not in_tmp  # a private /tmp
    assert written == []
    root_conf = TESTS_DIR / 'roots/test-confined/conf.py'
    assert (project / 'conf.py').read_bytes() == root_conf.read_bytes()


def test_without_bubblewrap_the_build_says_so_in_one_line_and_goes_on(project):
    name = f'galien-probe-{uuid.uuid4().hex}'
    with socket.socket() as server:
        server.bind(('127.0.0.1', 0))
        server.listen()
        probe, errors = galien_build(
            project,
            project.parent / 'build',
            path=str(project.parent),  # no bwrap there
            PROBE_PORT=str(server.getsockname()[1]),
            PROBE_NAME=name,
            PROBE_PID=str(os.getpid()),
        )
    Path('/tmp', name).unlink(missing_ok=True)
    assert errors.splitlines() == [
        "bubblewrap (bwrap) absent ou inutilisable : la construction n'est pas confinée "
        '(guide, « Maintenir » › « Sécurité »)'
    ]
    assert probe['read-parent'] == 'ok'  # not confined, as it says


#: Lua run in an issue's body, TeX's and Lua's own restrictions removed (see above).
LUA_ATTACK = r"""
\directlua{
  local function try_read(name)
    local f = io.open(name) if f then tex.print('LU:' .. f:read('l')) f:close()
    else tex.print('LECTURE-REFUSEE') end
  end
  local function try_write(name)
    local f = io.open(name, 'a') if f then f:write('x') f:close() tex.print('ECRIT:' .. name)
    else tex.print('ECRITURE-REFUSEE') end
  end
  try_read('../../secret.txt')
  try_write('Makefile') try_write('latexmkrc') try_write('galien-001.tex')
  try_write('../../src/conf.py') try_write('../../ecrit.txt')
}
"""


@pytest.fixture(scope='module')
def latex_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An issue's LaTeX folder, with TeX's restrictions and the Lua sandbox taken away."""
    tmp = tmp_path_factory.mktemp('confined-latex')
    srcdir = write_archive(tmp / 'src', 1)
    (tmp / 'secret.txt').write_text(SECRET + '\n', encoding='utf-8')
    result = run_sphinx('-M', 'latex', str(srcdir), str(tmp / 'build'), '-q')
    assert result.returncode == 0, result.stdout + result.stderr
    latex = tmp / 'build' / 'latex'
    rc = (latex / 'latexmkrc').read_text(encoding='utf-8')
    (latex / 'latexmkrc').write_text(rc.replace("= 'p';", "= 'a';"), encoding='utf-8')
    (latex / 'galien-sandbox.lua').write_text('-- removed by the test\n', encoding='utf-8')
    tex = (latex / 'galien-001.tex').read_text(encoding='utf-8')
    body = f'\nATTACKSTART\n{LUA_ATTACK}\nATTACKEND\n'
    (latex / 'attack.tex').write_text(
        tex.replace('\\end{document}', body + '\\end{document}'), encoding='utf-8'
    )
    return latex


@pytest.mark.slow
@pytest.mark.parametrize('confined', [True, False], ids=['bubblewrap', 'without'])
def test_a_latex_job_reads_and_writes_nothing_outside_its_folder(latex_dir, confined):
    tmp = latex_dir.parent.parent
    kept = {
        p: p.read_bytes()
        for p in latex_dir.iterdir()
        if p.is_file() and not p.name.startswith('attack.')
    }
    kept[tmp / 'src/conf.py'] = (tmp / 'src/conf.py').read_bytes()
    result = subprocess.run(
        [require_tool('make'), 'attack.pdf', 'PDFSTEP=true', *(() if confined else ('CONFINE=',))],
        cwd=latex_dir,
        capture_output=True,
        text=True,
        check=False,
        env={'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'HOME': os.environ.get('HOME', '/')},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = ' '.join(pdftotext(latex_dir / 'attack.pdf', layout=False).split())
    assert 'ATTACKSTART' in text and 'ATTACKEND' in text
    changed = sorted(p.name for p, data in kept.items() if p.read_bytes() != data)
    try:
        if not confined:
            assert f'LU:{SECRET}' in text
            assert changed == ['Makefile', 'conf.py', 'galien-001.tex', 'latexmkrc']
            assert (tmp / 'ecrit.txt').exists()
            return
        assert SECRET not in text and text.count('LECTURE-REFUSEE') == 1, text
        assert text.count('ECRITURE-REFUSEE') == 5, text
        assert changed == [] and not (tmp / 'ecrit.txt').exists()
        assert not (latex_dir / 'attack.job').exists()  # the job's folder, removed on success
    finally:
        for path, data in kept.items():
            path.write_bytes(data)
        (tmp / 'ecrit.txt').unlink(missing_ok=True)
        (latex_dir / 'attack.pdf').unlink(missing_ok=True)


#: Appended to the project's conf.py: the build, taken over, leaves a command in the
#: LaTeX folder's Makefile, which make runs outside the sandbox.
TAMPERING = """

def _tamper(app, exception):
    from pathlib import Path

    makefile = Path(app.outdir) / 'Makefile'
    if makefile.exists():
        with makefile.open('a', encoding='utf-8') as stream:
            stream.write('\\nPDFSTEP = touch {pwned}\\n')


def setup(app):
    app.connect('build-finished', _tamper)
"""


@pytest.mark.slow
@pytest.mark.parametrize('command', ['galien', 'sphinx'])
def test_make_runs_no_command_the_build_left_in_the_makefile(tmp_path, command):
    """``make latexpdf`` writes the Makefile again from its rules before running it.

    ``python -m sphinx -M latexpdf`` (no sandbox, no rewriting) shows the attempt
    is real.
    """
    srcdir = write_archive(tmp_path / 'src', 1)
    pwned = tmp_path / 'pwned'
    with (srcdir / 'conf.py').open('a', encoding='utf-8') as conf:
        conf.write(TAMPERING.format(pwned=pwned))
    arguments = ['-M', 'latexpdf', str(srcdir), str(tmp_path / 'build'), '-q']
    module = ['galien', 'build'] if command == 'galien' else ['sphinx']
    result = subprocess.run(
        [sys.executable, '-m', *module, *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={
            'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
            'PATH': '/usr/bin:/bin',
            'LANG': 'C.UTF-8',
            'HOME': os.environ.get('HOME', '/'),
        },
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / 'build/latex/galien-001.pdf').is_file()
    makefile = (tmp_path / 'build/latex/Makefile').read_text(encoding='utf-8')
    if command == 'sphinx':
        assert pwned.exists() and 'touch' in makefile
        return
    assert not pwned.exists()
    assert 'touch' not in makefile
