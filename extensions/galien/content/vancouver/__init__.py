"""References in Vancouver style (ICMJE recommendations, NLM *Citing Medicine*), in French.

Two plugins, registered by :func:`setup` through the public registries of
pybtex (``pybtex.plugin.register_plugin``) and sphinxcontrib-bibtex
(``sphinxcontrib.bibtex.plugin.register_plugin``), and chosen in ``conf.py``:

* ``bibtex_default_style = 'vancouver'``: :class:`VancouverStyle`, how a
  source is printed in the footnotes of every edition;
* ``bibtex_foot_reference_style = 'vancouver'``: :class:`VancouverFootStyle`,
  ``{footcite:t}`` reads ``Ravì et al., 2017`` and a call to the footnote,
  ``{footcite:p}`` is the numbered call alone.

Rules followed (Citing Medicine, 2nd ed., chapters 1, 2, 3, 6, 22 and 25;
ICMJE sample references), and the choices made where they leave one:

* Authors: ``Surname Initials``, initials without dots or spaces, one per
  given name and per part of a hyphenated name (``Cazin JL``,
  ``Yang GZ``), particles kept with the surname (``van der Berg JP``), a
  lineage after the initials (``King ML Jr``), an organisation as written.
  Separated by commas; more than six: the first six, then ``et al.``
  (ICMJE). No author: the reference starts with the title.
* Titles as written in the .bib (no change of case, so the braces that
  protect capitals, ``{HER2}``, are simply not printed), followed by a period
  unless they end with ``?`` or ``!``. No italics anywhere.
* Journal: the NLM abbreviation from ``shortjournal`` or ``journalabbrev``,
  else ``journal`` (biblatex's ``journaltitle``; its ``date`` gives the year
  when there is no ``year``, as Zotero exports them). Then
  ``year;volume(number):pages`` with no space, month left out (ICMJE allows
  it; continuous pagination). Pages shortened as the
  NLM does: leading digits repeated in the last page are dropped
  (``101-10``, ``1234-9``, ``S12-9``), ``4-21`` stays.
* ``doi:10.…`` then ``PMID: …`` (field ``pmid``), links to doi.org and
  PubMed, separated by a period but with none after the last (it would be
  read as part of the identifier, as in the ICMJE sample).
  A ``url`` is printed as ``Disponible sur : URL`` when there is no DOI.
* Web pages (``@online``, ``@misc`` … with a ``url``): ``Titre [Internet].
  Lieu : Éditeur ; année [cité le 12 mars 2018]. Disponible sur : URL``; the
  access date comes from ``urldate`` (``AAAA-MM-JJ``).
* Books: ``Auteurs. Titre. 2e éd. Lieu : Éditeur ; année.``; a first edition
  is not mentioned; editors without authors: ``Dupont J, éditeur.``
* Chapters (``@incollection``, ``@inproceedings``, ``@inbook`` with a
  ``booktitle``): ``Auteurs. Titre du chapitre. Dans : Dupont J, Martin P,
  éditeurs. Titre du livre. Lieu : Éditeur ; année. p. 12-34.``
* Reports: ``Auteurs. Titre. Lieu : Institution ; année. Rapport n° 12.``
  Theses: ``Auteur. Titre [thèse]. Lieu : Université ; année.`` (``[mémoire]``
  for a master's thesis, or the ``type`` field).
* French punctuation: a space before ``:`` and ``;`` in words
  (``Paris : Masson ; 2017``, ``Dans :``), none in the numeric locator
  (``2017;21(1):4-21``); the typography transform makes those spaces
  non-breaking.
* Missing fields are left out with their punctuation. An entry type the
  style does not know is printed plainly (authors, title, container, place,
  publisher, year, identifiers) and reported by
  :mod:`galien.content.bibliography` as ``galien.style-reference``.

The package follows ``sphinxcontrib/bibtex/style/``: :mod:`.names` (persons),
:mod:`.template` (the fields' template nodes), :mod:`.style` (the entry
templates), :mod:`.foot` (the footnote reference style).

The words (``Dans``, ``éditeurs``, ``Disponible sur``, ``cité le``, month
names…) come from the ``galien`` message catalog.
"""

from __future__ import annotations

import pybtex.plugin
from sphinxcontrib.bibtex.plugin import find_plugin as find_reference_style
from sphinxcontrib.bibtex.plugin import register_plugin as register_reference_style

from galien.content.vancouver.foot import VancouverFootStyle, VancouverTextualStyle
from galien.content.vancouver.style import VancouverStyle
from galien.content.vancouver.template import shorten_pages

__all__ = [
    'STYLE_NAME',
    'VancouverFootStyle',
    'VancouverStyle',
    'VancouverTextualStyle',
    'register',
    'shorten_pages',
]

STYLE_NAME = 'vancouver'


def register() -> bool:
    """Make ``vancouver`` known to pybtex and sphinxcontrib-bibtex; False if the name is taken.

    Both registries are the packages' public ones; registering twice (one
    Sphinx application after another in a process) is harmless.
    """
    formatting = pybtex.plugin.register_plugin(
        'pybtex.style.formatting', STYLE_NAME, VancouverStyle
    )
    group = 'sphinxcontrib.bibtex.style.referencing'
    try:
        current = find_reference_style(group, STYLE_NAME)
    except ImportError:
        current = None
    if current is None:
        register_reference_style(group, STYLE_NAME, VancouverFootStyle)
    return formatting and current in (None, VancouverFootStyle)
