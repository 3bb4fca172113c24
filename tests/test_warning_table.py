"""Every kind of warning the extension gives is in the README's table, and only those.

``make check`` turns warnings into failures: an editor reading ``[galien.xxx]``
must find ``galien.xxx`` explained in « Les avertissements ».
"""

from __future__ import annotations

import re

import pytest

from conftest import PROJECT_DIR

pytestmark = pytest.mark.fast


EXTENSION = PROJECT_DIR / 'extensions' / 'galien'
#: ``subtype='...'`` in a warning, ``record.subtype = ..., '...'`` for re-typed
#: warnings, and a subtype passed first to a ``refuse(node, '...', message)`` helper.
SUBTYPE = re.compile(
    r"""subtype\s*=\s*['"]([a-z-]+)['"]"""
    r"""|\.subtype\s*=\s*[A-Z_]+,\s*['"]([a-z-]+)['"]"""
    r"""|self\.refuse\(\s*\w+,\s*['"]([a-z-]+)['"]"""
)
#: Lines that name MIME subtypes, not warnings.
MIME = re.compile(r'set_content|add_alternative')
ROW = re.compile(r'^\| `galien\.([a-z-]+)`', re.MULTILINE)


def code_subtypes() -> set[str]:
    found = set()
    for path in EXTENSION.rglob('*.py'):
        lines = path.read_text(encoding='utf-8').splitlines()
        text = '\n'.join(line for line in lines if not MIME.search(line))
        found |= {name for match in SUBTYPE.finditer(text) for name in match.groups() if name}
    return found


def test_every_warning_subtype_is_documented_in_the_readme_table():
    code = code_subtypes()
    table = set(ROW.findall((PROJECT_DIR / 'README.md').read_text(encoding='utf-8')))
    assert {'front-matter', 'lien', 'math', 'image-distante', 'citation'} <= code
    assert sorted(code - table) == []
    assert sorted(table - code) == []
