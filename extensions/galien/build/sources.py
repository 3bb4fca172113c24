"""Symbolic links and special files among the sources: refused input, never opened.

A symbolic link is a file git stores like any other, so a pull request can add
``issues/022.md -> /proc/self/environ``. Sphinx 9.0.4 finds documents with
``os.walk(..., followlinks=True)`` and no setting changes that: such a link
would become an issue whose text is the build's environment, a linked folder
would bring in whatever it points to (or, pointing to a parent, make the walk
loop until paths get too long). Links are rare among a letter's files and never
needed, so every one that the build would look at is refused, wherever it
points. So is a document that is not a regular file: git cannot store one, but
a named pipe ``issues/022.md`` left in a working copy would make the reading
wait for ever. :func:`exclude_refused_sources` adds each to ``exclude_patterns`` on
``config-inited``, before Sphinx looks for documents or compares the
configuration with the last build's (so the patterns change, and every document
is read again, only when the links change), and says so at its path. The data
files read by the extension itself (``references.bib``, ``archives/``) are
checked where they are read, with :func:`galien.core.symlinks.linked_part`.
"""

from __future__ import annotations

import glob
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.matching import Matcher

from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.symlinks import warn_linked

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)


def refused_sources(
    srcdir: Path, exclude_patterns: Iterable[str], suffixes: Iterable[str]
) -> Iterator[Path]:
    """What source discovery would follow or open: linked folders, linked or special documents.

    The tree is walked without following any link, leaving out what
    ``exclude_patterns`` excludes, as Sphinx would.
    """
    excluded = Matcher(exclude_patterns)
    suffixes = tuple(suffixes)
    for root, dirs, files in os.walk(srcdir, followlinks=False):
        base = Path(root)
        relative = base.relative_to(srcdir)
        kept = []
        for name in sorted(dirs):
            path = base / name
            if excluded((relative / name).as_posix()):
                continue
            if path.is_symlink():
                yield path
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            path = base / name
            if (
                name.endswith(suffixes)
                and not stat.S_ISREG(path.lstat().st_mode)
                and not excluded((relative / name).as_posix())
            ):
                yield path


def exclude_refused_sources(app: Sphinx, config: Config) -> None:
    """Leave every linked document or folder out of the build, with a warning at its path."""
    srcdir = Path(app.srcdir)
    patterns = list(config.exclude_patterns)
    for path in refused_sources(srcdir, patterns, config.source_suffix):
        if not path.is_symlink():
            warn_special(path)
        elif path.is_dir():
            warn_linked(path, __('son contenu est ignoré'))
        else:
            warn_linked(path, __("ce n'est pas une page"))
        patterns.append(glob.escape(path.relative_to(srcdir).as_posix()))
    if len(patterns) != len(config.exclude_patterns):
        config.exclude_patterns = patterns


def warn_special(path: Path) -> None:
    """Say that ``path``, a named pipe, socket or device, is refused."""
    warn(
        logger,
        __(
            "%s n'est pas un fichier ordinaire (tube nommé, socket ou périphérique) : refusé, "
            "ce n'est pas une page"
        ),
        path.name,
        location=f'{path}:1',  # a file's warning needs a line to be located
        subtype=Subtype.FICHIER_SPECIAL,
    )


def setup(app: Sphinx) -> None:
    # After Sphinx has merged the extensions' source suffixes (``.md``, priority 800).
    app.connect('config-inited', exclude_refused_sources, priority=850)
