"""Formulas stay formulas: only an allow-list of TeX reaches LuaLaTeX and MathJax.

The print edition hands a formula (``{math}`` role and directive, ``.. math::``
and ``:math:`` in ``{eval-rst}``) to LuaLaTeX as it is, and TeX is a
programming language: ``\\input{/etc/passwd}`` would print a file of the build
machine, ``\\directlua`` run code. So each formula is cut into TeX tokens and
kept only if every token is on the list below (letters, digits, ordinary
signs, grouping braces, ``^`` and ``_``, a fixed set of commands and
environments). Anything else, a comment sign ``%``, ``^^`` notation, unbalanced
braces or an over-long formula, is refused: a ``galien.math`` warning at the
formula's line, and the formula is shown as its source text in every edition.

``$…$`` is not the letter's formula syntax (MyST's ``dollarmath`` is off), but
editors who know Jupyter or Quarto type it: TeX between dollars in the text is
said too (the text is kept as typed), with what to write instead.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def words(text: str) -> frozenset[str]:
    """The space-separated words of ``text``, as a set."""
    return frozenset(text.split())


#: Longer formulas are refused (a formula of the letter is a line or two).
MAX_LENGTH = 2000

GREEK = words(
    'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu '
    'nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega '
    'Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega'
)
ARROWS = words(
    'to gets mapsto rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow '
    'longrightarrow longleftarrow Longrightarrow Longleftarrow uparrow downarrow '
    'Uparrow Downarrow nearrow searrow implies iff'
)
#: Commands of amsmath/amssymb (loaded by Sphinx) that only typeset.
COMMANDS = (
    words(
        'frac dfrac tfrac sqrt times cdot div pm mp leq geq le ge neq ne approx sim simeq '
        'equiv propto infty sum prod int iint lim sup inf log ln exp min max sin cos tan det '
        'mathrm mathbf mathit mathsf mathcal text textrm textit textbf left right quad qquad '
        'ldots cdots vdots ddots dots circ overline underline hat bar vec tilde widehat '
        'widetilde partial nabla forall exists in notin subset subseteq supset cup cap '
        'setminus emptyset ll gg prime langle rangle lfloor rfloor lceil rceil vert Vert '
        'mid parallel perp angle star ast bullet displaystyle textstyle big Big bigg Bigg '
        'binom dbinom tbinom pmod bmod'
    )
    | GREEK
    | ARROWS
)
#: Control symbols: spaces, escaped signs.
SYMBOLS = words(r', ; ! : % { } | _ & # $') | {' '}
#: Environments allowed in ``\begin{...}``, where ``&`` and ``\\`` make cells and lines.
ENVIRONMENTS = words(
    'aligned gathered cases matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix split'
)
ASCII_SIGNS = frozenset("+-=<>()[]/.,;:!?'*|")

TOKEN = re.compile(r'\\([A-Za-z]+|.)|(\s+)|(.)', re.DOTALL)


def allowed_character(char: str) -> bool:
    """Letters, digits, signs and other printable characters (``≥``, ``µ``), no controls."""
    if char.isascii():
        return char.isalnum() or char in ASCII_SIGNS
    return unicodedata.category(char)[0] in 'LNPS'


def environment_name(tokens: list[re.Match[str]], index: int) -> tuple[str, int]:
    """The ``{name}`` after ``\\begin`` or ``\\end`` at ``index``, and the index after it."""
    if index >= len(tokens) or tokens[index].group(3) != '{':
        return '', index
    end = index + 1
    while end < len(tokens) and tokens[end].group(3) not in (None, '}'):
        end += 1
    if end == len(tokens) or tokens[end].group(3) != '}':
        return '', index
    return ''.join(token.group(3) for token in tokens[index + 1 : end]), end + 1


def refusal(tex: str, *, display: bool = False) -> str | None:
    """Why ``tex`` is refused, in French, or ``None`` when every token is allowed.

    ``display``: a block, which Sphinx wraps in ``split`` (``&`` and ``\\\\`` allowed).
    """
    if len(tex) > MAX_LENGTH:
        return __('formule trop longue (%d caractères, au plus %d)') % (len(tex), MAX_LENGTH)
    if '^^' in tex:
        return __('notation « ^^ » de TeX')
    tokens = [m for m in TOKEN.finditer(tex) if not m.group(2)]
    depth = 0
    environments: list[str] = []
    index = 0
    while index < len(tokens):
        command, _space, char = tokens[index].groups()
        index += 1
        if command is not None:
            if command in ('begin', 'end'):
                name, index = environment_name(tokens, index)
                if name not in ENVIRONMENTS:
                    return __('environnement non autorisé : \\%s{%s}') % (command, name)
                if command == 'begin':
                    environments.append(name)
                elif not environments or environments.pop() != name:
                    return __('\\end{%s} sans le \\begin correspondant') % name
            elif command == '\\':
                if not (environments or display):
                    return __('« \\\\ » hors d’un environnement (aligned, cases, matrix…)')
            elif command not in COMMANDS and command not in SYMBOLS:
                return __('commande non autorisée : \\%s') % command
            continue
        if char == '{':
            depth += 1
        elif char == '}':
            depth -= 1
            if depth < 0:
                return __('accolade fermante « } » sans accolade ouvrante')
        elif char == '%':
            return __('signe de commentaire « % » (écrivez \\% pour un pourcentage)')
        elif char == '&':
            if not (environments or display):
                return __('« & » hors d’un environnement (aligned, cases, matrix…)')
        elif char not in ('^', '_') and not allowed_character(char):
            return __('caractère non autorisé : %r') % char
    if depth:
        return __('accolades non équilibrées')
    if environments:
        return __('\\begin{%s} sans \\end') % environments[-1]
    return None


def located(node: nodes.Node) -> nodes.Node:
    """The node itself or its nearest ancestor that knows its line (inline math does not)."""
    while not node.line and node.parent is not None:
        node = node.parent
    return node


#: TeX between dollars in the text: ``$\\frac{a}{b}$``, ``$$x^2$$`` (a command or ``^``/``_``).
DOLLAR_FORMULA = re.compile(r'\$\$?[^$\n]*(?:\\[A-Za-z]|[\^_]\{)[^$\n]*\$')
#: Text that is code or a formula already: dollars there are what the editor meant.
VERBATIM = (nodes.literal, nodes.literal_block, nodes.math, nodes.math_block, nodes.raw)


def warn_dollar_formulas(doctree: nodes.document) -> None:
    """Say where the text holds TeX between dollars, which no edition reads as a formula."""
    said: set[int] = set()
    for text in doctree.findall(nodes.Text):
        parent = text.parent
        if parent is None or isinstance(parent, VERBATIM) or id(parent) in said:
            continue
        found = DOLLAR_FORMULA.search(text.astext())
        where = located(parent)
        if found is None or not where.line:  # no line: the extension's own text (masthead)
            continue
        said.add(id(parent))
        warn(
            logger,
            __(
                "« %s » s'affiche tel quel : une formule s'écrit {math}`…` dans le texte, ou "
                'avec la directive {math}, pas entre $'
            ),
            found[0][:60],
            location=where,
            subtype=Subtype.MATH,
        )


def guard_math(app: Sphinx, doctree: nodes.document) -> None:
    """Replace each refused formula by its source, shown as text, with a warning."""
    warn_dollar_formulas(doctree)
    formulas: list[nodes.Element] = [*doctree.findall(nodes.math)]
    formulas += doctree.findall(nodes.math_block)
    for node in formulas:
        tex = node.astext()
        reason = refusal(tex, display=isinstance(node, nodes.math_block))
        if reason is None and isinstance(node, nodes.math_block) and node.get('nowrap'):
            reason = __('option :nowrap: (la formule irait à LaTeX sans être une formule)')
        if reason is None:
            continue
        warn(
            logger,
            __('formule refusée, affichée comme du texte : %s'),
            reason,
            location=located(node),
            subtype=Subtype.MATH,
        )
        shown = tex.strip('\n')
        if isinstance(node, nodes.math_block):
            replacement: nodes.Element = nodes.literal_block(shown, shown)
        else:
            replacement = nodes.literal(shown, shown)
        replacement['classes'] = ['galien-math-refused']
        replacement.source, replacement.line = node.source, node.line
        node.replace_self(replacement)


def setup(app: Sphinx) -> None:
    app.connect('doctree-read', guard_math)
