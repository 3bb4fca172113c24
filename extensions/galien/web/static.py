"""Web assets: the letter's stylesheet, for the HTML site and the ePub, and its print styles."""

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
        app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file('galien.css')
    # Printing a page from the browser gives the letter alone, not the website around it
    # (the ePub leaves the stylesheet out: epub/accessibility.py).
    if app.builder.name != 'epub':
        app.add_css_file('galien-print.css', media='print')


def setup(app: Sphinx) -> None:
    app.connect('builder-inited', add_stylesheet)
