"""How deep indentation nests, in one pass: for the nesting limits of reST and YAML."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


def indented_lines(text: str) -> Iterator[tuple[str, int]]:
    """Each non-blank line of ``text`` without its indentation, and the indentation levels open.

    A line indented more than the one before opens a level; less, closes the
    levels it is back out of. Linear: each level is opened and closed once.
    """
    indents = [0]
    for line in text.splitlines():
        body = line.lstrip(' ')
        if not body.strip():
            continue
        indent = len(line) - len(body)
        while indents[-1] > indent:
            indents.pop()
        if indent > indents[-1]:
            indents.append(indent)
        yield body, len(indents)
