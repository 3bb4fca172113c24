"""Galien: a Sphinx extension to publish a monthly letter from one source tree.

``galien`` itself sets up the content model (:mod:`galien.core`), the build's
machinery (:mod:`galien.build`) and the letter's content (:mod:`galien.content`).
Each edition is an extension of its own, listed in ``conf.py`` and free to be
left out: :mod:`galien.web` (the website), :mod:`galien.print` (one PDF per
issue), :mod:`galien.epub` and :mod:`galien.mail`; each sets ``galien`` up first.

Order matters in three ways. ``myst_parser`` and ``sphinxcontrib.bibtex`` are
set up first, since the letter is written in MyST and cites with ``footcite``,
and the content's checks read bibtex's configuration. The core comes before the
content, because the directives record what they read in the registry's domain,
and the catalogs of :mod:`galien.core.i18n` must be known before any label is
translated. And the core's builder check (:mod:`galien.core.editions`) is
connected before any other ``builder-inited`` handler, so that a builder the
letter does not support stops before anything expects it to be one that it does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = '0.2.0'

PACKAGE_DIR = Path(__file__).parent
#: Bytecode and caches are not the extension's code.
NOT_CODE = frozenset({'.pyc', '.pyo'})


def code_version() -> int:
    """A number that changes with any file of the extension (code, styles, templates, catalogs).

    Given to Sphinx as the environment version: after an edit of the extension
    every document is read again, so that no page keeps what the old code made.
    """
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob('*')):
        if path.is_file() and path.suffix not in NOT_CODE and '__pycache__' not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b'\0')
            digest.update(path.read_bytes())
    return int(digest.hexdigest()[:15], 16)


def setup(app: Sphinx) -> ExtensionMetadata:
    # Imported here: the print edition's PDF/A step (``python -m galien.print.pdfa``,
    # once per PDF) and the command line import the package without needing Sphinx.
    from galien import build, content, core

    app.setup_extension('myst_parser')
    app.setup_extension('sphinxcontrib.bibtex')
    core.setup(app)
    build.setup(app)
    content.setup(app)
    return {
        'version': __version__,
        'env_version': code_version(),
        'parallel_read_safe': True,
        'parallel_write_safe': True,
    }
