"""Drugs in the letter: what editors write, the drugs of each issue, the index page.

Three modules over the drug domain (``core/drug_domain.py``):
``drug_markup.py`` the ``{dci}`` role and the ``{medicament}`` block,
``drug_list.py`` « Médicaments cités dans ce numéro » under each issue's
sources, ``drug_index.py`` the page « Index des médicaments »
(``{galien-medicaments}``); ``drug_atc.py`` the ATC codes and their labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien.content import drug_index, drug_list, drug_markup

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    drug_markup.setup(app)
    drug_list.setup(app)
    drug_index.setup(app)
