"""Which Sphinx builders make which edition of the letter.

Each edition package (:mod:`galien.web`, :mod:`galien.print`, :mod:`galien.epub`,
:mod:`galien.mail`) and the content above the core ask these sets, by builder
*name*: the ePub builder has the ``html`` format too, but the website's feeds,
PDF links and sidebar do not belong in the book.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.locale import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Builders that make the website, next to which the PDFs, feed and ePub are published.
SITE_BUILDERS = frozenset({'html', 'dirhtml'})
#: Builders whose pages link to one another (the website and the ePub).
LINKED_BUILDERS = SITE_BUILDERS | {'singlehtml', 'epub'}
#: Builders whose pages show the archive (listings, sidebar, links between issues,
#: to the index of drugs); the PDF of an issue does not change when another appears.
VIEW_BUILDERS = frozenset({'html', 'dirhtml', 'singlehtml', 'epub', 'text', 'email'})

#: Builders that make an edition of the letter (the website, the PDF, the ePub,
#: the e-mail, plain text, a manual page, Texinfo).
EDITION_BUILDERS = (
    'html',
    'dirhtml',
    'singlehtml',
    'latex',
    'epub',
    'email',
    'text',
    'man',
    'texinfo',
)
#: Builders that check or extract the sources rather than publish them.
TOOL_BUILDERS = ('linkcheck', 'gettext', 'xml', 'pseudoxml', 'changes', 'dummy')


def stop_unsupported_builder(app: Sphinx) -> None:
    """Any other builder (help files, serialised HTML...) stops at once, in one line.

    A ``SystemExit`` rather than a Sphinx error: ``sphinx-build`` prints its
    message alone, without the crash report meant for bugs.
    """
    name = app.builder.name
    if name in EDITION_BUILDERS or name in TOOL_BUILDERS:
        return
    raise SystemExit(
        __(
            'galien : le constructeur « %s » ne fait aucune édition de la lettre ; '
            'utilisez %s (ou %s pour vérifier les sources)'
        )
        % (name, ', '.join(EDITION_BUILDERS), ', '.join(TOOL_BUILDERS))
    )


def setup(app: Sphinx) -> None:
    # Before any other handler, which could fail on a builder it does not expect.
    app.connect('builder-inited', stop_unsupported_builder, priority=0)
