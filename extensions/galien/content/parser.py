"""The letter's parser: MyST, in the one syntax ``conf.py`` sets, limited to the letter's language.

An issue file may come from outside the committee. Rather than refusing what is
known to be dangerous, the parser lets through only what
:mod:`galien.content.language` lists:

* the MyST syntax is the one of ``conf.py``, for every file: a front matter's
  ``myst:`` block (per-file configuration, which could turn on Jinja
  substitutions or raw HTML) is never read, and front-matter keys other than the
  letter's are refused and dropped;
* directives and roles are looked up through :class:`LetterDispatcher`, which
  hands out a listed one with its options checked, and anything else as a
  stand-in that shows the markup as text and warns at its line;
* ``{eval-rst}`` is not part of the language: its reST is shown as text.

Refusals are warnings of subtype ``langage`` (``front-matter`` for the
header), located at the file and line; the rest of the page builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive, directives
from markdown_it.tree import SyntaxTreeNode
from myst_parser.mdit_to_docutils.base import token_line
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.util import logging
from sphinx.util.docutils import CustomReSTDispatcher

from galien.build.drafts import is_issue_doc
from galien.content import language
from galien.content.links import strict_only_for_images
from galien.content.nesting import render_within_limits
from galien.core.front_matter import parse_fields
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import ModuleType

    from docutils.parsers.rst.states import Inliner
    from docutils.utils import Reporter
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import RoleFunction

logger = logging.getLogger(__name__)


def _environment(document: nodes.document) -> BuildEnvironment:
    return document.settings.env


def _in_issue(env: BuildEnvironment) -> bool:
    return is_issue_doc(env, env.docname)


class AnyOption(dict[str, 'Callable[[str], Any]']):
    """An ``option_spec`` that parses every option, so that the directive reports the wrong ones.

    MyST and docutils would reject an unknown option themselves, failing the
    whole block, outside the ``galien`` warning type and without the options
    the directive does take.
    """

    def __bool__(self) -> bool:
        # MyST reads an options block only when the spec is truthy, even if empty.
        return True

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return directives.unchanged


class RefusedValue(str):
    """An option's value that the language does not allow: dropped, with a warning, by ``run``."""

    __slots__ = ()


class CheckedOptions(AnyOption):
    """An ``option_spec`` with only the listed options, each value checked against its syntax.

    Every option parses (an unlisted one, or a value of the wrong syntax, as a
    :class:`RefusedValue`), so that the directive itself reports it with its line
    instead of docutils failing the whole block.
    """

    def __init__(self, construct: language.Construct, original: dict[str, Any] | None) -> None:
        original = original or {}
        super().__init__(
            {
                name: self._checked(syntax, original.get(name, directives.unchanged))
                for name, syntax in construct.options.items()
            }
        )

    @staticmethod
    def _checked(syntax: language.Syntax, convert: Callable[[str], Any]) -> Callable[[str], Any]:
        def check(value: str | None) -> Any:
            if not syntax.accepts(value or ''):
                return RefusedValue(value or '')
            return convert(value)  # type: ignore[arg-type]  # flags convert None

        return check

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return lambda value: RefusedValue(value or '')


def _refuse(directive: Directive, message: str, *args: object) -> list[nodes.Node]:
    """The directive's whole text, shown as a block of text, and a warning at its line."""
    env = _environment(directive.state.document)
    warn(logger, message, *args, location=(env.docname, directive.lineno), subtype=Subtype.LANGAGE)
    text = directive.block_text.rstrip('\n')
    block = nodes.literal_block(text, text, language='text')
    block.source, block.line = env.doc2path(env.docname).as_posix(), directive.lineno
    return [block]


class RefusedDirective(Directive):
    """Stands for a directive that is not part of the letter's language."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[AnyOption] = AnyOption()

    def run(self) -> list[nodes.Node]:
        in_issue = _in_issue(_environment(self.state.document))
        where = __('dans un numéro') if in_issue else __('dans cette page')
        return _refuse(
            self,
            __(
                "la directive {%s} n'est pas permise %s : elle s'affiche telle quelle "
                '(voir « Le langage de la lettre » dans le guide, partie Rédiger)'
            ),
            self.name,
            where,
        )


_checked_classes: dict[tuple[type[Directive], str], type[Directive]] = {}


def checked_directive(cls: type[Directive], construct: language.Construct) -> type[Directive]:
    """``cls`` with the options and argument of ``construct`` only (one class per pair)."""
    key = (cls, construct.name)
    if key in _checked_classes:
        return _checked_classes[key]

    def run(self: Directive) -> Sequence[nodes.Node]:
        argument = ' '.join(self.arguments)
        if construct.argument and argument and not construct.argument.accepts(argument):
            return _refuse(
                self,
                __(
                    "{%s} : « %s » n'est pas permis ici (attendu : %s) ; le bloc s'affiche tel quel"
                ),
                construct.name,
                argument[:80],
                construct.argument.label,
            )
        env = _environment(self.state.document)
        for name, value in list(self.options.items()):
            if not isinstance(value, RefusedValue):
                continue
            del self.options[name]
            if name in construct.options:
                message = __("option :%s: de {%s} ignorée : « %s » n'a pas la forme attendue (%s)")
                args: tuple[object, ...] = (
                    name,
                    construct.name,
                    value[:80],
                    construct.options[name].label,
                )
            else:
                possible = ', '.join(f':{o}:' for o in construct.options) or __('aucune')
                message = __('option inconnue :%s: (options possibles : %s)')
                args = (name, possible)
            warn(
                logger,
                message,
                *args,
                location=(env.docname, option_line(self, name)),
                subtype=Subtype.LANGAGE,
            )
        return cls.run(self)

    checked = type(
        cls.__name__,
        (cls,),
        {
            'option_spec': CheckedOptions(construct, cls.option_spec),
            'run': run,
            '__doc__': cls.__doc__,
            '__module__': cls.__module__,
        },
    )
    _checked_classes[key] = checked
    return checked


def option_line(directive: Directive, name: str) -> int:
    """The line of ``:name:`` in the directive's text, else the directive's own line."""
    for offset, line in enumerate(directive.block_text.splitlines()):
        if line.lstrip().startswith(f':{name}:'):
            return directive.lineno + offset
    return directive.lineno


def refused_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Inliner,
    options: dict[str, Any] | None = None,
    content: Sequence[str] = (),
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Stands for a role that is not part of the letter's language: its markup as text."""
    env = _environment(inliner.document)
    warn(
        logger,
        __(
            "le rôle {%s} n'est pas permis : il s'affiche tel quel "
            '(voir « Le langage de la lettre » dans le guide, partie Rédiger)'
        ),
        name,
        location=(env.docname, lineno),
        subtype=Subtype.LANGAGE,
    )
    return [nodes.literal(rawtext, rawtext)], []


class LetterDispatcher(CustomReSTDispatcher):
    """Directive and role look-up limited to the letter's language, while one page is parsed."""

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__()
        self.in_issue = _in_issue(env)

    def directive(
        self, directive_name: str, language_module: ModuleType, document: nodes.document
    ) -> tuple[type[Directive] | None, list[nodes.system_message]]:
        construct = language.find(language.DIRECTIVES, directive_name, in_issue=self.in_issue)
        if construct is None:
            return RefusedDirective, []
        cls, messages = super().directive(directive_name, language_module, document)
        if cls is None:
            return RefusedDirective, messages
        return checked_directive(cls, construct), messages

    def role(
        self, role_name: str, language_module: ModuleType, lineno: int, reporter: Reporter
    ) -> tuple[RoleFunction, list[nodes.system_message]]:
        construct = language.find(language.ROLES, role_name, in_issue=self.in_issue)
        if construct is None:
            return refused_role, []
        function, messages = super().role(role_name, language_module, lineno, reporter)
        return (function or refused_role), messages


class LetterRenderer(SphinxRenderer):
    """MyST's renderer, without reST blocks and with the letter's front-matter keys only."""

    def render_restructuredtext(self, token: SyntaxTreeNode) -> None:
        env = _environment(self.document)
        line = token_line(token, 0) or None
        warn(
            logger,
            __(
                "le bloc {eval-rst} n'est pas permis : il s'affiche tel quel ; "
                'écrivez ce passage en Markdown'
            ),
            location=(env.docname, line),
            subtype=Subtype.LANGAGE,
        )
        text = f'{token.markup}{token.info}\n{token.content}{token.markup}'
        block = nodes.literal_block(text, text, language='text')
        self.add_line_and_source_path(block, token)
        self.current_node.append(block)

    def render_front_matter(self, token: SyntaxTreeNode) -> None:
        fields = parse_fields(token.content) if isinstance(token.content, str) else None
        if fields is None:
            super().render_front_matter(token)  # MyST says what is wrong with it
            return
        env = _environment(self.document)
        allowed = language.FRONT_MATTER_KEYS
        for key, field in fields.items():
            if key not in allowed:
                warn(
                    logger,
                    __(
                        "clé « %s » inconnue dans l'en-tête : elle est ignorée "
                        '(clés possibles : %s)'
                    ),
                    key,
                    ', '.join(allowed),
                    location=(env.docname, field.line),
                    subtype=Subtype.EN_TETE,
                )
        for key, field in fields.items():
            if key in allowed and field.removed:
                warn(
                    logger,
                    __(
                        'caractère invisible ou invalide %s retiré de « %s » : retapez cette valeur'
                    ),
                    ', '.join(f'U+{ord(character):04X}' for character in field.removed),
                    key,
                    location=(env.docname, field.line),
                    subtype=Subtype.CARACTERE,
                )
        # Values as written (aliases never expanded); the registry reads their kinds itself.
        kept = {key: field.text for key, field in fields.items() if key in allowed}
        if token.token is None:
            return
        content = yaml.safe_dump(kept, allow_unicode=True) if kept else '{}'
        super().render_front_matter(SyntaxTreeNode([token.token.copy(content=content)]).children[0])


class LetterParser(MystParser):
    """MyST with the configuration of ``conf.py`` only, under the letter's language."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = _environment(document)
        # Set by myst-parser on builder-inited: conf.py's configuration, never a file's.
        md = create_md_parser(env.myst_config, LetterRenderer)  # type: ignore[attr-defined]
        strict_only_for_images(md)
        md.options['document'] = document
        with LetterDispatcher(env):
            # Parse, refuse nesting deeper than the letter's, render (galien.content.nesting).
            render_within_limits(md, inputstring, document)


def disable_file_insertion(app: Sphinx) -> None:
    """docutils' own switches off: no directive that slipped through may read a file or raw."""
    app.env.settings['file_insertion_enabled'] = False
    app.env.settings['raw_enabled'] = False


def setup(app: Sphinx) -> None:
    app.add_source_parser(LetterParser, override=True)
    app.connect('builder-inited', disable_file_insertion)
