"""Which Sphinx builders make which edition of the letter.

Each edition package (:mod:`galien.web`, :mod:`galien.print`, :mod:`galien.epub`,
:mod:`galien.mail`) and the content above the core ask these sets, by builder
*name*: the ePub builder has the ``html`` format too, but the website's feeds,
PDF links and sidebar do not belong in the book.
"""

from __future__ import annotations

#: Builders that make the website, next to which the PDFs, feed and ePub are published.
SITE_BUILDERS = frozenset({'html', 'dirhtml'})
#: Builders whose pages link to one another (the website and the ePub).
LINKED_BUILDERS = SITE_BUILDERS | {'singlehtml', 'epub'}
#: Builders whose pages show the archive (listings, sidebar, links between issues);
#: the PDF and the e-mail of an issue do not change when another issue appears.
VIEW_BUILDERS = frozenset({'html', 'dirhtml', 'singlehtml', 'epub', 'text'})
