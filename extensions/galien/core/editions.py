"""Which edition of the letter a builder makes: the one question, asked one way.

Each edition package (:mod:`galien.web`, :mod:`galien.print`, :mod:`galien.epub`,
:mod:`galien.mail`) and the content above the core ask :func:`edition`, or give
a ``SphinxPostTransform`` the builders of an edition (:func:`builders_of`). By
builder *name*, never by ``format``: the ePub and e-mail builders have the
``html`` format too, but the website's feeds, PDF links and sidebar do not
belong in the book or the e-mail.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from galien.core.i18n import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class Edition(Enum):
    """An edition of the letter, or the tools that check its sources."""

    SITE = 'site'  # the website, next to which the PDFs, feed and ePub are published
    SINGLE_PAGE = 'single-page'  # the whole letter as one HTML page
    BOOK = 'book'  # the ePub
    PRINT = 'print'  # one PDF per issue
    EMAIL = 'email'
    TEXT = 'text'
    MAN = 'man'
    TEXINFO = 'texinfo'
    TOOL = 'tool'  # checks or extracts the sources rather than publish them


#: The builders of each edition, by name.
BUILDERS: dict[str, Edition] = {
    'html': Edition.SITE,
    'dirhtml': Edition.SITE,
    'singlehtml': Edition.SINGLE_PAGE,
    'latex': Edition.PRINT,
    'epub': Edition.BOOK,
    'email': Edition.EMAIL,
    'text': Edition.TEXT,
    'man': Edition.MAN,
    'texinfo': Edition.TEXINFO,
    'volume': Edition.TOOL,  # the plan of an annual volume (print/volume.py)
    **dict.fromkeys(('linkcheck', 'gettext', 'xml', 'pseudoxml', 'changes', 'dummy'), Edition.TOOL),
}
#: Editions whose pages link to one another (previous/next, cité dans).
LINKED = frozenset({Edition.SITE, Edition.SINGLE_PAGE, Edition.BOOK})
#: Editions made of HTML pages with the letter's stylesheet.
STYLED = LINKED | {Edition.EMAIL}
#: Editions written page by page, whose pages show derived data (listings, sidebar,
#: links between issues): a page is written again when that data changes. The PDF
#: of an issue does not change when another appears.
PAGED = frozenset({Edition.SITE, Edition.SINGLE_PAGE, Edition.BOOK, Edition.TEXT, Edition.EMAIL})


def edition(builder: Builder | str) -> Edition | None:
    """The edition ``builder`` (or a builder's name) makes; ``None`` for any other builder."""
    name = builder if isinstance(builder, str) else builder.name
    return BUILDERS.get(name)


def builders_of(*editions: Edition) -> tuple[str, ...]:
    """The names of the builders making ``editions``, for ``SphinxPostTransform.builders``."""
    return tuple(name for name, made in BUILDERS.items() if made in editions)


def writing_builder(env: BuildEnvironment) -> Builder:
    """The builder writing now, for a post-transform that makes links (``get_relative_uri``).

    Workaround for Sphinx 9.0.4: post-transforms have no public way to it;
    ``SphinxTransform.app`` is deprecated (removal in Sphinx 11) and Sphinx's own
    post-transforms read ``env._app``. The one place the extension does; replace it when Sphinx
    offers a public accessor.
    """
    return env._app.builder


def stop_unsupported_builder(app: Sphinx) -> None:
    """Any other builder (help files, serialised HTML...) stops at once, in one line.

    A ``SystemExit`` rather than a Sphinx error: ``sphinx-build`` prints its
    message alone, without the crash report meant for bugs.
    """
    if edition(app.builder) is not None:
        return
    raise SystemExit(
        __(
            'galien : le constructeur « %s » ne fait aucune édition de la lettre ; '
            'utilisez %s (ou %s pour vérifier les sources)'
        )
        % (
            app.builder.name,
            ', '.join(n for n, e in BUILDERS.items() if e is not Edition.TOOL),
            ', '.join(builders_of(Edition.TOOL)),
        )
    )


def setup(app: Sphinx) -> None:
    # Before any other handler, which could fail on a builder it does not expect.
    app.connect('builder-inited', stop_unsupported_builder, priority=0)
