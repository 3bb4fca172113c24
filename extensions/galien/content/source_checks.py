"""Checks on what editors type that Sphinx would otherwise crash on or let pass.

* A file not saved as UTF-8 makes Sphinx stop with a traceback ("Encoding
  error!"), because ``Builder.read_doc`` decodes strictly. We look at the bytes
  first, name the file and line, and leave that file out until it is fixed.
* An image without alternative text is invisible to screen-reader users.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import __
from sphinx.util import logging

from galien.core.documents import leave_out_of_build
from galien.core.report import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def skip_undecodable_sources(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    encoding = env.config.source_encoding
    for docname in list(docnames):
        data = env.doc2path(docname).read_bytes()
        try:
            data.decode(encoding)
        except UnicodeDecodeError as error:
            lineno = data.count(b'\n', 0, error.start) + 1
            warn(
                logger,
                __(
                    "le fichier n'est pas enregistré en UTF-8 (octet 0x%02x) : il est "
                    "ignoré jusqu'à ce qu'il soit réenregistré en UTF-8"
                ),
                data[error.start],
                location=(docname, lineno),
                subtype='encoding',
            )
            docnames.remove(docname)
            leave_out_of_build(env, docname)


def _located(node: nodes.Node) -> nodes.Node:
    """The node itself or its nearest ancestor that knows its line (inline images don't)."""
    while not node.line and node.parent is not None:
        node = node.parent
    return node


def warn_images_without_alt(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        if not image.get('alt', '').strip():
            uri = image.get('uri', '')
            warn(
                logger,
                __("l'image %s n'a pas de texte alternatif : écrivez ![description](%s)"),
                uri,
                uri,
                location=_located(image),
                subtype='image',
            )


def setup(app: Sphinx) -> None:
    app.connect('env-before-read-docs', skip_undecodable_sources)
    app.connect('doctree-read', warn_images_without_alt)
