"""LaTeX support: the letter's style files travel with every LaTeX build.

``galien.sty`` lays out the letter's blocks; ``galienoutline.sty``, loaded after
hyperref, gives each PDF its outline (bookmarks).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.texescape import escape

from galien.core.i18n import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STYLE_FILE = Path(__file__).parent / 'latex' / 'galien.sty'
OUTLINE_FILE = Path(__file__).parent / 'latex' / 'galienoutline.sty'


def add_style_file(app: Sphinx, config: Config) -> None:
    """Ship the style files next to the ``.tex`` files (an absolute path is kept as is)."""
    for path in (STYLE_FILE, OUTLINE_FILE):
        if str(path) not in config.latex_additional_files:
            config.latex_additional_files = [*config.latex_additional_files, str(path)]


def name_outline_entries(app: Sphinx, config: Config) -> None:
    """The outline's word for the sources, in the letter's language."""
    elements = dict(config.latex_elements)
    name = escape(str(_('Sources')), config.latex_engine)
    elements['preamble'] = (
        f'{elements.get("preamble", "")}\n\\renewcommand{{\\galiensourcesname}}{{{name}}}'
    )
    config.latex_elements = elements


def setup(app: Sphinx) -> None:
    app.add_latex_package('galien')
    app.add_latex_package('galienoutline', after_hyperref=True)
    app.connect('config-inited', add_style_file)
    app.connect('config-inited', name_outline_entries)
