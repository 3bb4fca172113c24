"""The website's print styles: printing a page from the browser gives the letter alone.

The letter's own stylesheet, shared with the ePub, is :mod:`galien.content.stylesheet`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from galien.core.editions import STYLED, Edition, edition

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / 'static'


def add_print_stylesheet(app: Sphinx) -> None:
    # The ePub leaves the print stylesheet out (epub/accessibility.py).
    if edition(app.builder) not in STYLED - {Edition.BOOK}:
        return
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path = [*app.config.html_static_path, str(STATIC_DIR)]
    app.add_css_file('galien-print.css', media='print')


def setup(app: Sphinx) -> None:
    app.connect('builder-inited', add_print_stylesheet)
