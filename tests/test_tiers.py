"""The fast tier's guard: which commands a fast test may not start (tests/conftest.py)."""

from __future__ import annotations

import sys

import pytest

from conftest import slow_command

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ('command', 'reason'),
    [
        (['make', 'html'], 'make'),
        ('latexmk -lualatex galien-020.tex', 'latexmk'),
        (['/usr/bin/chromium', '--headless'], 'chromium'),
        (['java', '-jar', '/usr/bin/epubcheck'], 'java'),
        ([sys.executable, '-m', 'sphinx', '-M', 'html', '.', '_build'], 'python -m sphinx'),
        ([sys.executable, '-X', 'utf8', '-m', 'galien', 'build'], 'python -m galien build'),
    ],
)
def test_builds_and_real_components_are_refused(command, reason):
    assert slow_command(command) == reason


@pytest.mark.parametrize(
    'command',
    [
        ['git', 'log', '-1'],
        [sys.executable, '-m', 'galien', 'new', '--numero', '21'],
        [sys.executable, '-c', 'print(1)'],
        [],
    ],
)
def test_quick_commands_are_allowed(command):
    assert slow_command(command) is None
