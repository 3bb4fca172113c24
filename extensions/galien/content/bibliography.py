"""Citations: checks on ``references.bib`` and clear words for unknown keys.

A key defined twice silently drops one of the entries (pybtex keeps the
first); bibtex's own warning names neither the line nor the second entry.
An unknown key is reported by sphinxcontrib-bibtex as ``bibtex.key_not_found``
in English; we re-word it for editors under the ``galien.citation`` type.
"""

from __future__ import annotations

import logging as std_logging
import re
from typing import TYPE_CHECKING

from sphinx.locale import __
from sphinx.util import logging

from galien.core.report import WARNING_TYPE, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

ENTRY_START = re.compile(
    r'^\s*@(?!comment|string|preamble)\w+\s*[{(]\s*([^,\s]+)\s*,', re.IGNORECASE
)


def warn_duplicate_keys(app: Sphinx) -> None:
    seen: dict[str, str] = {}
    for name in app.config.bibtex_bibfiles:
        path = app.confdir / name
        try:
            lines = path.read_text(encoding='utf-8').splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # sphinxcontrib-bibtex reports unreadable files itself
        for lineno, line in enumerate(lines, start=1):
            match = ENTRY_START.match(line)
            if match is None:
                continue
            key, where = match[1], f'{path}:{lineno}'
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
    app.connect('builder-inited', warn_duplicate_keys)
    app.connect('builder-inited', reword_unknown_keys)
    app.connect('build-finished', stop_rewording_unknown_keys)
