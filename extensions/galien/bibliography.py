"""Checks on ``references.bib`` that sphinxcontrib-bibtex does not make.

A key defined twice silently drops one of the entries (pybtex keeps the
first); bibtex's own warning names neither the line nor the second entry.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx.locale import __
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

ENTRY_START = re.compile(r'^\s*@(?!comment|string|preamble)\w+\s*[{(]\s*([^,\s]+)\s*,',
                         re.IGNORECASE)


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
                logger.warning(__('la clé %r est déjà définie en %s : une des deux entrées '
                                  'serait perdue, renommez-en une'), key, seen[key],
                               location=where, type='galien', subtype='bibtex')
            else:
                seen[key] = where


def setup(app: Sphinx) -> None:
    app.connect('builder-inited', warn_duplicate_keys)
