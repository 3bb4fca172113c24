"""Every warning the extension gives has a subtype of the one enumeration, and each member is used.

``make check`` turns warnings into failures: an editor reading ``[galien.xxx]``
must find ``galien.xxx`` explained in the guide, whose table is made from
:class:`galien.core.subtypes.Subtype` (``tests/test_guide.py`` checks the page).
Here the code is read as Python (its syntax tree), not as text: a ``subtype=``
argument, a subtype given to a ``refuse`` helper or set on a re-typed log record
must be a member of the enumeration, never a bare string.
"""

from __future__ import annotations

import ast
import re

import pytest

from conftest import PROJECT_DIR
from galien.core.subtypes import Subtype

pytestmark = pytest.mark.fast


EXTENSION = PROJECT_DIR / 'extensions' / 'galien'
#: Calls whose ``subtype=`` is a MIME subtype (e-mail parts), not a warning's.
MIME_CALLS = {'set_content', 'add_alternative', 'body_part'}


def called_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, 'id', '')


def subtype_arguments(tree: ast.AST) -> list[ast.expr]:
    """The expressions a module gives as a warning's subtype."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and called_name(node) not in MIME_CALLS:
            found += [kw.value for kw in node.keywords if kw.arg == 'subtype']
            if called_name(node) == 'refuse' and len(node.args) >= 2:
                found.append(node.args[1])
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for name, value in zip(target.elts, node.value.elts, strict=False):
                        if isinstance(name, ast.Attribute) and name.attr == 'subtype':
                            found.append(value)
    return found


def typed_parameters(tree: ast.AST) -> set[str]:
    """Parameters annotated ``Subtype``: passing one on is typed (mypy checks the callers)."""
    return {
        node.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.arg)
        and isinstance(node.annotation, ast.Name)
        and node.annotation.id == 'Subtype'
    }


def is_member(expression: ast.expr, typed: set[str]) -> bool:
    """Whether ``expression`` is ``Subtype.X``, a ``Subtype`` parameter, or its ``.value``."""
    if isinstance(expression, ast.Attribute) and expression.attr == 'value':
        expression = expression.value
    if isinstance(expression, ast.Name):
        return expression.id in typed
    return member_named(expression) is not None


def member_named(expression: ast.expr) -> Subtype | None:
    """The member ``Subtype.X`` names, else ``None``."""
    if (
        isinstance(expression, ast.Attribute)
        and isinstance(expression.value, ast.Name)
        and expression.value.id == 'Subtype'
    ):
        return Subtype[expression.attr]
    return None


def used_subtypes() -> tuple[set[Subtype], list[str]]:
    """The members the code uses, and where it gives a subtype that is not a member."""
    used: set[Subtype] = set()
    strays: list[str] = []
    for path in sorted(EXTENSION.rglob('*.py')):
        tree = ast.parse(path.read_text(encoding='utf-8'))
        typed = typed_parameters(tree)
        for expression in subtype_arguments(tree):
            if not is_member(expression, typed):
                where = path.relative_to(PROJECT_DIR)
                strays.append(f'{where}:{expression.lineno}: {ast.unparse(expression)}')
        used |= {
            Subtype[node.attr]
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == 'Subtype'
        }
    return used, strays


def test_every_subtype_given_in_the_code_is_a_member_of_the_enumeration():
    used, strays = used_subtypes()
    assert strays == []
    assert {Subtype.EN_TETE, Subtype.LIEN, Subtype.MATH, Subtype.CITATION} <= used


def test_every_member_is_used_so_the_guide_lists_no_dead_subtype():
    used, _strays = used_subtypes()
    assert sorted(set(Subtype) - used) == []


def test_members_are_one_language_one_form_and_each_has_its_entry():
    for member in Subtype:
        assert re.fullmatch(r'[a-z]+(-[a-z]+)*', member.value), member
        assert len(member.description) > 20, member
    assert len({member.value for member in Subtype}) == len(Subtype)
    # The English subtypes of before are gone: output says the French one.
    assert {'front-matter', 'draft', 'encoding', 'reference-style'}.isdisjoint(set(Subtype))


def test_a_member_is_its_string_in_a_warning():
    assert f'[galien.{Subtype.BROUILLON}]' == '[galien.brouillon]'
    assert Subtype('en-tete') is Subtype.EN_TETE
