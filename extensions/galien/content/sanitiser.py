"""What reaches a page: the HTML made from a document, checked against an allow-list by nh3.

The parser lets through only the letter's language (:mod:`galien.content.parser`);
this is the second wall, for whatever a bug, a new Sphinx release or an
extension lets slip into the HTML of a page's body (website, ePub, e-mail).
nh3 (the binding of Rust's ammonia) keeps the elements, attributes, URL schemes
and CSS properties listed here and drops the rest: no ``<script>``, event
handler, ``javascript:`` or ``data:`` address, ``<meta>``, ``<base>``,
``<form>``, ``<iframe>`` or ``style`` expression can come from a page's text,
whatever the route. The theme's own markup is not the page's and is not touched.

nh3 writes its own serialisation (``&nbsp;`` where Sphinx wrote U+00A0), so
it is used as a check: when the sanitised body says the same thing as the page
(same elements, attributes and text, read back by an HTML parser), the page
keeps its own bytes; when something was removed, the sanitised body is
published and a ``galien.html`` warning names what went.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Final

import nh3
from sphinx.util import logging

from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Everything Sphinx's HTML writer and the letter's visitors make for a page's body.
TAGS: Final = frozenset(
    {
        *('a', 'abbr', 'aside', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col'),
        *('colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption'),
        *('figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img'),
        *('ins', 'kbd', 'li', 'mark', 'nav', 'ol', 'p', 'pre', 'q', 's', 'samp', 'section'),
        *('small', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot'),
        *('th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'wbr'),
    }
)
#: Attributes any element may carry; ``style`` only with the properties below.
GENERIC_ATTRIBUTES: Final = frozenset(
    {
        *('class', 'id', 'title', 'lang', 'dir', 'role', 'style', 'aria-label', 'aria-hidden'),
        *('aria-labelledby', 'aria-describedby', 'aria-level', 'tabindex'),
    }
)
ATTRIBUTES: Final[dict[str, set[str]]] = {
    '*': set(GENERIC_ATTRIBUTES),
    'a': {'href', 'hreflang', 'rel', 'type', 'download'},
    'img': {'src', 'alt', 'width', 'height', 'loading', 'decoding'},
    'col': {'span', 'width'},
    'colgroup': {'span'},
    'td': {'colspan', 'rowspan', 'headers'},
    'th': {'colspan', 'rowspan', 'scope', 'headers', 'abbr'},
    'ol': {'start', 'reversed', 'type'},
    'li': {'value'},
    'time': {'datetime'},
    'blockquote': {'cite'},
    'q': {'cite'},
    'details': {'open'},
}
#: Layout properties Sphinx writes (image sizes, column widths); nothing that loads or positions.
STYLE_PROPERTIES: Final = frozenset({'width', 'height', 'max-width', 'text-align'})
URL_SCHEMES: Final = frozenset({'http', 'https', 'mailto'})
#: Removed with their content, not only their tags.
CONTENT_REMOVED: Final = frozenset({'script', 'style', 'template', 'noscript', 'iframe', 'object'})


def clean(html: str, extra_attributes: dict[str, set[str]] | None = None) -> str:
    """``html`` with only the allowed elements, attributes, schemes and style properties.

    ``extra_attributes`` are an edition's own (the e-mail's table layout attributes).
    """
    attributes = {tag: set(names) for tag, names in ATTRIBUTES.items()}
    for tag, names in (extra_attributes or {}).items():
        attributes.setdefault(tag, set()).update(names)
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CONTENT_REMOVED),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
        strip_comments=True,
    )


def _style(value: str) -> str:
    """A ``style`` attribute's declarations, spaced as nh3 writes them."""
    declarations = (d.partition(':') for d in value.split(';') if d.strip())
    return ';'.join(f'{name.strip().lower()}:{v.strip()}' for name, _colon, v in declarations)


class _Reading(HTMLParser):
    """The elements, attributes and text of some HTML, whatever its serialisation."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[Any, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == 'tbody' and not attrs:
            return  # nh3 writes the <tbody> that HTML implies
        read = ((k, _style(v or '') if k == 'style' else v or '') for k, v in attrs)
        self.events.append(('start', tag, tuple(sorted(read))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag != 'tbody':
            self.events.append(('end', tag))

    def handle_data(self, data: str) -> None:
        if self.events and self.events[-1][0] == 'text':
            self.events[-1] = ('text', self.events[-1][1] + data)
        else:
            self.events.append(('text', data))

    def handle_comment(self, data: str) -> None:
        self.events.append(('comment', data))

    def handle_decl(self, decl: str) -> None:
        self.events.append(('decl', decl))

    def handle_pi(self, data: str) -> None:
        self.events.append(('pi', data))

    def unknown_decl(self, data: str) -> None:
        self.events.append(('decl', data))


def _read(html: str) -> list[tuple[Any, ...]]:
    reading = _Reading()
    reading.feed(html)
    reading.close()
    return [event for event in reading.events if event != ('text', '')]


def removed(before: list[tuple[Any, ...]], after: list[tuple[Any, ...]]) -> list[str]:
    """A short description of what sanitising took away: elements, attributes, comments."""
    lost: set[str] = set()
    kept: dict[str, list[set[tuple[str, str]]]] = {}
    for event in after:
        if event[0] == 'start':
            kept.setdefault(event[1], []).append(set(event[2]))
    for event in before:
        if event[0] == 'start':
            tag, attrs = event[1], set(event[2])
            if not kept.get(tag):
                lost.add(f'<{tag}>')
                continue
            lost.update(f'{name}= de <{tag}>' for name, _value in attrs - kept[tag].pop(0))
        elif event[0] in {'comment', 'decl', 'pi'}:
            lost.add(f'<!{event[0]}>')
    return sorted(lost) or [__('texte ou structure')]


def sanitised(
    html: str, extra_attributes: dict[str, set[str]] | None = None
) -> tuple[str, list[str]]:
    """``html`` if it passes the allow-list unchanged, else its sanitised form and what went."""
    cleaned = clean(html, extra_attributes)
    before, after = _read(html), _read(cleaned)
    if before == after:
        return html, []
    return cleaned, removed(before, after)


def warn_removed(docname: str, what: list[str]) -> None:
    warn(
        logger,
        __('contenu retiré de la page publiée (hors de la liste blanche HTML) : %s'),
        ', '.join(what[:10]),
        location=docname,
        subtype=Subtype.HTML,
    )


def sanitise_page_body(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """The body of a page made from a document, as the theme receives it (website and ePub)."""
    if doctree is None or not isinstance(context.get('body'), str):
        return
    body, what = sanitised(context['body'])
    if what:
        warn_removed(pagename, what)
        context['body'] = body


#: Plain text the theme hands its templates, which Sphinx's templates print unescaped
#: (sphinx-book-theme 1.4 sets ``pagetitle`` to the title's text, printed in ``<h1>``).
THEME_TEXT_KEYS: Final = ('pagetitle', 'page_description')


def escape_theme_text(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """A page's words that the theme passes as plain text, escaped before a template prints them."""
    for key in THEME_TEXT_KEYS:
        value = context.get(key)
        if isinstance(value, str) and not hasattr(value, '__html__'):
            context[key] = html.escape(value, quote=False)


def setup(app: Sphinx) -> None:
    app.connect('html-page-context', sanitise_page_body)
    # After the theme's own handler, which sets these keys.
    app.connect('html-page-context', escape_theme_text, priority=900)
