"""Shared fixtures: Sphinx's testing fixtures, our test roots, the extension on sys.path."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

TESTS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = TESTS_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / 'extensions'), str(TESTS_DIR), str(TESTS_DIR / 'bench')]

pytest_plugins = ['sphinx.testing.fixtures']


@pytest.fixture(scope='session')
def rootdir() -> Path:
    return TESTS_DIR / 'roots'


def run_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """``make(folder)`` strictly once for the whole run, whichever process asks first: ``folder``.

    Under pytest-xdist the processes share the run's temporary folder and take turns
    with a lock; the others read what the first one made.
    """
    base = tmp_path_factory.getbasetemp()
    if 'PYTEST_XDIST_WORKER' in os.environ:
        base = base.parent
    folder = base / name
    with (base / f'{name}.lock').open('w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = base / f'{name}.done'
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope='session')
def project_build(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The project built strictly once per edition for the whole run: its build folder.

    For the tests that only read the outputs of ``make html``, ``make latexpdf``...: the
    first to ask builds (``helpers.build_project``), the others read.
    """
    from helpers import build_project

    def build(edition: str) -> Path:
        return run_once(
            tmp_path_factory, f'project-{edition}', lambda folder: build_project(edition, folder)
        )

    return build


#: 1 February 2018, 00:00 UTC: the clinical issues' PDFs are dated as of that day.
CLINICAL_EPOCH = '1517443200'


@pytest.fixture(scope='session')
def clinical_print(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``make latexpdf`` of a copy of the clinical root, once for the whole run: its build
    folder (``src/``, ``latex/``, and ``warnings.txt``: what Sphinx wrote on stderr).

    For the tests that only read those PDFs (the clinical layout, PDF/A).
    """
    from test_print_edition import latexpdf

    def make(folder: Path) -> None:
        source = shutil.copytree(TESTS_DIR / 'roots' / 'test-clinical', folder / 'src')
        result = latexpdf(source, folder, SOURCE_DATE_EPOCH=CLINICAL_EPOCH)
        assert result.returncode == 0, result.stdout + result.stderr
        (folder / 'warnings.txt').write_text(result.stderr, encoding='utf-8')

    return run_once(tmp_path_factory, 'clinical-print', make)


# `make test` runs on two processes (pytest-xdist, `--dist loadfile`): a test file is one unit
# of work, so that its module-scoped builds are made once, on one process. (`loadgroup` and
# its xdist_group marks group nothing under pytest 9.2: pytest-xdist issue 1386.) The files
# with slow or browser tests are handed out first, so that the run does not end with one
# process compiling PDFs while the other waits (`--no-loadscope-reorder` keeps this order).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    heavy_files = {
        item.nodeid.partition('::')[0]
        for item in items
        if item.get_closest_marker('slow') or item.get_closest_marker('browser')
    }
    items.sort(key=lambda item: item.nodeid.partition('::')[0] not in heavy_files)


# Two tiers (`make test-fast`, `make test`). A test is in the fast tier only when its module
# says so (`pytestmark = pytest.mark.fast`) and it is neither slow nor browser: a new test
# file lands in the full tier until someone has timed it. While a fast test sets up and runs,
# it may not start a real component or a build in a subprocess: that belongs to `make test`.
#: Programs that a fast test may not start.
SLOW_PROGRAMS = frozenset(
    {
        'make',
        'latexmk',
        'lualatex',
        'luatex',
        'pdflatex',
        'xelatex',
        'rsvg-convert',
        'chromium',
        'java',
        'epubcheck',
        'node',
        'npm',
        'npx',
        'ace-cli',
        'spamassassin',
        'sphinx-build',
        'sphinx-autobuild',
    }
)
#: ``python -m MODULE`` runs that are builds: Sphinx's, and the command line's build.
SLOW_PYTHON_MODULES = (('sphinx',), ('galien', 'build'), ('galien', 'relecture'))


def slow_command(args: Any) -> str | None:
    """The reason a command has no place in the fast tier, or None."""
    if isinstance(args, str):
        words = args.split()
    elif isinstance(args, bytes | os.PathLike):
        words = [os.fsdecode(args)]
    else:
        words = [os.fsdecode(word) for word in args]
    if not words:
        return None
    program = Path(words[0]).name
    if program in SLOW_PROGRAMS:
        return program
    if program.startswith('python') and '-m' in words:
        after = words[words.index('-m') + 1 :]
        for module in SLOW_PYTHON_MODULES:
            if tuple(after[: len(module)]) == module:
                return f'python -m {" ".join(module)}'
    return None


class FastTierPopen(subprocess.Popen):  # type: ignore[type-arg]
    """``subprocess.Popen`` that refuses the fast tier's slow commands."""

    def __init__(self, args: Any, *rest: Any, **options: Any) -> None:
        reason = slow_command(args)
        if reason is not None:
            pytest.fail(
                f'{reason} started by a test of the fast tier: mark the test slow '
                '(pytest.mark.slow) or build in-process (sphinx.testing)',
                pytrace=False,
            )
        super().__init__(args, *rest, **options)


def in_fast_tier(item: pytest.Item) -> bool:
    return all(
        (item.get_closest_marker(name) is not None) == (name == 'fast')
        for name in ('fast', 'slow', 'browser')
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    if not in_fast_tier(item):
        return (yield)
    with mock.patch.object(subprocess, 'Popen', FastTierPopen):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    if not in_fast_tier(item):
        return (yield)
    with mock.patch.object(subprocess, 'Popen', FastTierPopen):
        return (yield)
