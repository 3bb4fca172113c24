"""The guide's tables that describe the code, made from the code at each build.

Each directive renders one table of the extension as Markdown and parses it in
place, so the guide cannot drift from what the letter's build applies: the
letter's language (``galien.content.language``), the commands of formulas
(``galien.content.math_guard`` and ``math_text``), the LaTeX commands of
``references.bib`` (``galien.core.bibtex_markup``), the ``galien_*`` settings
(``galien.core.config.SETTINGS``), the warning subtypes
(``galien.core.subtypes.Subtype``) and the workarounds that wait for an upstream
release (the docstrings that start ``Workaround for``). Only galien's modules
are imported; the guide never loads the extension as a letter.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.util.docutils import SphinxDirective

from galien.content import language, math_guard, math_text
from galien.core import bibtex_markup, config, subtypes

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: The extension's package, whose sources the workaround table reads.
PACKAGE = Path(inspect.getfile(subtypes)).resolve().parents[1]
#: ``Workaround for <what it waits for>`` up to the first colon of the docstring's sentence.
WORKAROUND = re.compile(r'Workaround for ([^:;]+?)[:;]', re.S)
#: An upstream ticket as docstrings name it: ``owner/repository#number``.
TICKET = re.compile(r'[\w.-]+/[\w.-]+#\d+')
REBUILD = {'env': 'relecture de tous les numéros', 'html': 'réécriture de toutes les pages'}


def cell(text: str) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return ' '.join(text.split()).replace('|', r'\|')


def table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    """A Markdown table."""
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(cell(value) for value in row) + ' |' for row in rows]
    return '\n'.join(lines)


def warnings_table() -> str:
    """The warning subtypes, in the enumeration's order."""
    rows = [(f'`galien.{member.value}`', member.description) for member in subtypes.Subtype]
    return table(('Catégorie', 'Erreurs signalées'), rows)


def shown_default(setting: config.Setting) -> str:
    """A setting's default as a reader would write it in ``conf.py``."""
    if callable(setting.default):
        return f'calculé par {setting.default.__name__}()'
    return repr(setting.default)


def settings_table() -> str:
    """The ``galien_*`` settings as Sphinx's ``confval`` entries, in the table's order."""
    entries = []
    for setting in config.SETTINGS:
        kinds = ', '.join(sorted(kind.__name__ for kind in setting.types))
        entries.append(
            '\n'.join(
                [
                    f'```{{confval}} {setting.name}',
                    f':type: {kinds}',
                    f':default: {json.dumps(shown_default(setting))}',  # MyST reads options as YAML
                    '',
                    f'{setting.description.rstrip(".")}.',
                    f'Un changement demande la {REBUILD[setting.rebuild]} ;',
                    f'enregistré par `{setting.package}`.',
                    '```',
                ]
            )
        )
    return '\n\n'.join(entries)


def workarounds() -> list[tuple[str, str, str, str]]:
    """``(function, module, what it waits for, tickets)`` for each ``Workaround for`` docstring."""
    found = []
    for path in sorted(PACKAGE.rglob('*.py')):
        tree = ast.parse(path.read_text(encoding='utf-8'))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                docstring = ast.get_docstring(node) or ''
                match = WORKAROUND.search(docstring)
                if match:
                    where = path.relative_to(PACKAGE.parent).as_posix()
                    tickets = ', '.join(TICKET.findall(docstring)) or '—'
                    found.append((node.name, where, ' '.join(match[1].split()), tickets))
    return found


def workarounds_table() -> str:
    """The workarounds and the upstream versions they wait for."""
    rows = [
        (f'`{name}` (`{where}`)', waits, tickets) for name, where, waits, tickets in workarounds()
    ]
    return table(('Fonction (module)', 'Version contournée', 'Tickets cités'), rows)


#: What the table writes after a command that takes arguments.
FORMULA_ARGUMENTS = {
    **dict.fromkeys(('frac', 'dfrac', 'tfrac'), '{a}{b}'),
    **dict.fromkeys(('binom', 'dbinom', 'tbinom'), '{n}{k}'),
    **dict.fromkeys((*math_text.STYLES, *math_text.ACCENTS, 'sqrt'), '{x}'),
    'pmod': '{n}',
}


def formulas_table() -> str:
    """The commands a formula may use, each with what the e-mail and the ePub show."""
    rows = []
    for command in sorted(math_guard.COMMANDS, key=lambda name: (name.casefold(), name)):
        tex = f'\\{command}{FORMULA_ARGUMENTS.get(command, "")}'
        shown = math_text.formula_text(tex)
        rows.append((f'`{tex}`', f'`{shown}`' if shown else '(rien : taille ou style)'))
    environments = ', '.join(f'`{name}`' for name in sorted(math_guard.ENVIRONMENTS))
    return (
        table(('Commande', 'Dans l’e-mail, l’ePub et le texte'), rows)
        + f'\n\nEnvironnements (`\\begin{{…}}`) : {environments}.'
    )


#: What the symbols that print no visible sign print.
BLANKS = {'': 'rien', ' ': 'une espace', '\u202f': 'une espace fine insécable'}
#: What each style of :data:`galien.core.bibtex_markup.STYLES` prints as, in French.
STYLE_NAMES = {'em': 'en italique', 'strong': 'en gras', 'sup': 'en exposant', 'sub': 'en indice'}


def bibtex_table() -> str:
    """The LaTeX commands a field of ``references.bib`` may hold, and what each prints."""
    rows = [
        (f'`\\{name}{{…}}`', f'son texte {STYLE_NAMES[style]}')
        for name, style in sorted(bibtex_markup.STYLES.items())
    ]
    rows += [(f'`\\{name}{{…}}`', 'son texte') for name in sorted(bibtex_markup.PLAIN)]
    for name, char in sorted(bibtex_markup.SYMBOLS.items(), key=lambda item: item[0].casefold()):
        printed = BLANKS.get(char) or f'`{char}`'
        rows.append((f'`\\{name.replace(" ", "␣")}`', printed))  # ␣: a space
    return table(('Commande', 'Imprime'), rows)


class GeneratedTable(SphinxDirective):
    """A table made from the extension's code; the page is rebuilt when that code changes."""

    make: ClassVar[Any]
    sources: ClassVar[tuple[str, ...]]

    def run(self) -> list[Node]:
        self.env.note_dependency(__file__)
        for source in self.sources:
            self.env.note_dependency(str(PACKAGE / source))
        return self.parse_text_to_nodes(type(self).make())


class LanguageTable(GeneratedTable):
    make = staticmethod(language.guide_table)
    sources = ('content/language.py',)


class FormulasTable(GeneratedTable):
    make = staticmethod(formulas_table)
    sources = ('content/math_guard.py', 'content/math_text.py')


class BibtexTable(GeneratedTable):
    make = staticmethod(bibtex_table)
    sources = ('core/bibtex_markup.py',)


class WarningsTable(GeneratedTable):
    make = staticmethod(warnings_table)
    sources = ('core/subtypes.py',)


class SettingsTable(GeneratedTable):
    make = staticmethod(settings_table)
    sources = ('core/config.py',)


class WorkaroundsTable(GeneratedTable):
    make = staticmethod(workarounds_table)
    sources = ()

    def run(self) -> list[Node]:
        for path in PACKAGE.rglob('*.py'):
            self.env.note_dependency(str(path))
        return super().run()


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive('galien-langage', LanguageTable)
    app.add_directive('galien-formules', FormulasTable)
    app.add_directive('galien-bibtex', BibtexTable)
    app.add_directive('galien-avertissements', WarningsTable)
    app.add_directive('galien-reglages', SettingsTable)
    app.add_directive('galien-contournements', WorkaroundsTable)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
