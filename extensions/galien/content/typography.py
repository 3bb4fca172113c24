"""French typography: non-breaking spaces where French puts them.

Editors type ordinary spaces and apostrophes; this transform makes ``'`` after
a letter the typographic apostrophe (so smart quotes never take it for a
closing quote before bold text), binds ``:``, ``;``, ``!``, ``?``,
``%`` and ``»`` to the word before and ``«`` to the word after, and ``N° 20``
together, so no output breaks a line at the wrong place. Code and URLs are
left alone.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

NBSP = '\u00a0'
_RULES = (
    (re.compile(r"(?<=\w)'"), '’'),  # l'oncologie: an apostrophe, never a quote
    (re.compile(r'(?<=\S) +(?=[:;!?»%])'), NBSP),
    (re.compile(r'(?<=«) +'), NBSP),
    (re.compile(r'(?<=N°) +(?=\d)'), NBSP),
)
_VERBATIM = (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.math, nodes.comment)


def french_spacing(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class FrenchSpacingTransform(SphinxTransform):
    """Apply :func:`french_spacing` to the prose of French documents."""

    default_priority = 510  # after IssuePageTransform, so generated text is spaced too

    def apply(self, **kwargs: Any) -> None:
        if not (self.config.language or '').startswith('fr'):
            return
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or isinstance(parent, _VERBATIM):
                continue
            if isinstance(parent, nodes.reference) and text == parent.get('refuri'):
                continue
            spaced = french_spacing(str(text))
            if spaced != text:
                parent.replace(text, nodes.Text(spaced))
