"""Checks on what editors type that Sphinx would otherwise crash on or let pass.

* A file not saved as UTF-8 makes Sphinx stop with a traceback ("Encoding
  error!"), because ``Builder.read_doc`` decodes strictly. We look at the bytes
  first, name the file and line, and leave that file out until it is fixed.
* NUL and the other control characters (C0 but tab, newline and carriage
  return; DEL; C1), U+FFFD (the trace of a bad conversion) and the XML
  non-characters U+FFFE and U+FFFF have no place in a letter, and make the
  ePub ill-formed (epubcheck FATAL). They are taken out of the text as it is
  read (``source-read``, and ``include-read`` for an included file), before
  front matter and Markdown are parsed, with a warning at each line
  (``galien.caractere``); lines keep their numbers.
* An image without alternative text is invisible to screen-reader users.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from galien.build.documents import leave_out_of_build
from galien.core.characters import BAD_CHARACTERS
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

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
                subtype=Subtype.ENCODAGE,
            )
            docnames.remove(docname)
            leave_out_of_build(env, docname)


def without_bad_characters(text: str, location: Callable[[int], str | tuple[str, int]]) -> str:
    """``text`` without :data:`BAD_CHARACTERS`, warning once per line that had some."""
    if BAD_CHARACTERS.search(text) is None:
        return text
    lines = text.split('\n')
    for lineno, line in enumerate(lines, start=1):
        found = sorted(set(BAD_CHARACTERS.findall(line)))
        if not found:
            continue
        warn(
            logger,
            __('caractère invisible ou invalide %s retiré : retapez ce passage'),
            ', '.join(f'U+{ord(character):04X}' for character in found),
            location=location(lineno),
            subtype=Subtype.CARACTERE,
        )
        lines[lineno - 1] = BAD_CHARACTERS.sub('', line)
    return '\n'.join(lines)


def remove_bad_characters(app: Sphinx, docname: str, source: list[str]) -> None:
    source[0] = without_bad_characters(source[0], lambda lineno: (docname, lineno))


def remove_bad_included_characters(
    app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]
) -> None:
    path = app.srcdir / relative_path
    content[0] = without_bad_characters(content[0], lambda lineno: f'{path}:{lineno}')


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
                subtype=Subtype.IMAGE,
            )


def setup(app: Sphinx) -> None:
    app.connect('env-before-read-docs', skip_undecodable_sources)
    app.connect('source-read', remove_bad_characters)
    app.connect('include-read', remove_bad_included_characters)
    app.connect('doctree-read', warn_images_without_alt)
