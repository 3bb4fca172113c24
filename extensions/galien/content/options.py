"""Directive options that name an editor's misspelt option in our own words.

MyST and docutils reject an unknown option themselves (``myst.directive_option``),
outside the ``galien`` warning type that editors can filter and that ``make check``
explains. An :class:`OptionSpec` accepts every option at parse time, so that the
directive can report the unknown ones with its file, line and allowed options.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils.parsers.rst import directives


class OptionSpec(dict[str, Callable[[str], Any]]):
    """An ``option_spec`` whose unknown keys parse as plain text instead of failing."""

    def __bool__(self) -> bool:
        # MyST only reads an options block when the spec is truthy, even if empty.
        return True

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return directives.unchanged

    def unknown(self, options: dict[str, Any]) -> list[str]:
        """The options given that the directive does not define."""
        return sorted(name for name in options if name not in self.keys())
