"""Galien: a Sphinx extension to publish a monthly letter from one source tree.

``galien`` itself sets up the content model (:mod:`galien.core`) and the
letter's content (:mod:`galien.content`). Each edition is an extension of its
own, listed in ``conf.py`` and free to be left out: :mod:`galien.web` (the
website), :mod:`galien.print` (one PDF per issue), :mod:`galien.epub` and
:mod:`galien.mail`; each sets ``galien`` up first.

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

from typing import TYPE_CHECKING

from galien import content, core

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = '0.2.0'


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension('myst_parser')
    app.setup_extension('sphinxcontrib.bibtex')
    core.setup(app)
    content.setup(app)
    return {
        'version': __version__,
        'env_version': 4,  # 4: drafts set aside (core/drafts.py)
        'parallel_read_safe': True,
        'parallel_write_safe': True,
    }
