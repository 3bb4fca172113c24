"""The page around the issue's body: the letter's template, its stylesheet inlined.

Shared by both parts of the message: :class:`Letter` is what the HTML page
(:func:`render_letter`) and the plain-text part (:mod:`galien.mail.text`) show
around the issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import css_inline
from jinja2 import Environment, FileSystemLoader, select_autoescape

from galien.core.i18n import _

TEMPLATE_DIR = Path(__file__).parent
STYLESHEET = TEMPLATE_DIR / 'letter.css'


@dataclass(frozen=True)
class Letter:
    """What the page around the issue's body needs."""

    title: str
    language: str
    body: str
    online_url: str
    pdf_url: str
    preheader: str = ''
    publisher: str = ''


def _template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True),
        keep_trailing_newline=True,
    )


def render_letter(letter: Letter) -> str:
    """The whole message: page template around the body, every rule inlined."""
    template = _template_environment().get_template('letter.html')
    page = template.render(
        letter=letter,
        read_online=str(_('Read online')),
        download_pdf=str(_('Download the PDF')),
    )
    inliner = css_inline.CSSInliner(
        extra_css=STYLESHEET.read_text(encoding='utf-8'),
        load_remote_stylesheets=False,
        keep_style_tags=False,
        keep_link_tags=False,
    )
    # Ends with a newline, as the message's HTML part will.
    return inliner.inline(page).rstrip('\n') + '\n'
