"""Interface words of the letter, translated through the extension's own catalog.

Labels shown to readers ("Le chiffre du mois", "Directeur de publication"...)
are written in English in the code and translated by ``locale/*/galien.po``,
so the same extension could publish the letter in another language.

The extension's messages to editors (warnings, the command line's lines) are
written in French and looked up with ``__`` in the same catalog's console
namespace, not in Sphinx's: a catalog for another language translates them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CATALOG = 'galien'
LOCALE_DIR = Path(__file__).parent / 'locale'

_ = get_translation(CATALOG)
__ = get_translation(CATALOG, 'console')


def setup(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
