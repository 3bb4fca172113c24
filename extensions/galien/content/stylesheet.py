"""The letter's stylesheet, for every edition made of HTML pages.

``static/galien.css`` styles what the blocks' HTML visitors write (``blocks.py``):
the website and the ePub both need it, so it belongs to neither of them, and
either can be switched off in ``conf.py`` without unstyling the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / 'static'


def add_stylesheet(app: Sphinx) -> None:
    # format, not name: the ePub builder is an HTML builder and wants the styles too.
    if app.builder.format != 'html':
        return
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path = [*app.config.html_static_path, str(STATIC_DIR)]
    app.add_css_file('galien.css')


def setup(app: Sphinx) -> None:
    app.connect('builder-inited', add_stylesheet)
