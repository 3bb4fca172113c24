"""The Markdown editors write: everything MyST offers, but nothing raw, nothing from outside.

Raw HTML or LaTeX in an issue would show in one edition only, and would let a
pasted ``<script>`` run in readers' browsers. Every way in is closed:

* MyST's HTML rules are disabled, so ``<script>`` typed in Markdown is text;
* the ``raw`` directive (```` ```{raw} html ````, or ``.. raw::`` in an
  ``{eval-rst}`` block) and the ``raw`` role (``.. role:: x(raw)``) are replaced
  by versions that show their content as text, and warn (``galien.raw``);
* docutils' own switch, ``raw_enabled``, is off for whatever else reaches it.

``include`` and ``literalinclude`` of a file outside the project's folder warn
(``galien.include``) and include nothing: an issue is made of the project's files.
A MyST ``{include}`` is checked on ``include-read`` (myst-parser has read the
file by then, and only the event sees it: the text is thrown away); the reST one,
whatever its options, by :mod:`galien.content.files`, before anything is read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import LiteralInclude
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from galien.content.options import OptionSpec
from galien.core.report import warn

if TYPE_CHECKING:
    from collections.abc import Sequence

    from docutils.parsers.rst.states import Inliner
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

RAW_HTML_RULES = ('html_block', 'html_inline')
RAW_MESSAGE = __(
    "contenu brut (%s) non interprété : il s'affiche tel quel dans toutes les "
    'éditions ; écrivez-le en Markdown'
)


def disable_raw_html(app: Sphinx, config: Config) -> None:
    disabled = list(config.myst_disable_syntax)
    config.myst_disable_syntax = disabled + [r for r in RAW_HTML_RULES if r not in disabled]


def disable_docutils_raw(app: Sphinx) -> None:
    """docutils' ``raw_enabled`` off, for any raw input that did not come through us."""
    app.env.settings['raw_enabled'] = False


class RawAsText(SphinxDirective):
    """The ``raw`` directive, showing its content as a block of text."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    # :file:, :url: and :encoding: are accepted and never read.
    option_spec: ClassVar[OptionSpec] = OptionSpec()

    def run(self) -> list[nodes.Node]:
        warn(logger, RAW_MESSAGE, self.arguments[0], location=self.get_location(), subtype='raw')
        text = '\n'.join(self.content)
        if not text.strip():
            return []
        block = nodes.literal_block(text, text, language='text')
        self.set_source_info(block)
        return [block]


class RawRoleAsText:
    """The ``raw`` role (and the roles derived from it), showing its text as code."""

    # What ``.. role:: x(raw)`` reads to accept ``:format:``.
    options: ClassVar[dict[str, Any]] = {'format': directives.unchanged}

    def __call__(
        self,
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Inliner,
        options: dict[str, Any] | None = None,
        content: Sequence[str] = (),
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        fmt = (options or {}).get('format', name)
        docname = inliner.document.settings.env.docname
        warn(logger, RAW_MESSAGE, fmt, location=(docname, lineno), subtype='raw')
        return [nodes.literal(rawtext, text)], []


def outside(srcdir: Path, path: Path) -> bool:
    """Whether ``path`` (relative to the sources, or absolute) leaves the project's folder."""
    project = Path(srcdir).resolve()
    return not (project / path).resolve().is_relative_to(project)


def refuse_outside_include(
    app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]
) -> None:
    """``include`` (reST or MyST) of a file outside the project: nothing is included."""
    if not outside(app.srcdir, relative_path):
        return
    docname = app.env.docname
    warn(
        logger,
        __("le fichier inclus %s est hors du dossier du projet : il n'est pas repris"),
        relative_path,
        location=(docname, include_line(app, docname, relative_path)),
        subtype='include',
    )
    content[0] = ''


#: The argument is stripped afterwards: a lazy ``(\S.*?)\s*$`` is quadratic on spaces.
MYST_INCLUDE = re.compile(r'^\s*(?:`{3,}|:{3,})\{include\}\s+(\S.*)$')


def include_line(app: Sphinx, docname: str, relative_path: Path) -> int | None:
    """The line of the MyST ``{include}`` that names this file (the event gives none).

    Each ``{include}`` line's argument is resolved as the build resolves it, so
    that a symbolic link is found under its own name.
    """
    try:
        lines = app.env.doc2path(docname).read_text(encoding='utf-8').splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    target = (Path(app.srcdir) / relative_path).resolve()
    for lineno, line in enumerate(lines, start=1):
        match = MYST_INCLUDE.match(line)
        if match and Path(app.env.relfn2path(match[1].rstrip(), docname)[1]).resolve() == target:
            return lineno
    return None


class LiteralIncludeInProject(LiteralInclude):
    """``literalinclude``, for the project's own files only."""

    def run(self) -> list[nodes.Node]:
        _relative, filename = self.env.relfn2path(self.arguments[0])
        if outside(self.env.srcdir, Path(filename)):
            warn(
                logger,
                __("le fichier %s est hors du dossier du projet : il n'est pas repris"),
                self.arguments[0],
                location=self.get_location(),
                subtype='include',
            )
            return []
        return list(super().run())


def setup(app: Sphinx) -> None:
    # Runs before myst-parser reads its configuration (builder-inited).
    app.connect('config-inited', disable_raw_html)
    app.connect('builder-inited', disable_docutils_raw)
    app.add_directive('raw', RawAsText, override=True)
    app.add_role('raw', RawRoleAsText(), override=True)
    app.connect('include-read', refuse_outside_include)
    app.add_directive('literalinclude', LiteralIncludeInProject, override=True)
