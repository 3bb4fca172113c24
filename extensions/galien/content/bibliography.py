"""Citations: the Vancouver style, checks on ``references.bib`` and clear words for unknown keys.

The ``vancouver`` styles of :mod:`galien.content.vancouver` are registered
here, for ``bibtex_default_style`` and ``bibtex_foot_reference_style``.
A key defined twice silently drops one of the entries (pybtex keeps the
first); bibtex's own warning names neither the line nor the second entry.
An entry type the Vancouver style does not know is printed plainly and
reported with its line (``galien.reference-style``).
An unknown key is reported by sphinxcontrib-bibtex as ``bibtex.key_not_found``
in English; we re-word it for editors under the ``galien.citation`` type.
"""

from __future__ import annotations

import logging as std_logging
import re
from typing import TYPE_CHECKING, cast

import pybtex.plugin
from docutils import nodes
from pybtex.exceptions import PybtexError
from sphinx.locale import __
from sphinx.util import logging

from galien.content import vancouver
from galien.core.report import WARNING_TYPE, warn

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pybtex.database import Entry
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinxcontrib.bibtex.domain import BibtexDomain

logger = logging.getLogger(__name__)

ENTRY_START = re.compile(
    r'^\s*@(?!comment|string|preamble)\w+\s*[{(]\s*([^,\s]+)\s*,', re.IGNORECASE
)


def entry_lines(app: Sphinx) -> Iterator[tuple[str, str]]:
    """``(key, 'path:line')`` of each entry of the .bib files, in order."""
    for name in app.config.bibtex_bibfiles:
        path = app.confdir / name
        try:
            lines = path.read_text(encoding='utf-8').splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # sphinxcontrib-bibtex reports unreadable files itself
        for lineno, line in enumerate(lines, start=1):
            match = ENTRY_START.match(line)
            if match is not None:
                yield match[1], f'{path}:{lineno}'


def warn_duplicate_keys(app: Sphinx) -> None:
    seen: dict[str, str] = {}
    for key, where in entry_lines(app):
        if key in seen:
            warn(
                logger,
                __(
                    'la clé %r est déjà définie en %s : une des deux entrées '
                    'serait perdue, renommez-en une'
                ),
                key,
                seen[key],
                location=where,
                subtype='bibtex',
            )
        else:
            seen[key] = where


def bib_entry(env: BuildEnvironment, key: str) -> Entry | None:
    """The entry ``key`` of the .bib files, if there is one."""
    entries = cast('BibtexDomain', env.domains['cite']).bibdata.data.entries
    entry: Entry | None = entries.get(key)
    return entry


def reference_nodes(env: BuildEnvironment, key: str) -> list[nodes.Node]:
    """The entry ``key`` as the footnotes print it (the configured style), as docutils nodes.

    For sources outside footnotes (a chiffre du mois' ``:source:``), so they read
    the same as the references under the article; the key itself if it is unknown.
    """
    entry = bib_entry(env, key)
    if entry is None:
        return [nodes.Text(key)]
    domain = cast('BibtexDomain', env.domains['cite'])
    style = pybtex.plugin.find_plugin('pybtex.style.formatting', env.config.bibtex_default_style)
    rendered: list[nodes.Node] = style().format_entry('', entry).text.render(domain.backend)
    return rendered


def uses_vancouver(app: Sphinx) -> bool:
    try:
        style = pybtex.plugin.find_plugin(
            'pybtex.style.formatting', app.config.bibtex_default_style
        )
    except PybtexError:
        return False  # sphinxcontrib-bibtex reports an unknown style itself
    return isinstance(style, type) and issubclass(style, vancouver.VancouverStyle)


def warn_unknown_entry_types(app: Sphinx) -> None:
    """An entry type the Vancouver style has no template for prints plainly: say so, with its line.

    Runs after sphinxcontrib-bibtex has read the .bib files (``builder-inited``).
    """
    if not uses_vancouver(app):
        return
    entries = cast('BibtexDomain', app.env.domains['cite']).bibdata.data.entries
    lines = dict(entry_lines(app))
    known = ', '.join(sorted(vancouver.VancouverStyle.KNOWN_TYPES))
    for key, entry in entries.items():
        if vancouver.VancouverStyle.knows(entry.type):
            continue
        warn(
            logger,
            __(
                "le type d'entrée @%s de la référence %r n'est pas prévu par le style "
                'Vancouver : elle est imprimée sous une forme simple (auteurs, titre, '
                'année) ; types prévus : %s'
            ),
            entry.type,
            key,
            known,
            location=lines.get(key) or str(app.confdir / app.config.bibtex_bibfiles[0]),
            subtype='reference-style',
        )


# sphinxcontrib-bibtex's modules that log 'could not find bibtex key "..."'.
BIBTEX_LOGGERS = ('foot_roles', 'roles', 'domain', 'directives', 'foot_directives')
UNKNOWN_KEY = re.compile(r'could not find bibtex key "(.*)"')


class UnknownKeyInOurWords(std_logging.Filter):
    """Re-word sphinxcontrib-bibtex's unknown-key warning, keeping its file and line."""

    def filter(self, record: std_logging.LogRecord) -> bool:
        if getattr(record, 'subtype', None) == 'key_not_found':
            match = UNKNOWN_KEY.fullmatch(record.getMessage())
            if match is not None:
                record.msg = __(
                    "la référence %r n'existe pas dans le fichier .bib : "
                    "vérifiez la clé ou ajoutez l'entrée"
                )
                record.args = (match[1],)
                record.type, record.subtype = WARNING_TYPE, 'citation'
        return True


def bibtex_loggers() -> list[std_logging.Logger]:
    return [
        std_logging.getLogger(f'sphinx.sphinxcontrib.bibtex.{module}') for module in BIBTEX_LOGGERS
    ]


def reword_unknown_keys(app: Sphinx) -> None:
    """For this build, an unknown citation key is told in French, as ``galien.citation``.

    Workaround for sphinxcontrib-bibtex 2.7.0: its ``bibtex.key_not_found``
    warning (``could not find bibtex key "..."``) is written in English by each of
    its role and directive modules, and it offers no hook to word it otherwise
    (no event, no message catalog). A logging filter on those modules' loggers
    re-words the record and keeps its location; it is added on ``builder-inited``
    and removed by :func:`stop_rewording_unknown_keys` on ``build-finished``, so
    nothing outlives the build.
    """
    for bibtex_logger in bibtex_loggers():
        if not any(isinstance(f, UnknownKeyInOurWords) for f in bibtex_logger.filters):
            bibtex_logger.addFilter(UnknownKeyInOurWords())


def stop_rewording_unknown_keys(app: Sphinx, exception: Exception | None) -> None:
    for bibtex_logger in bibtex_loggers():
        for installed in [f for f in bibtex_logger.filters if isinstance(f, UnknownKeyInOurWords)]:
            bibtex_logger.removeFilter(installed)


def setup(app: Sphinx) -> None:
    if not vancouver.register():
        warn(
            logger,
            __(
                'le nom de style %r est déjà pris par un autre paquet : le style Vancouver '
                "de Galien n'est pas disponible sous ce nom"
            ),
            vancouver.STYLE_NAME,
            subtype='config',
        )
    app.connect('builder-inited', warn_duplicate_keys)
    # After sphinxcontrib-bibtex has read the .bib files (priority 500).
    app.connect('builder-inited', warn_unknown_entry_types, priority=600)
    app.connect('builder-inited', reword_unknown_keys)
    app.connect('build-finished', stop_rewording_unknown_keys)
