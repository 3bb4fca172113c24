"""LaTeX support: the letter's style file travels with every LaTeX build."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STYLE_FILE = Path(__file__).parent / 'latex' / 'galien.sty'


def add_style_file(app: Sphinx, config: Config) -> None:
    """Ship ``galien.sty`` next to the ``.tex`` files (an absolute path is kept as is)."""
    if str(STYLE_FILE) not in config.latex_additional_files:
        config.latex_additional_files = [*config.latex_additional_files, str(STYLE_FILE)]


def setup(app: Sphinx) -> None:
    app.add_latex_package('galien')
    app.connect('config-inited', add_style_file)
