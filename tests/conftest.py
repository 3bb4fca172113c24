"""Shared fixtures: Sphinx's testing fixtures, our test roots, the extension on sys.path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

TESTS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = TESTS_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / 'extensions'), str(TESTS_DIR), str(TESTS_DIR / 'bench')]

pytest_plugins = ['sphinx.testing.fixtures']


@pytest.fixture(scope='session')
def rootdir() -> Path:
    return TESTS_DIR / 'roots'


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
