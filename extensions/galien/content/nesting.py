"""Nesting limits: lists, quotes and emphasis no deeper than the letter needs.

Markdown-it, MyST and docutils all recurse once per level of nesting: 500 nested
emphasis markers end in ``RecursionError`` (markdown-it's ``SyntaxTreeNode``,
MyST's renderer, docutils' visitors), markdown-it silently drops what lies
beyond its ``maxNesting`` and LaTeX stops past its list depth. The letter never
needs more than six levels, so :func:`limit_nesting` refuses deeper nesting on
markdown-it's flat token list, before anything recurses over it, and keeps the
refused text as plain text. It is a pure function, linear in the tokens, and
does not recurse.

:func:`render_within_limits` wires it into markdown-it, as a core rule that
runs on every parse, the issue's and its directives' bodies, with a
``maxNesting`` high enough that markdown-it drops nothing the check has not
already refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from markdown_it.token import Token
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from galien.core.i18n import __
from galien.core.indentation import indented_lines
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The deepest nesting the letter needs, for lists and quotes and for emphasis.
MAX_DEPTH = 6
#: markdown-it's own limit, in its levels (two per list, one per quote, four for
#: a table). Well above what :func:`limit_nesting` lets through (six lists hold
#: their text at level 12, a table in them at 16), so that whatever markdown-it
#: drops lies inside a construct already refused, whose source lines are shown.
#: Not much more: markdown-it's block and link parsers recurse once per level,
#: and a line of ``[`` costs it time in proportion to this limit.
MARKDOWN_IT_MAX_NESTING = 40
#: Block tokens that open a level of nesting (their ``_open`` tokens).
CONTAINERS = frozenset({'blockquote_open', 'bullet_list_open', 'ordered_list_open', 'dl_open'})
#: Tokens whose ``content`` is text of the source.
TEXT_TOKENS = frozenset({'inline', 'fence', 'code_block', 'html_block', 'math_block'})

#: Directives (``{note}``, ``{eval-rst}``...): MyST parses each one's body apart,
#: recursing once per directive, and docutils once per level of reST indentation.
FENCES = frozenset({'fence', 'colon_fence'})
#: Levels of directives in a directive's body, or of indentation in its reST:
#: more than the letter's six, since a list item's text and a directive's
#: options are indented too; far fewer than the recursion limit allows.
MAX_BODY_DEPTH = 20
FENCE_MESSAGE = __(
    'imbrication trop profonde : %d niveaux de directives ou d’indentation dans ce bloc '
    '(%d au plus) ; il est gardé comme texte simple'
)
BLOCK_MESSAGE = __(
    'imbrication trop profonde : %d niveaux de listes ou de citations (%d au plus) ; '
    'le bloc est gardé comme texte simple'
)
INLINE_MESSAGE = __(
    'imbrication trop profonde : %d niveaux d’italique, de gras ou de liens (%d au plus) ; '
    'les marques en trop sont gardées comme texte'
)


def limit_nesting(
    tokens: list[Token], max_depth: int = MAX_DEPTH, *, source_lines: Sequence[str] | None = None
) -> tuple[list[Token], list[tuple[int, str]]]:
    """``tokens`` with every construct nested deeper than ``max_depth`` made plain text.

    A list or quote deeper than ``max_depth`` becomes one paragraph holding its
    text (its source lines when ``source_lines`` is given, else the text of its
    tokens); emphasis, strong text or links deeper than ``max_depth`` inside a
    paragraph keep their text, their marks shown as typed. Returns the tokens
    and, for each refused construct, its 1-based line and a French message.
    """
    result: list[Token] = []
    problems: list[tuple[int, str]] = []
    depth = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in CONTAINERS:
            depth += 1
            if depth > max_depth:
                end, deepest, text = _skip_construct(tokens, index, depth)
                line = token.map[0] + 1 if token.map else _last_line(result)
                problems.append((line, BLOCK_MESSAGE % (deepest, max_depth)))
                if source_lines is not None and token.map:
                    text = [
                        line_text.strip()
                        for line_text in source_lines[token.map[0] : token.map[1]]
                        if line_text.strip()
                    ]
                result.extend(_plain_paragraph(token, text))
                depth -= 1
                index = end + 1
                continue
        elif token.nesting == -1 and token.type.replace('_close', '_open') in CONTAINERS:
            depth -= 1
        if token.type in FENCES and token.info.lstrip().startswith('{'):
            levels = fence_depth(token.content)
            if token.info.lstrip().startswith('{eval-rst}'):
                levels = max(levels, indentation_depth(token.content))
            if levels > MAX_BODY_DEPTH:
                line = token.map[0] + 1 if token.map else _last_line(result)
                problems.append((line, FENCE_MESSAGE % (levels, MAX_BODY_DEPTH)))
                text = [token.info.strip(), *token.content.splitlines()]
                result.extend(_plain_paragraph(token, [t.strip() for t in text if t.strip()]))
                index += 1
                continue
        if token.type == 'inline' and token.children:
            token, problem = _limit_inline(token, max_depth)
            if problem is not None:
                problems.append(problem)
        result.append(token)
        index += 1
    return result, problems


def fence_depth(text: str) -> int:
    """How deep the fenced blocks of ``text`` (a directive's body) nest, in one pass.

    A line of three or more backticks or colons opens a block, or closes the
    innermost open one if it has the same character, at least as many times,
    and nothing after it.
    """
    open_fences: list[tuple[str, int]] = []
    deepest = 0
    for line in text.splitlines():
        stripped = line.strip()
        if len(stripped) < 3 or stripped[0] not in '`:':
            continue
        mark = stripped[0]
        run = len(stripped) - len(stripped.lstrip(mark))
        if run < 3:
            continue
        if run == len(stripped) and open_fences:
            innermost, length = open_fences[-1]
            if innermost == mark and run >= length:
                open_fences.pop()
                continue
        open_fences.append((mark, run))
        deepest = max(deepest, len(open_fences))
    return deepest


def indentation_depth(text: str) -> int:
    """How many levels of indentation ``text`` (reST) nests, in one pass.

    reST nests every block by indenting it; a line may also open several lists
    at once (``- - - x``), each counted.
    """
    deepest = 0
    for body, levels in indented_lines(text):
        bullets = 0
        at = 0
        while at + 1 < len(body) and body[at] in '-*+' and body[at + 1] == ' ':
            bullets += 1
            at += 2
            while at < len(body) and body[at] == ' ':
                at += 1
        deepest = max(deepest, levels - 1 + bullets)
    return deepest


def _skip_construct(tokens: list[Token], start: int, depth: int) -> tuple[int, int, list[str]]:
    """The index of the token closing ``tokens[start]``, the deepest level inside, its text."""
    balance = 0
    inside = depth - 1
    deepest = depth
    text: list[str] = []
    for index in range(start, len(tokens)):
        token = tokens[index]
        balance += token.nesting
        if token.type in CONTAINERS:
            inside += 1
            deepest = max(deepest, inside)
        elif token.nesting == -1 and token.type.replace('_close', '_open') in CONTAINERS:
            inside -= 1
        if token.type in TEXT_TOKENS and token.content.strip():
            text.extend(line for line in token.content.splitlines() if line.strip())
        if balance == 0:
            return index, deepest, text
    return len(tokens) - 1, deepest, text


def _last_line(tokens: list[Token]) -> int:
    """The line of the last token that has one, for a token markdown-it left unlocated."""
    for token in reversed(tokens[-20:]):
        if token.map:
            return token.map[0] + 1
    return 1


def _plain_paragraph(opening: Token, text: list[str]) -> list[Token]:
    """A paragraph holding ``text`` line by line, where the refused construct was."""
    paragraph_open = Token('paragraph_open', 'p', 1, map=opening.map, level=opening.level)
    children: list[Token] = []
    for number, line in enumerate(text):
        if number:
            children.append(Token('softbreak', 'br', 0, level=0))
        children.append(Token('text', '', 0, content=line, level=0))
    inline = Token(
        'inline',
        '',
        0,
        map=opening.map,
        level=opening.level + 1,
        content='\n'.join(text),
        children=children,
    )
    paragraph_close = Token('paragraph_close', 'p', -1, level=opening.level)
    return [paragraph_open, inline, paragraph_close]


def _limit_inline(inline: Token, max_depth: int) -> tuple[Token, tuple[int, str] | None]:
    """``inline`` with its marks of emphasis and links deeper than ``max_depth`` made text.

    With the first such mark's line (the paragraph's plus the line breaks
    before it) and a message, or ``None`` if there is none.
    """
    children = list(inline.children or [])
    refused: list[bool] = []  # per open mark: was it refused?
    depth = deepest = 0
    first_line: int | None = None
    breaks = 0
    for position, child in enumerate(children):
        if child.type in ('softbreak', 'hardbreak'):
            breaks += 1
        if child.nesting == 1:
            depth += 1
            deepest = max(deepest, depth)
            too_deep = depth > max_depth
            refused.append(too_deep)
            if too_deep:
                if first_line is None:
                    first_line = (inline.map[0] + 1 if inline.map else 1) + breaks
                children[position] = _mark_as_text(child)
        elif child.nesting == -1:
            depth -= 1
            if refused and refused.pop():
                children[position] = _mark_as_text(child)
    if first_line is None:
        return inline, None
    return inline.copy(children=children), (first_line, INLINE_MESSAGE % (deepest, max_depth))


def _mark_as_text(mark: Token) -> Token:
    """A text token showing ``mark`` as typed (``*``, ``**``; a link's brackets only).

    A refused link's address is shown nowhere, as :mod:`galien.content.links` does.
    """
    if mark.type == 'link_open':
        shown = '['
    elif mark.type == 'link_close':
        shown = ']'
    else:
        shown = mark.markup
    return Token('text', '', 0, content=shown, level=mark.level)


# --- Wiring: markdown-it, then limit_nesting, then MyST's render. -------------------------
# To be merged with the parser that hands markdown-it's tokens to a hook. The check
# runs as a markdown-it core rule, so that it sees every parse: the issue's, and
# those MyST makes of each directive's body ({note}, {chiffre-du-mois}...) while
# rendering, which recurse just as deep.

#: Where the core rule leaves, per parse, what to warn about once lines are known.
ENV_KEY = 'galien_nesting'


def nesting_rule(state: StateCore) -> None:
    """A markdown-it core rule: :func:`limit_nesting` on the tokens of every parse.

    Lines are counted in the text parsed, which for a directive's body is not
    the file: a token with a line is kept with the problems, and
    :func:`report_nesting` reads the offset MyST has added to its line by then.
    """
    tokens, problems = limit_nesting(state.tokens, source_lines=state.src.splitlines())
    state.tokens[:] = tokens
    if problems:
        anchor = next((t for t in tokens if t.map and t.type != 'front_matter'), None)
        start = anchor.map[0] if anchor is not None and anchor.map else 0
        state.env.setdefault(ENV_KEY, []).append((anchor, start, problems))


def report_nesting(env: dict[str, Any], docname: str) -> None:
    """Warn about what :func:`nesting_rule` refused, at the lines of the file.

    After MyST's render a token's line is 1-based and counted in the file (MyST
    adds a directive's line to its body's tokens): the offset from the line it
    had when parsed is what turns a line of the parsed text into one of the file.
    """
    for anchor, start, problems in env.pop(ENV_KEY, []):
        offset = anchor.map[0] - start - 1 if anchor is not None and anchor.map else 0
        for line, message in problems:
            warn(
                logger,
                '%s',
                message,
                location=(docname, line + offset),
                subtype=Subtype.IMBRICATION,
            )


def render_within_limits(md: MarkdownIt, text: str, document: nodes.document) -> None:
    """Parse ``text`` with ``md`` under nesting limits, render it, warn about what was refused.

    ``maxNesting`` is raised from MyST's 20 (a ten-level list lost the rest of
    the issue) to :data:`MARKDOWN_IT_MAX_NESTING`.
    """
    md.options['maxNesting'] = MARKDOWN_IT_MAX_NESTING
    md.options['document'] = document
    md.core.ruler.push('galien_nesting', nesting_rule)
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    md.renderer.render(tokens, md.options, env)
    report_nesting(env, document.settings.env.docname)


# --- The doctree: nesting that reaches docutils by another road (reST in {eval-rst}). -----

#: Node levels a document may have: six lists are twelve, in a section, an
#: admonition and a table cell, with inline markup, stay under forty. Pickling
#: the doctree and the writers recurse a few frames per level.
MAX_DOCTREE_DEPTH = 60
#: Elements that may hold a paragraph: where too deep a subtree is cut.
HOLDERS = (nodes.list_item, nodes.block_quote, nodes.definition, nodes.entry, nodes.field_body)
DOCTREE_MESSAGE = __(
    'imbrication trop profonde : plus de %d niveaux dans le document ; '
    'la suite est gardée comme texte simple'
)


def text_of(node: nodes.Node) -> str:
    """The text of ``node``, found without recursion (``astext`` recurses once per level)."""
    parts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, nodes.Text):
            parts.append(str(current))
        else:
            stack.extend(reversed(current.children))
    return ' '.join(' '.join(parts).split())


def line_of(node: nodes.Node) -> int | None:
    """``node``'s line, or its nearest ancestor's."""
    current: nodes.Node | None = node
    while current is not None and current.line is None:
        current = current.parent
    return current.line if current is not None else None


class LimitDoctreeDepth(SphinxTransform):
    """Cut a doctree deeper than :data:`MAX_DOCTREE_DEPTH` to its text, with a warning.

    markdown-it's tokens are limited before MyST renders them; reST (in
    ``{eval-rst}``) reaches the doctree without them. Before any transform or
    the pickling of the doctree recurses over it, the first element deep enough
    that can hold a paragraph keeps its text only.
    """

    default_priority = 1

    def apply(self, **kwargs: Any) -> None:
        stack: list[tuple[nodes.Node, int]] = [(self.document, 0)]
        while stack:
            node, depth = stack.pop()
            if not isinstance(node, nodes.Element):
                continue
            if depth >= MAX_DOCTREE_DEPTH and self.cut(node):
                continue
            stack.extend((child, depth + 1) for child in node.children)

    def cut(self, node: nodes.Element) -> bool:
        """Replace ``node``'s children by their text, if it can hold it; whether it did."""
        if all(isinstance(child, nodes.Text) for child in node.children):
            return True  # nothing below it
        if isinstance(node, nodes.TextElement):
            node[:] = [nodes.Text(text_of(node))]
        elif isinstance(node, HOLDERS):
            node[:] = [nodes.paragraph('', text_of(node))]
        else:
            return False
        warn(
            logger,
            DOCTREE_MESSAGE,
            MAX_DOCTREE_DEPTH,
            location=(self.env.docname, line_of(node)),
            subtype=Subtype.IMBRICATION,
        )
        return True


def setup(app: Sphinx) -> None:
    app.add_transform(LimitDoctreeDepth)
