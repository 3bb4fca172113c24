"""``python -m galien.print.font_cache`` fills luaotfload's cache with every fallback font.

Run in an empty cache (``TEXMFCACHE``): afterwards each font that
``galien-fonts.lua`` names as a fallback, and the main fonts, are there, so that
no sandboxed LaTeX run of an issue has to convert one (its writes would be refused).
"""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from conftest import PROJECT_DIR
from galien.print.fonts import LUA_FILE

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def fallback_fonts() -> set[str]:
    """The font names of galien-fonts.lua's fallback chains (``'FreeSans:mode=node;'``)."""
    return set(re.findall(r"'([\w-]+):mode=node;'", LUA_FILE.read_text(encoding='utf-8')))


def test_every_font_of_the_letter_is_cached(tmp_path: Path) -> None:
    cache = tmp_path / 'cache'
    result = subprocess.run(
        [sys.executable, '-m', 'galien.print.font_cache'],
        capture_output=True,
        text=True,
        check=False,
        env={
            'PATH': '/usr/bin:/bin',
            'LANG': 'C.UTF-8',
            'HOME': str(tmp_path),
            'TEXMFCACHE': str(cache),
            'PYTHONPATH': str(PROJECT_DIR / 'extensions'),
        },
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cached = {path.stem for path in cache.rglob('*.luc')}
    expected = {name.lower() for name in fallback_fonts()}
    assert len(expected) == 6, expected
    assert expected <= cached, expected - cached
    assert {'texgyretermes-regular', 'texgyreheros-bold', 'freemono'} <= cached
