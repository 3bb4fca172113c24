"""The extension's messages are its own catalog's, written so a catalog can hold them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sphinx.locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from galien.core.i18n import CATALOG, __

pytestmark = pytest.mark.fast

PACKAGE = Path(__file__).parents[1] / 'extensions' / 'galien'


def message_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == '__'
    ]


def test_no_module_looks_its_messages_up_in_sphinx_catalog():
    """sphinx.locale.__ reads Sphinx's catalog, where no message of ours can ever be."""
    offenders = []
    for path in sorted(PACKAGE.rglob('*.py')):
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == 'sphinx.locale'
                and any(alias.name in {'__', '_'} for alias in node.names)
            ):
                offenders.append(f'{path.relative_to(PACKAGE)}:{node.lineno}')
    assert offenders == []


def test_every_message_is_a_literal_a_catalog_can_extract():
    """A message built at run time (f-string, concatenation) could never be translated."""
    count = 0
    not_literal = []
    for path in sorted(PACKAGE.rglob('*.py')):
        for call in message_calls(ast.parse(path.read_text(encoding='utf-8'))):
            count += 1
            first = call.args[0] if call.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                not_literal.append(f'{path.relative_to(PACKAGE)}:{call.lineno}')
    assert not_literal == []
    assert count > 150


def test_a_catalog_of_another_language_translates_the_messages(tmp_path):
    """The console namespace of the galien catalog is where a message is looked up."""
    folder = tmp_path / 'en' / 'LC_MESSAGES'
    folder.mkdir(parents=True)
    catalog = Catalog(locale='en', domain=CATALOG)
    catalog.add('Le numéro %s est un brouillon', 'Issue %s is a draft')
    with (folder / f'{CATALOG}.mo').open('wb') as mo:
        write_mo(mo, catalog)
    message = __('Le numéro %s est un brouillon')
    assert str(message) % 'N°20' == 'Le numéro N°20 est un brouillon'
    sphinx.locale.init([str(tmp_path)], 'en', CATALOG, 'console')
    try:
        assert str(message) % 'N°20' == 'Issue N°20 is a draft'
    finally:
        sphinx.locale.translators.pop(('console', CATALOG), None)
    assert str(message) % 'N°20' == 'Le numéro N°20 est un brouillon'
