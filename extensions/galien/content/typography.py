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
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

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


def is_french(config: Config) -> bool:
    return (config.language or '').startswith('fr')


def typeset(config: Config, text: str) -> str:
    """``text`` as the letter's language writes it, for text outside any doctree.

    The feed's entries, the ePub's cover and the e-mail's preheader are made of
    strings, not nodes: they go through here instead of the transforms below.
    """
    return french_spacing(text) if is_french(config) else text


def space_document(document: nodes.Node) -> None:
    """Apply :func:`french_spacing` to the prose of ``document``, not to code or URLs."""
    for text in list(document.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, _VERBATIM):
            continue
        if isinstance(parent, nodes.reference) and text == parent.get('refuri'):
            continue
        spaced = french_spacing(str(text))
        if spaced != text:
            parent.replace(text, nodes.Text(spaced))


class FrenchSpacingTransform(SphinxTransform):
    """French documents are spaced as they are read, so titles and tables of contents are too."""

    default_priority = 510  # after IssuePageTransform, so generated text is spaced too

    def apply(self, **kwargs: Any) -> None:
        if is_french(self.config):
            space_document(self.document)


def space_resolved_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """What the editions add while writing (listings, links between issues) is spaced too.

    Connected with a late priority: it runs after every other ``doctree-resolved``
    handler, whatever the edition.
    """
    if is_french(app.config):
        space_document(doctree)


def setup(app: Sphinx) -> None:
    app.add_transform(FrenchSpacingTransform)
    app.connect('doctree-resolved', space_resolved_doctree, priority=900)
