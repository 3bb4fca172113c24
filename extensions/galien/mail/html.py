"""The HTML part of the e-mail: the issue's body in mail-safe markup.

Mail clients ignore ``<style>`` (Gmail in part, Outlook's Word engine for
most selectors), links to stylesheets and scripts. So the translator keeps to
tables, paragraphs and lists, drops raw HTML and in-page links, and
:func:`galien.mail.letter.render_letter` inlines the whole stylesheet into
``style`` attributes.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

from docutils import nodes
from sphinx.locale import admonitionlabels
from sphinx.util import logging
from sphinx.util.images import get_image_size
from sphinx.writers.html5 import HTML5Translator

from galien.content.blocks import galien_block
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

logger = logging.getLogger(__name__)

#: A link whose text is its address, longer than this, shows a short text instead: a long
#: address has nowhere to break, and would widen the letter on a phone.
MAX_URL_TEXT = 40
#: A run of text without a space this long (an address typed in the text) could
#: widen the message on a phone: it may break after its slashes and signs.
LONG_RUN = re.compile(rf'[^\s<>]{{{MAX_URL_TEXT},}}')
BREAK_AFTER = re.compile(r'([/?=_-])(?=[^\s<>])')

#: Widest image the 600 px letter shows, inside its 24 px margins.
MAX_IMAGE_WIDTH = 552

# Admonitions framed in red rather than the letter's blue.
ALERTS = frozenset({'warning', 'caution', 'attention', 'danger', 'error'})


class EmailHTMLTranslator(HTML5Translator):
    """HTML5 for mail clients: table frames, absolute links, no raw HTML."""

    def visit_Text(self, node: nodes.Text) -> None:  # noqa: N802 (docutils naming)
        super().visit_Text(node)
        shown = self.body[-1] if self.body else ''
        if '<' not in shown and LONG_RUN.search(shown):
            # <wbr>, which the main clients honour, where overflow-wrap is ignored.
            self.body[-1] = LONG_RUN.sub(lambda run: BREAK_AFTER.sub(r'\1<wbr>', run[0]), shown)

    def _absolute(self, uri: str) -> str:
        page = self.builder.get_target_uri(self.builder.current_docname)
        return urljoin(page, uri)

    def dispatch_visit(self, node: nodes.Node) -> None:
        # The letter's blocks are framed as tables here, whatever HTML visitors the
        # website registered for them (app.add_node puts those on the instance).
        if isinstance(node, galien_block):
            self.visit_galien_block(node)
        else:
            super().dispatch_visit(node)

    def dispatch_departure(self, node: nodes.Node) -> None:
        if isinstance(node, galien_block):
            self.depart_galien_block(node)
        else:
            super().dispatch_departure(node)

    # -- links ----------------------------------------------------------------

    def visit_reference(self, node: nodes.Element) -> None:
        if 'refuri' in node:
            node['refuri'] = self._absolute(node['refuri'] or '#')
        elif 'refid' in node:
            node['refuri'] = self._absolute(f'#{node["refid"]}')
        text = node.astext()
        if len(text) > MAX_URL_TEXT and text == node.get('refuri') and len(node.children) == 1:
            node.replace(node[0], nodes.Text(short_url(text)))
        super().visit_reference(node)

    # -- footnotes: numbered notes without in-page links, which clients break -----

    def visit_footnote_reference(self, node: nodes.Element) -> None:
        self.body.append(self.starttag(node, 'sup', '', CLASS='galien-appel'))
        self.body.append(f'[{self.encode(node.astext())}]</sup>')
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.Element) -> None:
        if not isinstance(node.previous_sibling(), nodes.footnote):
            self.body.append(
                '<table role="presentation" class="galien-notes" width="100%" '
                'cellpadding="0" cellspacing="0" border="0">\n'
            )
        self.body.append(self.starttag(node, 'tr', CLASS='galien-note'))

    def depart_footnote(self, node: nodes.Element) -> None:
        self.body.append('</td></tr>\n')
        if not isinstance(node.next_node(descend=False, siblings=True), nodes.footnote):
            self.body.append('</table>\n')

    def visit_label(self, node: nodes.label) -> None:
        if not isinstance(node.parent, nodes.footnote):
            super().visit_label(node)
            return
        self.body.append(
            '<td class="galien-note-numero" valign="top">'
            f'[{self.encode(node.astext())}]</td>\n'
            '<td class="galien-note-texte" valign="top">'
        )
        raise nodes.SkipNode

    # -- structure ------------------------------------------------------------

    def visit_section(self, node: nodes.Element) -> None:
        self.section_level += 1
        self.body.append(self.starttag(node, 'div', CLASS='galien-section'))

    def depart_section(self, node: nodes.Element) -> None:
        self.section_level -= 1
        self.body.append('</div>\n')

    def visit_galien_block(self, node: nodes.Element) -> None:
        """A letter block framed by a one-column table, its label as the first row."""
        classes = ' '.join(['galien-bloc', *node['classes']])
        self.body.append(
            self.starttag(
                node,
                'table',
                CLASS=classes,
                role='presentation',
                width='100%',
                cellpadding='0',
                cellspacing='0',
                border='0',
            )
        )
        if label := node.get('label', ''):
            self.body.append(
                f'<tr><td class="galien-bloc-titre"><h2 class="galien-titre">'
                f'{self.encode(label)}</h2></td></tr>\n'
            )
        self.body.append('<tr><td class="galien-bloc-corps">\n')

    def depart_galien_block(self, node: nodes.Element) -> None:
        self.body.append('</td></tr></table>\n')

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        """The board's members in two columns, as on the website, but as a table."""
        if 'galien-board-membres' not in node['classes']:
            super().visit_bullet_list(node)
            return
        half = (len(node) + 1) // 2
        self.body.append(
            self.starttag(
                node,
                'table',
                CLASS='galien-board-membres',
                role='presentation',
                width='100%',
                cellpadding='0',
                cellspacing='0',
                border='0',
            )
            + '<tr>'
        )
        for column in (node.children[:half], node.children[half:]):
            self.body.append('<td class="galien-board-colonne" width="50%" valign="top">\n')
            for item in column:
                for child in item.children:
                    child.walkabout(self)
            self.body.append('</td>')
        self.body.append('</tr></table>\n')
        raise nodes.SkipNode

    def visit_raw(self, node: nodes.Element) -> None:
        # Editors' raw HTML may hold scripts or styles no mail client accepts.
        if 'html' in node.get('format', '').split():
            warn(
                logger,
                __("le HTML brut n'est pas repris dans l'e-mail"),
                location=node,
                subtype=Subtype.EMAIL,
            )
        raise nodes.SkipNode

    # A table cell holding one paragraph takes no <p>: the cell has the style
    # (a 60-row table stays under the 100 KB Gmail clips at).

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if not _sole_paragraph_of_cell(node):
            super().visit_paragraph(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        if not _sole_paragraph_of_cell(node):
            super().depart_paragraph(node)

    # -- notes: a framed table, the French title (as on the website) in a bar -----

    def visit_admonition(self, node: nodes.Element, name: str = '') -> None:
        title = str(admonitionlabels[name]) if name in admonitionlabels else ''
        if not title and node.children and isinstance(node[0], nodes.title):
            title = node[0].astext()  # {admonition} with the editor's own title
        classes = ['galien-encadre']
        if name in ALERTS:
            classes.append('galien-encadre-alerte')
        self.body.append(
            self.starttag(
                node,
                'table',
                CLASS=' '.join(classes),
                role='presentation',
                width='100%',
                cellpadding='0',
                cellspacing='0',
                border='0',
            )
        )
        if title:
            self.body.append(
                f'<tr><td class="galien-encadre-titre">{self.encode(title)}</td></tr>\n'
            )
        self.body.append('<tr><td class="galien-encadre-corps">\n')
        self.context.append('</td></tr></table>\n')

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, nodes.Admonition):
            raise nodes.SkipNode  # already in the frame's title bar
        super().visit_title(node)

    # -- images: absolute, sized, described -----------------------------------

    def visit_image(self, node: nodes.Element) -> None:
        """``<img>`` by absolute URL, with the pixel size and alt text clients need."""
        uri = node['uri']
        if uri in self.builder.images:
            src = f'{self.builder.imgpath}/{quote(self.builder.images[uri])}'
            size = get_image_size(self.builder.srcdir / uri)
        else:
            src, size = self._absolute(uri), None
        # A missing alt text is reported when the issue is read (source_checks).
        attributes = {'src': src, 'alt': node.get('alt', ''), 'border': '0'}
        width, height = _pixels(node.get('width')), _pixels(node.get('height'))
        if (width is None or height is None) and size is not None:
            width, height = size
        if width is not None and height is not None:
            limit = MAX_IMAGE_WIDTH
            if width > limit:
                width, height = limit, round(height * limit / width)
            attributes.update(width=str(width), height=str(height))
            # Outlook takes the attributes; other clients shrink it to narrow screens.
            attributes['style'] = f'width: 100%; max-width: {width}px; height: auto;'
        self.body.append(self.emptytag(node, 'img', '', CLASS='galien-image', **attributes))
        raise nodes.SkipNode


def short_url(url: str) -> str:
    """``https://www.leem.org/sites/…/plateforme.pdf`` -> ``www.leem.org/…/plateforme.pdf``."""
    parts = urlsplit(url)
    host = parts.netloc or url[:MAX_URL_TEXT]
    last = parts.path.rstrip('/').rpartition('/')[2]
    shown = f'{host}/…/{last}' if last else host
    return shown if len(shown) <= MAX_URL_TEXT else f'{host}/…'


def _sole_paragraph_of_cell(node: nodes.Element) -> bool:
    return isinstance(node.parent, nodes.entry) and len(node.parent) == 1


def _pixels(value: object) -> int | None:
    """``'120'`` or ``'120px'`` as an integer; other units are not pixels."""
    text = str(value or '').removesuffix('px')
    return int(text) if text.isdigit() else None
