"""What the ePub declares and does for readers with disabilities (EPUB Accessibility 1.1).

* ``content.opf`` states the conformance (EPUB Accessibility 1.1, WCAG 2.1 AA),
  who certifies it, the access modes, the features, the hazards (none) and a
  summary in the book's language; the cover image is marked ``cover-image``.
* The navigation document's ``epub:type`` gets the matching ARIA role.
* Every XHTML page states its language (``lang`` and ``xml:lang``).

Sphinx writes ``content.opf`` and ``nav.xhtml`` from its own templates; the
builder (``book.py``) calls the functions below on the written files, which
are parsed and written back with an XML parser.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from xml.dom import minidom

from galien.content.typography import typeset
from galien.core.config import EPUB, add_settings
from galien.core.i18n import _

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.application import Sphinx
    from sphinx.config import Config

CONFORMANCE = 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA'
#: The book is text with a few pictures (the cover, figures), each with a text alternative.
ACCESS_MODES = ('textual', 'visual')
ACCESS_MODES_SUFFICIENT = ('textual', 'textual,visual')
FEATURES = (
    'tableOfContents',
    'readingOrder',
    'structuralNavigation',
    'alternativeText',
    'displayTransformability',
)
HAZARDS = ('none',)
#: ARIA roles for the ``epub:type`` values of the navigation document (DPUB-ARIA).
NAV_ROLES = {'toc': 'doc-toc', 'page-list': 'doc-pagelist'}
#: Files that the website's theme and extension put in ``_static/`` and the book
#: does not use: the sidebar's icons (``file.png`` stays: ``epub.css`` names it).
SITE_ONLY_STATIC = ('_static/minus.png', '_static/plus.png')
PRINT_STYLESHEET = '_static/galien-print.css'


def default_summary() -> str:
    return str(
        _(
            'Galien, the letter on innovative cancer drugs: every issue in one '
            'reflowable book, newest first, in reading order. The table of contents '
            'lists the issues by year and, for each issue, its sections and articles; '
            'headings, lists and tables are marked up as such, and every picture (the '
            'cover, the figures) has a text alternative. The text can be enlarged and '
            'its font and colours changed; no information is given by colour alone; '
            'no sound, video, animation or flashing. Meets EPUB Accessibility 1.1 at '
            'WCAG 2.1 level AA, checked with Ace by DAISY.'
        )
    )


def package_metadata(config: Config) -> list[tuple[str, str]]:
    """The ``<meta property=...>`` entries that the package declares, in order."""
    summary = config.galien_epub_accessibility_summary or default_summary()
    certifier = config.galien_publisher or config.epub_publisher
    return [
        ('dcterms:conformsTo', CONFORMANCE),
        *([('a11y:certifiedBy', certifier)] if certifier else []),
        *(('schema:accessMode', mode) for mode in ACCESS_MODES),
        *(('schema:accessModeSufficient', modes) for modes in ACCESS_MODES_SUFFICIENT),
        *(('schema:accessibilityFeature', feature) for feature in FEATURES),
        *(('schema:accessibilityHazard', hazard) for hazard in HAZARDS),
        ('schema:accessibilitySummary', typeset(config, summary)),
    ]


def declare_in_package(opf: Path, entries: list[tuple[str, str]], cover_id: str) -> None:
    """Add ``entries`` to the package's metadata; mark the cover image (EPUB 3)."""
    document = minidom.parse(str(opf))
    metadata = document.getElementsByTagName('metadata')[0]
    last = metadata.lastChild
    # New entries go before the closing tag's indentation, one per line.
    indent = last if last is not None and last.nodeType == last.TEXT_NODE else None
    for prop, value in entries:
        meta = document.createElement('meta')
        meta.setAttribute('property', prop)
        meta.appendChild(document.createTextNode(value))
        metadata.insertBefore(document.createTextNode('\n    '), indent)
        metadata.insertBefore(meta, indent)
    for item in document.getElementsByTagName('item'):
        if cover_id and item.getAttribute('id') == cover_id:
            properties = item.getAttribute('properties').split()
            item.setAttribute('properties', ' '.join([*properties, 'cover-image']))
    opf.write_bytes(document.toxml(encoding='utf-8'))


def add_nav_roles(nav: Path) -> None:
    """Give each ``<nav epub:type=...>`` its ARIA role (``toc`` is ``doc-toc``)."""
    document = minidom.parse(str(nav))
    for element in document.getElementsByTagName('nav'):
        role = NAV_ROLES.get(element.getAttribute('epub:type'))
        if role and not element.getAttribute('role'):
            element.setAttribute('role', role)
    nav.write_bytes(document.toxml(encoding='utf-8'))


def html_tag(language: str) -> str:
    """The root element of every XHTML page, with its language for both parsers."""
    lang = html.escape(language)
    return (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{lang}" xml:lang="{lang}">'
    )


def site_only_files(config: Config) -> list[str]:
    """Files of the website's ``_static/`` that stay out of the book (its logo among them)."""
    files = [*SITE_ONLY_STATIC, PRINT_STYLESHEET]
    logo = config.html_logo
    if logo and '://' not in logo:
        files.append(f'_static/{logo.replace(chr(92), "/").rsplit("/", 1)[-1]}')
    return files


def setup(app: Sphinx) -> None:
    add_settings(app, EPUB)
