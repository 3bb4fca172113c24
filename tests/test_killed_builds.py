"""A killed ``make latexpdf`` never leaves a PDF that looks finished (issue 18, class 9).

A six-issue archive is built as the Makefile builds it (``python -m galien build -M
latexpdf``, in its own process group), and the whole group is killed with SIGKILL
(a closed laptop, a CI timeout) at moments that hit LuaLaTeX runs: while the first
run of a PDF writes it, when a second run starts over a first-pass PDF (« 1 / ?? »
in its foot), and late, with half of the PDFs done. A wrapper in front of
``lualatex`` notes each run, so that the test knows which run it kills. After each
kill, every PDF under its own name must be complete; after the last one, the
next build must succeed and give every PDF with the text and page count of a
clean build.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from archive import write_archive
from conftest import PROJECT_DIR, TESTS_DIR
from galien.print.incremental import JOB_SUFFIX
from galien.print.job_files import PART_SUFFIX
from helpers import require_tool

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow

ISSUES = 6
#: An issue's PDF under its own name (not one being made).
FINAL_PDF = re.compile(r'galien-\d{3}\.pdf')

LUALATEX_SPY = """#!/bin/sh
# Note each LuaLaTeX run (its arguments) before it starts, then run the real one.
echo "$*" >> "$LUALATEX_JOURNAL"
exec {lualatex} "$@"
"""


def spy_path(tmp_path: Path) -> tuple[str, Path]:
    """A PATH whose ``lualatex`` notes its runs in the returned journal."""
    spy = tmp_path / 'spy'
    spy.mkdir()
    (spy / 'lualatex').write_text(
        LUALATEX_SPY.format(lualatex=require_tool('lualatex')), encoding='utf-8'
    )
    (spy / 'lualatex').chmod(0o755)
    return f'{spy}:/usr/bin:/bin', tmp_path / 'lualatex-runs.txt'


def build_command(srcdir: Path, build_dir: Path) -> list[str]:
    return [sys.executable, '-m', 'galien', 'build', '-M', 'latexpdf', str(srcdir), str(build_dir)]


def build_env(path: str, journal: Path) -> dict[str, str]:
    return {
        'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
        'PATH': path,
        'LANG': 'C.UTF-8',
        'HOME': os.environ.get('HOME', '/root'),
        'LUALATEX_JOURNAL': str(journal),
        # Every PDF in two runs, as from an empty .aux, so that a kill can hit a second
        # run over a first-pass PDF (one run where one is enough: test_print_onepass.py).
        'PDFONEPASS': 'no',
        # The spy and its journal are outside the LaTeX jobs' sandbox, which
        # test_confined_build.py tests: none here.
        'CONFINE': '',
    }


def job_runs(journal: Path) -> dict[str, int]:
    """How many LuaLaTeX runs each job (``-jobname``, else the ``.tex`` name) has started."""
    runs: dict[str, int] = {}
    if not journal.is_file():
        return runs
    for line in journal.read_text(encoding='utf-8').splitlines():
        named = re.search(r'-jobname="?([^"\s]+)', line)
        tex = re.search(r'"?([^"\s/]+)\.tex"?\s*$', line)
        job = named[1] if named else tex[1] if tex else line
        runs[job] = runs.get(job, 0) + 1
    return runs


def pdf_state(pdf: Path) -> tuple[str, int] | None:
    """The PDF's text and page count, or None when poppler cannot read it (truncated)."""
    info = subprocess.run(
        [require_tool('pdfinfo'), str(pdf)], capture_output=True, text=True, check=False
    )
    text = subprocess.run(
        [require_tool('pdftotext'), str(pdf), '-'], capture_output=True, text=True, check=False
    )
    pages = re.search(r'^Pages:\s+(\d+)', info.stdout, re.MULTILINE)
    if info.returncode or text.returncode or not pages:
        return None
    return text.stdout, int(pages[1])


def final_pdfs(latex: Path) -> dict[str, tuple[str, int] | None]:
    """The state of each PDF under its own name."""
    pdfs = sorted(p for p in latex.glob('*.pdf') if FINAL_PDF.fullmatch(p.name))
    return {p.name: pdf_state(p) for p in pdfs}


def job_file(latex: Path, job: str, suffix: str) -> Path:
    """A file LaTeX writes for ``job`` (``galien-001.part``), in the job's own folder."""
    return latex / f'{job.removesuffix(PART_SUFFIX)}{JOB_SUFFIX}' / f'{job}{suffix}'


def first_run_writing_its_pdf(latex: Path, runs: dict[str, int]) -> list[Path] | None:
    """A job in its first run whose PDF has begun."""
    files = [job_file(latex, job, '.pdf') for job, count in runs.items() if count == 1]
    files = [f for f in files if f.is_file() and f.stat().st_size > 0]
    return files or None


def second_run_over_a_first_pass_pdf(latex: Path, runs: dict[str, int]) -> list[Path] | None:
    """A job in its second run, its first pass's PDF (or what it writes now) present."""
    files = [job_file(latex, job, '.pdf') for job, count in runs.items() if count >= 2]
    files = [f for f in files if f.is_file()]
    return files or None


def half_done(latex: Path, runs: dict[str, int]) -> list[Path] | None:
    """Half of the PDFs done, another one's run writing its .aux or PDF."""
    if len(final_pdfs(latex)) < ISSUES // 2:
        return None
    done = {p.stem for p in latex.glob('galien-*.pdf') if FINAL_PDF.fullmatch(p.name)}
    files = [
        job_file(latex, job, suffix)
        for job in runs
        if job.removesuffix(PART_SUFFIX) not in done
        for suffix in ('.pdf', '.aux')
        if job_file(latex, job, suffix).is_file()
    ]
    return files or None


def build_and_kill(
    srcdir: Path,
    build_dir: Path,
    path: str,
    journal: Path,
    moment: Callable[[Path, dict[str, int]], list[Path] | None],
    log: Path,
) -> list[Path]:
    """Start the build, SIGKILL its process group at ``moment`` (a function of the build
    folder and of the runs each job has started, giving the files being written)."""
    journal.unlink(missing_ok=True)
    latex = build_dir / 'latex'
    with log.open('w') as output:
        process = subprocess.Popen(
            build_command(srcdir, build_dir),
            env=build_env(path, journal),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        writing = None
        while time.monotonic() < deadline and process.poll() is None:
            writing = moment(latex, job_runs(journal)) if latex.is_dir() else None
            if writing:
                break
            time.sleep(0.02)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    assert writing, f'the build ended before {moment.__name__}:\n{log.read_text()}'
    # Killed in the middle of a LaTeX run: what it was writing is still there.
    assert [f for f in writing if f.is_file()], writing
    return writing


def test_a_killed_latexpdf_leaves_no_pdf_that_looks_finished(tmp_path):
    srcdir = write_archive(tmp_path / 'src', ISSUES)
    path, journal = spy_path(tmp_path)

    clean = tmp_path / 'clean'
    result = subprocess.run(
        build_command(srcdir, clean),
        env=build_env(path, journal),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    expected = final_pdfs(clean / 'latex')
    assert len(expected) == ISSUES and None not in expected.values()
    assert all(state and ' / ??' not in state[0] for state in expected.values())

    build = tmp_path / 'build'
    for moment in (first_run_writing_its_pdf, second_run_over_a_first_pass_pdf, half_done):
        build_and_kill(srcdir, build, path, journal, moment, tmp_path / f'{moment.__name__}.log')
        # Every PDF under its own name is complete and final, whatever the kill hit.
        for name, state in final_pdfs(build / 'latex').items():
            assert state == expected[name], f'{moment.__name__}: {name} is not complete'

    again = subprocess.run(
        build_command(srcdir, build),
        env=build_env(path, journal),
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert 'Use of uninitialized value' not in again.stdout + again.stderr
    assert final_pdfs(build / 'latex') == expected
    # Nothing is left of the killed runs.
    assert sorted(p.name for p in (build / 'latex').glob('*.part.*')) == []
    assert sorted(p.name for p in (build / 'latex').glob('*.job')) == []
    shutil.rmtree(clean)
