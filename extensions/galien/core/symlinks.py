"""A symbolic link where the build reads a file: found, and refused with a warning.

Every reader of the sources asks here: the data files the model reads
(``archives/numeros-papier.yml`` and the PDFs it names), ``references.bib``,
and the documents and folders Sphinx would find (:mod:`galien.build.sources`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from pathlib import Path

logger = logging.getLogger(__name__)


def linked_part(srcdir: Path, path: Path) -> Path | None:
    """The first part of ``path`` below ``srcdir`` that is a symbolic link, if any.

    ``path`` itself counts: ``archives/numeros-papier.yml`` is refused whether
    the file or the ``archives`` folder is a link.
    """
    try:
        relative = path.relative_to(srcdir)
    except ValueError:
        return None
    current = srcdir
    for part in relative.parts:
        current /= part
        if current.is_symlink():
            return current
    return None


def warn_linked(path: Path, what: str) -> None:
    """Say that ``path``, a symbolic link, is refused and ``what`` it would have been."""
    warn(
        logger,
        __('%s est un lien symbolique (vers %s) : refusé, %s ; mettez-y le fichier lui-même'),
        path.name,
        path.readlink(),
        what,
        # A file's warning needs a line to be located.
        location=f'{path}:1',
        subtype=Subtype.LIEN_SYMBOLIQUE,
    )
