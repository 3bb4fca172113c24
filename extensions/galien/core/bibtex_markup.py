"""LaTeX in the fields of ``references.bib``: the commands references use, and no other.

Reference managers write LaTeX into what they export: Zotero's titles carry
``\\textit{EGFR}``, others ``50\\,\\%`` or ``\\textgreater{}``. pybtex decodes
accents and escaped characters (latexcodec) and leaves any other command as
text, so the letter printed « Untreated \\textit EGFR-Mutated ». The commands
below become italics, bold, superscripts, subscripts or a character, in every
edition; any other is taken out of its field when the file is read (its
argument stays), with a warning at the field's line
(:func:`galien.content.bibreader.refuse_unknown_commands`).
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, cast

import latexcodec  # noqa: F401  (registers the 'ulatex' codec)
from pybtex.exceptions import PybtexError
from pybtex.richtext import BaseMultipartText, Protected, String, Tag, Text

if TYPE_CHECKING:
    from collections.abc import Callable

    from pybtex.richtext import BaseText

#: Commands whose argument is printed in a style (pybtex's tags, docutils' nodes).
STYLES = {
    'textit': 'em', 'emph': 'em', 'textsl': 'em', 'mathit': 'em',
    'textbf': 'strong', 'mathbf': 'strong',
    'textsuperscript': 'sup', 'textsubscript': 'sub',
}  # fmt: skip
#: Commands whose argument is printed as it is.
PLAIN = frozenset({
    'textrm', 'textup', 'textnormal', 'textsf', 'texttt', 'textsc', 'textmd', 'mathrm', 'text',
    'mbox', 'ensuremath',
})  # fmt: skip
#: Commands that are one character (or a space, or nothing).
SYMBOLS = {
    ',': '\u202f', ' ': ' ', '@': '', '/': '', '-': '', '$': '$', '%': '%', '&': '&', '#': '#',
    '_': '_',
    'textgreater': '>', 'textless': '<', 'dots': '…', 'textmu': 'µ', 'ge': '≥', 'geq': '≥',
    'le': '≤', 'leq': '≤', 'pm': '±', 'times': '×', 'alpha': 'α', 'beta': 'β', 'gamma': 'γ',
    'delta': 'δ', 'epsilon': 'ε', 'kappa': 'κ', 'lambda': 'λ', 'mu': 'μ', 'pi': 'π',
    'sigma': 'σ', 'tau': 'τ', 'omega': 'ω', 'Delta': 'Δ',
}  # fmt: skip
COMMANDS = frozenset(STYLES) | PLAIN | frozenset(SYMBOLS)

#: latexcodec's decoder, as pybtex applies it (typeshed types codecs.decode for bytes only).
decode_latex = cast('Callable[[str, str], str]', codecs.decode)
#: A command: a name of letters (spaces after it are part of it, as in TeX) or one sign.
COMMAND = re.compile(r'\\(?:([A-Za-z]+)\s*|([^A-Za-z]))')
#: A style or plain command at the end of a piece of text, before its braced argument.
TRAILING_COMMAND = re.compile(r'\\([A-Za-z]+)\s*$')


def unknown_commands(latex: str) -> list[str]:
    """The commands left in ``latex`` once latexcodec has decoded it, not on this module's list.

    Read after decoding, as pybtex will: ``\\c{c}`` is ``ç`` but a ``\\c`` with nothing to
    put its cedilla under stays a command.
    """
    try:
        decoded = decode_latex(latex, 'ulatex')
    except ValueError:
        decoded = latex
    found: dict[str, None] = {}
    for match in COMMAND.finditer(decoded):
        name = match[1] or match[2]
        if name not in COMMANDS:
            found[name] = None
    return list(found)


def style_commands(latex: str) -> list[str]:
    """The style and plain commands of ``latex``: a name prints without them."""
    return [
        name
        for match in COMMAND.finditer(latex)
        if (name := match[1] or match[2]) in STYLES or name in PLAIN
    ]


def without_commands(latex: str, names: list[str]) -> str:
    """``latex`` with the commands ``names`` taken out; their arguments stay."""
    refused = set(names)
    return COMMAND.sub(lambda m: '' if (m[1] or m[2]) in refused else m[0], latex)


def rich_text(latex: str) -> Text:
    """A field's value as pybtex rich text, the commands of this module applied."""
    styled = styled_parts(Text.from_latex(latex))
    assert isinstance(styled, Text)
    return styled


def styled_parts(text: BaseMultipartText) -> BaseMultipartText:
    """``text`` with each style command applied to the braced group after it."""
    parts: list[BaseText] = []
    style: str | None = None  # a command read, waiting for its argument
    for part in text.parts:
        if isinstance(part, String):
            value = part.value
            style = None
            trailing = TRAILING_COMMAND.search(value)
            if trailing is not None and (trailing[1] in STYLES or trailing[1] in PLAIN):
                value, style = value[: trailing.start()], STYLES.get(trailing[1], '')
            parts.append(String(symbols(value)))
        elif isinstance(part, Protected) and style is not None:
            inner = styled_parts(part)
            parts.append(Tag(style, inner) if style else inner)
            style = None
        elif isinstance(part, BaseMultipartText):
            parts.append(styled_parts(part))
            style = None
        else:
            parts.append(part)
            style = None
    return text._create_similar(parts)


def symbols(value: str) -> str:
    """``value`` with each symbol command replaced by its character.

    A style command left here has no braced argument (``\\textit x``): it is dropped.
    """
    return COMMAND.sub(lambda m: command_text(m[1] or m[2], m[0]), value)


def command_text(name: str, typed: str) -> str:
    if name in SYMBOLS:
        return SYMBOLS[name]
    return '' if name in STYLES or name in PLAIN else typed


def plain_text(latex: str) -> str:
    """A field's value as text, without braces or styles (``Rav{\\`i}`` is ``Ravì``)."""
    try:
        text = rich_text(latex).render_as('text')
    except PybtexError:  # unbalanced braces: as typed
        text = latex
    return ' '.join(text.replace('{', '').replace('}', '').split())
