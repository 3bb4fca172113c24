"""Formulas where no TeX runs: the e-mail, the ePub and the text edition.

MathJax draws the website's formulas and LuaLaTeX the PDF's; a mail client, an
e-reader or a text file would show ``\\frac{a}{b}`` as typed. For those editions each
formula (one :mod:`galien.content.math_guard` let through) is written on one line of
Unicode, as one types a formula in a message:
``\\frac{(140 - \\text{âge}) \\times \\text{poids}}{0{,}814 \\times \\text{créat}}``
becomes ``((140 − âge) × poids) / (0,814 × créat)``. A fraction's numerator and
denominator are bracketed unless each is one term, so the reading never changes;
exponents and indices of digits and signs are Unicode superscripts and subscripts
(``m²``, ``CO₂``, ``10⁻³``), others are written ``x^(n+1)``, ``Cl_cr``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from galien.content.math_guard import TOKEN, environment_name, words
from galien.core.editions import Edition, builders_of

if TYPE_CHECKING:
    import re
    from typing import Any

    from sphinx.application import Sphinx

#: The editions whose readers get the formulas as text.
TEXT_MATH_EDITIONS = (Edition.BOOK, Edition.EMAIL, Edition.TEXT, Edition.MAN)

GREEK = {
    'alpha': 'α', 'beta': 'β', 'gamma': 'γ', 'delta': 'δ', 'epsilon': 'ϵ', 'varepsilon': 'ε',
    'zeta': 'ζ', 'eta': 'η', 'theta': 'θ', 'vartheta': 'ϑ', 'iota': 'ι', 'kappa': 'κ',
    'lambda': 'λ', 'mu': 'μ', 'nu': 'ν', 'xi': 'ξ', 'omicron': 'ο', 'pi': 'π', 'varpi': 'ϖ',
    'rho': 'ρ', 'varrho': 'ϱ', 'sigma': 'σ', 'varsigma': 'ς', 'tau': 'τ', 'upsilon': 'υ',
    'phi': 'ϕ', 'varphi': 'φ', 'chi': 'χ', 'psi': 'ψ', 'omega': 'ω', 'Gamma': 'Γ',
    'Delta': 'Δ', 'Theta': 'Θ', 'Lambda': 'Λ', 'Xi': 'Ξ', 'Pi': 'Π', 'Sigma': 'Σ',
    'Upsilon': 'Υ', 'Phi': 'Φ', 'Psi': 'Ψ', 'Omega': 'Ω',
}  # fmt: skip
ARROWS = {
    'to': '→', 'gets': '←', 'mapsto': '↦', 'rightarrow': '→', 'leftarrow': '←',
    'leftrightarrow': '↔', 'Rightarrow': '⇒', 'Leftarrow': '⇐', 'Leftrightarrow': '⇔',
    'longrightarrow': '⟶', 'longleftarrow': '⟵', 'Longrightarrow': '⟹',
    'Longleftarrow': '⟸', 'uparrow': '↑', 'downarrow': '↓', 'Uparrow': '⇑',
    'Downarrow': '⇓', 'nearrow': '↗', 'searrow': '↘', 'implies': '⟹', 'iff': '⟺',
}  # fmt: skip
#: Relations and binary operators: a space on each side.
OPERATORS = {
    'times': '×', 'cdot': '·', 'div': '÷', 'pm': '±', 'mp': '∓', 'leq': '≤', 'le': '≤',
    'geq': '≥', 'ge': '≥', 'neq': '≠', 'ne': '≠', 'approx': '≈', 'sim': '∼', 'simeq': '≃',
    'equiv': '≡', 'propto': '∝', 'in': '∈', 'notin': '∉', 'subset': '⊂', 'subseteq': '⊆',
    'supset': '⊃', 'cup': '∪', 'cap': '∩', 'setminus': '∖', 'll': '≪', 'gg': '≫',
    'mid': '∣', 'parallel': '∥', 'perp': '⊥', 'circ': '∘', 'star': '⋆', 'ast': '∗',
    'bullet': '•', 'bmod': 'mod',
    **ARROWS,
}  # fmt: skip
#: Other signs, set as they are.
SIGNS = {
    **GREEK,
    'infty': '∞', 'partial': '∂', 'nabla': '∇', 'forall': '∀', 'exists': '∃',
    'emptyset': '∅', 'prime': '′', 'angle': '∠', 'sum': '∑', 'prod': '∏', 'int': '∫',
    'iint': '∬', 'ldots': '…', 'cdots': '⋯', 'vdots': '⋮', 'ddots': '⋱', 'dots': '…',
    'langle': '⟨', 'rangle': '⟩', 'lfloor': '⌊', 'rfloor': '⌋', 'lceil': '⌈', 'rceil': '⌉',
    'vert': '|', 'Vert': '‖', '|': '‖', '{': '{', '}': '}', '%': '%', '_': '_', '&': '&',
    '#': '#', '$': '$',
}  # fmt: skip
#: Named functions, written as words.
FUNCTIONS = words('log ln exp min max sin cos tan det lim sup inf')
#: Commands whose one argument is shown as it is.
STYLES = words('mathrm mathbf mathit mathsf mathcal text textrm textit textbf underline')
#: Accents over their argument: a combining character after each of its letters.
ACCENTS = {
    'overline': '\u0305', 'bar': '\u0304', 'hat': '\u0302', 'widehat': '\u0302',
    'tilde': '\u0303', 'widetilde': '\u0303', 'vec': '\u20d7',
}  # fmt: skip
#: Commands that only size or space: nothing, or a space.
SIZES = words('left right big Big bigg Bigg displaystyle textstyle')
SPACES = frozenset([',', ';', ':', ' ', 'quad', 'qquad'])
SUPERSCRIPTS = str.maketrans('0123456789+-−=()', '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾')
SUBSCRIPTS = str.maketrans('0123456789+-−=()', '₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎')
ASCII_OPERATORS = {'+': '+', '-': '−', '=': '=', '<': '<', '>': '>'}


@dataclass
class Operator:
    """A relation or binary operator: spaced, unless it opens a term (``−3``, ``= −3``)."""

    sign: str


class Script(str):
    """An exponent or an index, set against what it follows."""

    __slots__ = ()


class Function(str):
    """A function's name (``log``), a space before its argument."""

    __slots__ = ()


Piece = str | Operator


#: Groups within groups read, at most: a formula of the letter nests a few; a hostile one
#: a thousand, which would exhaust Python's stack (it is then shown as typed).
MAX_DEPTH = 50


class TooDeepError(Exception):
    """The formula nests more than :data:`MAX_DEPTH` groups."""


class Reader:
    """Reads the tokens of a formula into text, one argument or group at a time."""

    def __init__(self, tex: str) -> None:
        self.tokens: list[re.Match[str]] = list(TOKEN.finditer(tex))
        self.index = 0
        self.depth = 0

    def next_token(self) -> re.Match[str] | None:
        token = self.tokens[self.index] if self.index < len(self.tokens) else None
        self.index += 1
        return token

    def skip_spaces(self) -> None:
        while self.index < len(self.tokens) and self.tokens[self.index].group(2):
            self.index += 1

    def argument(self, *, verbatim: bool = False) -> list[Piece]:
        """The next group ``{…}`` or single token."""
        self.skip_spaces()
        token = self.tokens[self.index] if self.index < len(self.tokens) else None
        if token is not None and token.group(3) == '{':
            self.index += 1
            return self.pieces(until='}', verbatim=verbatim)
        return self.pieces(count=1, verbatim=verbatim)

    def optional(self) -> list[Piece]:
        """An optional ``[…]`` argument (``\\sqrt[3]{x}``), or nothing."""
        self.skip_spaces()
        if self.index < len(self.tokens) and self.tokens[self.index].group(3) == '[':
            self.index += 1
            return self.pieces(until=']')
        return []

    def pieces(self, *, until: str = '', count: int = 0, verbatim: bool = False) -> list[Piece]:
        """Pieces up to the closing ``until``, or ``count`` of them; ``verbatim`` keeps spaces."""
        if self.depth >= MAX_DEPTH:
            raise TooDeepError
        self.depth += 1
        try:
            return self._pieces(until, count, verbatim=verbatim)
        finally:
            self.depth -= 1

    def _pieces(self, until: str, count: int, *, verbatim: bool) -> list[Piece]:
        out: list[Piece] = []
        while (token := self.next_token()) is not None:
            command, space, char = token.groups()
            if char == until and until:
                break
            if space:
                if verbatim:
                    out.append(' ')
                continue
            out.extend(self.piece(command, char, verbatim=verbatim))
            if count and len(out) >= count:
                break
        return out

    def piece(self, command: str | None, char: str | None, *, verbatim: bool) -> list[Piece]:
        if command is None:
            assert char is not None
            if char == '{':
                group = text(self.pieces(until='}', verbatim=verbatim))
                return [group.strip() if group.strip() == ',' else group]  # 0{,}5: a decimal
            if char in '^_':
                return [script(text(self.argument()), superscript=char == '^')]
            if char in ASCII_OPERATORS and not verbatim:
                return [Operator(ASCII_OPERATORS[char])]
            if char == '&':
                return [' ']
            if char == ',' and not verbatim:
                return [', ']
            return ['′' if char == "'" and not verbatim else char]
        return self.command(command)

    def command(self, name: str) -> list[Piece]:
        if name in ('frac', 'dfrac', 'tfrac'):
            numerator = bracketed(text(self.argument()))
            denominator = bracketed(text(self.argument()))
            spaced = numerator.startswith('(') or denominator.startswith('(')
            return [f'{numerator} / {denominator}' if spaced else f'{numerator}/{denominator}']
        if name in ('binom', 'dbinom', 'tbinom'):
            top, bottom = text(self.argument()).strip(), text(self.argument()).strip()
            return [f'C({top}, {bottom})']
        if name == 'sqrt':
            degree, radicand = text(self.optional()).strip(), text(self.argument())
            root = {'': '√', '3': '∛', '4': '∜'}.get(degree, degree.translate(SUPERSCRIPTS) + '√')
            return [root + bracketed(radicand)]
        if name in STYLES:
            return [text(self.argument(verbatim=name.startswith('text')))]
        if name in ACCENTS:
            return [''.join(c + ACCENTS[name] for c in text(self.argument()).strip())]
        if name in ('begin', 'end'):
            _name, self.index = environment_name(self.tokens, self.index)
            return []
        if name == 'pmod':
            return [f' (mod {text(self.argument()).strip()})']
        if name == '\\':
            return ['\n']
        if name in ('left', 'right'):
            self.skip_spaces()
            if self.index < len(self.tokens) and self.tokens[self.index].group(3) == '.':
                self.index += 1
            return []
        if name in SIZES or name == '!':
            return []
        if name in SPACES:
            return [' ']
        if name in FUNCTIONS:
            return [Function(name)]
        if name in OPERATORS:
            return [Operator(OPERATORS[name])]
        return [SIGNS.get(name, name)]


def text(pieces: list[Piece]) -> str:
    """The pieces in a row: operators spaced, except a sign that opens a term."""
    out = ''
    opens_term = True
    spaced = False  # the next term stands apart: after log, or x^n (not x^ny)
    for piece in pieces:
        if isinstance(piece, Script):
            spaced = spaced or piece[0] in '^_'
        elif isinstance(piece, str) and piece.strip():
            if spaced and (piece[0].isalnum() or piece[0] == '('):
                out += ' '
            spaced = isinstance(piece, Function)
        if isinstance(piece, Operator):
            spaced = False
            if opens_term or out.rstrip().endswith(('(', '[', '{')):
                out += piece.sign
            else:
                out = f'{out.rstrip()} {piece.sign} '
            opens_term = True
        else:
            out += piece
            opens_term = opens_term and not piece.strip()
    return out


def bracketed(term: str) -> str:
    """``term`` as it is if it is one term (``2``, ``x²``, ``(a + b)``), else in brackets."""
    term = ' '.join(term.split())
    one_term = ' ' not in term and '/' not in term
    enclosed = term.startswith('(') and term.endswith(')') and term.count('(') == 1
    return term if one_term or enclosed else f'({term})'


def script(content: str, *, superscript: bool) -> Script:
    """``content`` as an exponent or an index: Unicode when it has the characters."""
    content = ''.join(content.split())
    if content and all(c in '0123456789+-−=()' for c in content):
        return Script(content.translate(SUPERSCRIPTS if superscript else SUBSCRIPTS))
    mark = '^' if superscript else '_'
    return Script(mark + (content if content.isalnum() else f'({content})'))


def formula_text(tex: str) -> str:
    """A formula of the letter as one line of Unicode (lines of an ``aligned`` joined by « ; »)."""
    try:
        shown = text(Reader(tex).pieces())
    except TooDeepError:
        return ' '.join(tex.split())
    lines = (' '.join(line.split()) for line in shown.split('\n'))
    return ' ; '.join(line for line in lines if line)


class FormulasAsText(SphinxPostTransform):
    """Each formula of an edition without MathJax or TeX becomes its text."""

    default_priority = 5  # before Sphinx's own math post-transforms
    builders = builders_of(*TEXT_MATH_EDITIONS)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.math)):
            node.replace_self(
                nodes.inline(node.astext(), formula_text(node.astext()), classes=['galien-formule'])
            )
        for block in list(self.document.findall(nodes.math_block)):
            equations = [e for e in block.astext().split('\n\n') if e.strip()]
            shown = ' ; '.join(formula_text(e) for e in equations)
            if block.get('number'):
                shown += f'    ({block["number"]})'
            paragraph = nodes.paragraph(block.astext(), shown, classes=['galien-formule'])
            paragraph.source, paragraph.line = block.source, block.line
            block.replace_self(paragraph)


def setup(app: Sphinx) -> None:
    app.add_post_transform(FormulasAsText)
