"""Characters the print edition cannot print, replaced in the PDF with a warning.

The letter is set by LuaLaTeX with fonts that print Latin, Greek, Vietnamese,
arrows, mathematical signs, super- and subscripts (``fonts.py``). A character
none of them has (an emoji, a Chinese name in the board) would silently
vanish from the PDF (LuaLaTeX only logs "Missing character"); under pdfLaTeX
it would stop the PDF with an ``inputenc`` error that points at a ``.tex``
line, not at the Markdown. The website and the ePub keep such characters;
before the LaTeX writer runs, this post-transform replaces them with ``?`` and
tells the editor which file and line to fix. What counts as printable follows
``latex_engine``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.texescape import tex_replacements, unicode_tex_replacements

from galien.content.blocks import galien_block
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.print.fonts import read_coverage

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

REPLACEMENT = '?'

# What pdfLaTeX prints with Sphinx's preamble (utf8 inputenc, T1 and TS1 fonts):
# Latin-1, Latin Extended-A (as t1enc.dfu defines it), the usual punctuation, and
# what Sphinx escapes itself.
_RANGES = ((0x20, 0x7E), (0xA0, 0x17F))
_MISSING_FROM_T1 = '\u0126\u0127\u0138\u013f\u0140\u0149\u0166\u0167\u017f'
_EXTRA = (
    '\t\n\r'
    '\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026'
    '\u2030\u2039\u203a\u20ac\u2122\u2116'
)
PDFLATEX_PRINTABLE = frozenset(
    {chr(code) for start, end in _RANGES for code in range(start, end + 1)} - set(_MISSING_FROM_T1)
    | set(_EXTRA)
    | {char for char, _tex in (*tex_replacements, *unicode_tex_replacements)}
)
# What LuaLaTeX prints with the letter's fonts (every style has a glyph for it).
LUALATEX_PRINTABLE = read_coverage() | frozenset('\t\n\r')


def printable_characters(engine: str) -> frozenset[str]:
    """The characters the print edition prints with ``engine``."""
    return LUALATEX_PRINTABLE if engine == 'lualatex' else PDFLATEX_PRINTABLE


def unprintable(text: str, engine: str = 'lualatex') -> list[str]:
    """The characters of ``text`` the PDF cannot print, in order, once each."""
    chars = printable_characters(engine)
    return list(dict.fromkeys(c for c in text if c not in chars))


def printable(text: str, engine: str = 'lualatex') -> str:
    chars = printable_characters(engine)
    return ''.join(c if c in chars else REPLACEMENT for c in text)


def describe(chars: list[str]) -> str:
    return ', '.join(f'{c!r} (U+{ord(c):04X})' for c in chars)


class UnprintableCharacters(SphinxPostTransform):
    """Replace what the PDF cannot print, in text and in the blocks' labels."""

    default_priority = 900
    builders = ('latex',)

    def run(self, **kwargs: Any) -> None:
        engine = self.config.latex_engine
        for text in list(self.document.findall(nodes.Text)):
            bad = unprintable(str(text), engine)
            if bad and text.parent is not None:
                self._warn(bad, text.parent)
                text.parent.replace(text, nodes.Text(printable(str(text), engine)))
        for block in self.document.findall(galien_block):
            bad = unprintable(block.get('label', ''), engine)
            if bad:
                self._warn(bad, block)
                block['label'] = printable(block['label'], engine)

    def _warn(self, chars: list[str], node: nodes.Node) -> None:
        warn(
            logger,
            __(
                'caractère(s) impossible(s) à imprimer en PDF : %s, remplacé(s) par « %s » '
                'dans le PDF (le site et l’ePub les gardent)'
            ),
            describe(chars),
            REPLACEMENT,
            location=node,
            subtype=Subtype.LATEX,
        )


def setup(app: Sphinx) -> None:
    app.add_post_transform(UnprintableCharacters)
