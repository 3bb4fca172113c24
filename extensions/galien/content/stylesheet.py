"""The letter's stylesheet, for every edition made of HTML pages.

``static/galien.css`` styles what the blocks' HTML visitors write (``blocks.py``):
the website and the ePub both need it, so it belongs to neither of them, and
either can be switched off in ``conf.py`` without unstyling the other. For the
same reason, a page without code goes without ``pygments.css``, on the site as
in the book.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from galien.core.editions import STYLED, edition

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / 'static'
PYGMENTS_CSS = 'pygments.css'


def add_stylesheet(app: Sphinx) -> None:
    # The ePub and the e-mail are HTML too and want the styles.
    if edition(app.builder) not in STYLED:
        return
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path = [*app.config.html_static_path, str(STATIC_DIR)]
    app.add_css_file('galien.css')


def has_code(doctree: nodes.document | None) -> bool:
    return doctree is None or next(doctree.findall(nodes.literal_block), None) is not None


def asset_path(asset: object) -> str:
    """The path of a page's script or stylesheet (a Sphinx asset or a plain path)."""
    return str(getattr(asset, 'filename', asset)).split('?')[0]


def is_one_of(asset: object, names: tuple[str, ...]) -> bool:
    path = asset_path(asset)
    return any(path == name or path.endswith(f'/{name}') for name in names)


def drop_unused_highlighting(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """A page without code does without the highlighting's stylesheet."""
    css_files = context.get('css_files')
    if not has_code(doctree) and isinstance(css_files, list):
        css_files[:] = [css for css in css_files if not is_one_of(css, (PYGMENTS_CSS,))]


def setup(app: Sphinx) -> None:
    app.connect('builder-inited', add_stylesheet)
    app.connect('html-page-context', drop_unused_highlighting)
