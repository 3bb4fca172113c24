"""Shared fixtures: Sphinx's testing fixtures, our test roots, the extension on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = TESTS_DIR.parent
sys.path[:0] = [str(PROJECT_DIR / 'extensions'), str(TESTS_DIR), str(TESTS_DIR / 'bench')]

pytest_plugins = ['sphinx.testing.fixtures']


@pytest.fixture(scope='session')
def rootdir() -> Path:
    return TESTS_DIR / 'roots'
