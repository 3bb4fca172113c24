"""Ctrl-C and a full disk end ``make`` with one French line, and the next build recovers.

Each test copies the project (its issue N° 20, and more issues made from it) into
a temporary folder and runs ``make`` there as an editor does, in its own process
group: Ctrl-C is ``SIGINT`` to the whole group, as a terminal sends it. The full
disk is a real one (a small ``tmpfs`` mounted as the build folder, as root) or a
file larger than ``ulimit -f`` allows (``EFBIG``, ``SIGXFSZ`` ignored). After the
failure, ``make`` again must give byte for byte what a clean build gives.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from helpers import pdftotext

PROJECT_DIR = Path(__file__).resolve().parent.parent
COPIED = (
    'Makefile',
    'conf.py',
    'index.md',
    'chiffres.md',
    'medicaments.md',
    'references.bib',
    'requirements',
    '_static',
    'archives',
    'issues',
    'extensions',
)
INTERRUPTED = 'Construction interrompue (Ctrl-C) : relancez « make {target} »'
#: What GNU make itself says when its recipe fails or is interrupted: not ours to change.
MAKE_REPORT = re.compile(r'make(\[\d+\])?: \*\*\* ')
PYTHON_NOISE = ('Traceback', 'Interrupted!', 'Exception occurred', 'KeyboardInterrupt')


def project_copy(destination: Path, extra_issues: int = 0) -> Path:
    """The project as an editor has it, with ``extra_issues`` more issues made from N° 20."""
    destination.mkdir(parents=True)
    for name in COPIED:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns('__pycache__')
            )
        else:
            shutil.copy2(source, destination / name)
    (destination / '.venv').symlink_to(PROJECT_DIR / '.venv')
    model = (PROJECT_DIR / 'issues' / '020.md').read_text(encoding='utf-8')
    for numero in range(21, 21 + extra_issues):
        text = model.replace('numero: 20\n', f'numero: {numero}\n', 1)
        (destination / 'issues' / f'{numero:03d}.md').write_text(text, encoding='utf-8')
    return destination


def make_command(*arguments: str) -> list[str]:
    # The shared .venv is already installed: never let make reinstall it.
    return ['make', '--no-print-directory', '-o', '.venv/.requirements-runtime.txt', *arguments]


def make_env() -> dict[str, str]:
    return {'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'HOME': os.environ.get('HOME', '/root')}


def make(project: Path, *arguments: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        make_command(*arguments),
        cwd=project,
        env=make_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
        **kwargs,  # type: ignore[arg-type]
    )


def make_and_interrupt(project: Path, target: str, when: str, tmp_path: Path) -> tuple[int, str]:
    """``make target``, Ctrl-C as soon as its output or a file shows ``when``; (status, stderr)."""
    out, err = tmp_path / f'{target}.out', tmp_path / f'{target}.err'
    with out.open('w') as stdout, err.open('w') as stderr:
        process = subprocess.Popen(
            make_command(target),
            cwd=project,
            env=make_env(),
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and process.poll() is None:
            if when in out.read_text(encoding='utf-8', errors='replace') or any(project.glob(when)):
                break
            time.sleep(0.05)
        assert process.poll() is None, f'the build ended before {when!r}:\n{out.read_text()}'
        os.killpg(process.pid, signal.SIGINT)
        status = process.wait(timeout=600)
    return status, err.read_text(encoding='utf-8') + out.read_text(encoding='utf-8')


def assert_one_french_line(output: str, line_start: str) -> None:
    """Our one line, make's own reports, and nothing from Python."""
    for noise in PYTHON_NOISE:
        assert noise not in output, output
    ours = [line for line in output.splitlines() if line.startswith(line_start)]
    assert len(ours) == 1, output


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob('*'))
        if path.is_file()
    }


def clean_build(project: Path, target: str, build_dir: str = '_build') -> None:
    shutil.rmtree(project / build_dir, ignore_errors=True)
    result = make(project, target, f'BUILDDIR={build_dir}')
    assert result.returncode == 0, result.stdout + result.stderr


def edit_every_issue(project: Path) -> None:
    """An ordinary edit of every issue, so that the next build reads and writes them all."""
    for path in sorted((project / 'issues').glob('*.md')):
        text = path.read_text(encoding='utf-8')
        path.write_text(text + '\nUne phrase ajoutée.\n', encoding='utf-8')


@pytest.mark.parametrize('when', ['reading sources... [', 'writing output... ['])
def test_ctrl_c_during_make_html(tmp_path, when):
    project = project_copy(tmp_path / 'project', extra_issues=20)
    clean_build(project, 'html')
    edit_every_issue(project)

    status, output = make_and_interrupt(project, 'html', when, tmp_path)
    assert status != 0
    assert_one_french_line(output, INTERRUPTED.format(target='html'))
    stderr = (tmp_path / 'html.err').read_text(encoding='utf-8').splitlines()
    assert all(
        line.startswith(INTERRUPTED.format(target='html')) or MAKE_REPORT.match(line)
        for line in stderr
    ), stderr

    again = make(project, 'html')
    assert again.returncode == 0, again.stdout + again.stderr
    recovered = tree_bytes(project / '_build' / 'html')
    clean_build(project, 'html')
    assert tree_bytes(project / '_build' / 'html') == recovered


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB file system, mounted as root; unmounted after the test."""
    mount_point = tmp_path / 'disk'
    mount_point.mkdir()
    result = subprocess.run(
        ['mount', '-t', 'tmpfs', '-o', 'size=2M', 'tmpfs', str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f'cannot mount a small tmpfs here (root needed): {result.stderr.strip()}')
    try:
        yield mount_point
    finally:
        subprocess.run(['umount', str(mount_point)], check=False)


def test_full_disk_while_writing_pages(tmp_path, small_disk):
    project = project_copy(tmp_path / 'project', extra_issues=20)
    result = make(project, 'html', f'BUILDDIR={small_disk}')
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert_one_french_line(output, "Disque plein : la construction s'est arrêtée")
    # The build ends with that line (then make's own report); Sphinx's warnings about
    # the files it could not write may come before it.
    last = [line for line in result.stderr.splitlines() if not MAKE_REPORT.match(line)][-1]
    assert last.startswith("Disque plein : la construction s'est arrêtée"), last
    assert last.endswith(
        'relancez la même commande : elle relit et réécrit tout, rien ne reste à moitié écrit.'
    ), last

    subprocess.run(['mount', '-o', 'remount,size=256M', str(small_disk)], check=True)
    again = make(project, 'html', f'BUILDDIR={small_disk}')
    assert again.returncode == 0, again.stdout + again.stderr
    assert 'WARNING' not in again.stderr, again.stderr
    recovered = tree_bytes(small_disk / 'html')
    for child in small_disk.iterdir():
        shutil.rmtree(child)
    result = make(project, 'html', f'BUILDDIR={small_disk}')
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_bytes(small_disk / 'html') == recovered


def test_file_too_large_while_pickling_the_environment(tmp_path):
    """``ulimit -f`` just below the pickled environment: ``EFBIG`` while Sphinx saves it."""
    project = project_copy(tmp_path / 'project', extra_issues=20)
    clean_build(project, 'html')
    pickle_size = (project / '_build' / 'doctrees' / 'environment.pickle').stat().st_size
    largest_doctree = max(p.stat().st_size for p in (project / '_build').rglob('*.doctree'))
    assert largest_doctree < pickle_size - 1024
    edit_every_issue(project)

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (pickle_size - 1024, pickle_size - 1024))

    result = make(project, 'html', preexec_fn=limit_file_size)
    assert result.returncode != 0
    assert 'pickling environment... failed' in result.stdout
    assert_one_french_line(result.stderr + result.stdout, 'Fichier trop grand pour le disque')

    again = make(project, 'html')
    assert again.returncode == 0, again.stdout + again.stderr
    recovered = tree_bytes(project / '_build' / 'html')
    clean_build(project, 'html')
    assert tree_bytes(project / '_build' / 'html') == recovered


@pytest.mark.slow
def test_ctrl_c_during_make_latexpdf(tmp_path):
    """Ctrl-C while LuaLaTeX runs: make and latexmk stop, Python says one line."""
    project = project_copy(tmp_path / 'project')
    status, output = make_and_interrupt(
        project, 'latexpdf', '_build/latex/galien-020.job/*.log', tmp_path
    )
    assert status != 0
    assert_one_french_line(output, INTERRUPTED.format(target='latexpdf'))

    again = make(project, 'latexpdf')
    assert again.returncode == 0, again.stdout + again.stderr
    pdf = project / '_build' / 'latex' / 'galien-020.pdf'
    recovered = pdftotext(pdf)
    clean_build(project, 'latexpdf')
    assert pdftotext(pdf) == recovered
    assert 'Deep Learning' in recovered
