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


def setup(app: Sphinx) -> None:
    app.connect('builder-inited', warn_duplicate_keys)
    for module in BIBTEX_LOGGERS:
        bibtex_logger = std_logging.getLogger(f'sphinx.sphinxcontrib.bibtex.{module}')
        if not any(isinstance(f, UnknownKeyInOurWords) for f in bibtex_logger.filters):
            bibtex_logger.addFilter(UnknownKeyInOurWords())
