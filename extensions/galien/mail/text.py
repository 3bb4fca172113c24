"""The plain-text part of the e-mail, for clients that show no HTML.

Sphinx's text translator renders the issue, with the ``text`` visitors of the
letter's blocks. A web address must survive line wrapping whole, so each link
becomes a marker ``<1>`` in the text and its address is listed, unwrapped, at
the end, as plain-text letters usually do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.writers.text import TextTranslator

from galien.content import blocks, chiffre, images
from galien.core.i18n import _

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from galien.mail.letter import Letter

WEB_SCHEMES = ('http://', 'https://', 'mailto:')


class EmailTextTranslator(TextTranslator):
    """Plain text whose links are numbered markers, their addresses in :attr:`links`."""

    links: list[str]

    # The letter's blocks and figure as in the text edition (blocks.py, chiffre.py):
    # Sphinx's translators dispatch along the node's classes, so one pair serves
    # every block.
    visit_galien_block = blocks.visit_text
    depart_galien_block = blocks.skip_frame
    visit_chiffre_figure = chiffre.visit_figure_text
    depart_chiffre_figure = chiffre.depart_figure_text
    visit_image_frame = images.visit_frame_text
    depart_image_frame = images.depart_frame_text

    def _marker(self, uri: str) -> str:
        if uri not in self.links:
            self.links.append(uri)
        return f'<{self.links.index(uri) + 1}>'

    def visit_reference(self, node: nodes.Element) -> None:
        uri = node.get('refuri', '')
        if not uri.startswith(WEB_SCHEMES):
            super().visit_reference(node)
            return
        if node.astext() == uri:
            # The words are the address: the marker alone, so no line cuts it.
            self.add_text(self._marker(uri))
            raise nodes.SkipNode

    def depart_reference(self, node: nodes.Element) -> None:
        uri = node.get('refuri', '')
        if uri.startswith(WEB_SCHEMES):
            self.add_text(f' {self._marker(uri)}')


def render_text(builder: Builder, doctree: nodes.document, letter: Letter) -> str:
    """The issue as plain text: links to the website and the PDF, body, addresses."""
    translator = EmailTextTranslator(doctree, builder)  # type: ignore[arg-type]
    translator.links = []
    doctree.walkabout(translator)
    editions = (
        f'{_("Read online")} : {letter.online_url}\n{_("Download the PDF")} : {letter.pdf_url}\n'
    )
    addresses = ''.join(f'<{n}> {uri}\n' for n, uri in enumerate(translator.links, 1))
    if addresses:
        addresses = f'\n{_("Links")}\n\n{addresses}'
    return f'{editions}\n{translator.body.strip()}\n{addresses}\n-- \n{editions}'
