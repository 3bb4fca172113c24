"""SVG images made safe: parsed without entity tricks, rewritten from an allow-list.

An SVG file is a program as much as a picture: opened from the website it runs
its ``<script>`` and ``onload=`` in the site's origin, and it may pull other
files or pages in (``<image href="https://…">``, ``<use href="autre.svg#x">``,
``@import``, ``url(…)``, ``<foreignObject>``). What the editions get is a copy
written back from the parsed tree, keeping only SVG elements of
:data:`ELEMENTS`, and attributes that name nothing outside the file: links only
to a ``#fragment`` of the same file.

Parsing uses expat directly, so that the document type cannot hide anything:
external entities, parameter entities and entities built from other entities
(the "billion laughs") are refused, and the text the parser produces is
bounded. This is what ``defusedxml`` does; it is not a dependency of the project.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

SVG_NS = 'http://www.w3.org/2000/svg'
XLINK_NS = 'http://www.w3.org/1999/xlink'
XML_NS = 'http://www.w3.org/XML/1998/namespace'
XHTML_NS = 'http://www.w3.org/1999/xhtml'

#: Bigger SVG files are refused: no figure of the letter needs that much.
MAX_BYTES = 8 * 1024 * 1024
#: Entities the document type may declare (Illustrator names its namespaces so).
MAX_ENTITIES = 64
MAX_ENTITY_LENGTH = 1024
#: Text the parser may produce beyond the file's own size (expanded entities).
MAX_EXPANSION = 1024 * 1024
#: Elements nested deeper are refused: the cleaning and writing below recurse
#: once per level, and drawings nest a few groups deep.
MAX_DEPTH = 100

#: The SVG elements kept. Everything else is left out: ``script``,
#: ``foreignObject`` (HTML inside the picture), animations (``set`` and
#: ``animate`` can turn a link into ``javascript:``), ``iframe``… A link (``a``)
#: becomes a group: inside an image, it would lead nowhere.
ELEMENTS = frozenset(
    {
        'svg', 'g', 'defs', 'desc', 'title', 'metadata', 'symbol', 'use', 'switch',
        'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'image',
        'text', 'tspan', 'textPath', 'linearGradient', 'radialGradient', 'stop',
        'pattern', 'clipPath', 'mask', 'marker', 'style', 'view', 'filter',
        'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite',
        'feConvolveMatrix', 'feDiffuseLighting', 'feDisplacementMap', 'feDistantLight',
        'feDropShadow', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR',
        'feGaussianBlur', 'feImage', 'feMerge', 'feMergeNode', 'feMorphology',
        'feOffset', 'fePointLight', 'feSpecularLighting', 'feSpotLight', 'feTile',
        'feTurbulence',
    }
)  # fmt: skip
#: Attributes of other namespaces kept; the rest (Inkscape's, Illustrator's) go quietly.
NAMESPACED_ATTRIBUTES = frozenset(
    {f'{{{XLINK_NS}}}href', f'{{{XLINK_NS}}}title', f'{{{XML_NS}}}space', f'{{{XML_NS}}}lang'}
)
HREFS = frozenset({'href', f'{{{XLINK_NS}}}href'})

# What no style needs and an attacker does: other files, scripts, CSS escapes.
CSS_FORBIDDEN = ('@import', 'expression', 'javascript:', 'vbscript:', 'behavior', 'binding', '\\')


class NotSvgError(ValueError):
    """The file is not an SVG image (not XML, or no ``<svg>`` root)."""


class SvgRefusedError(ValueError):
    """The file is an SVG image that cannot be made safe."""


@dataclass
class CleanSvg:
    """The safe copy's bytes and what was left out of the original, for the warning."""

    data: bytes
    removed: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)


def _name(raw: str) -> str:
    """expat's ``uri local`` as ElementTree's ``{uri}local``."""
    uri, _, local = raw.rpartition(' ')
    return f'{{{uri}}}{local}' if uri else local


def _split(name: str) -> tuple[str, str]:
    if name.startswith('{'):
        uri, _, local = name[1:].partition('}')
        return uri, local
    return '', name


def parse(data: bytes) -> ET.Element:
    """The XML tree of ``data``, refusing what could make the parser read or grow."""
    if len(data) > MAX_BYTES:
        raise SvgRefusedError(f'fichier de plus de {MAX_BYTES // (1024 * 1024)} Mo')
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=' ')
    budget = [len(data) + MAX_EXPANSION]
    entities = [0]
    depth = [0]

    def spend(amount: int) -> None:
        budget[0] -= amount
        if budget[0] < 0:
            raise SvgRefusedError('entités qui grossissent le fichier sans fin')

    def entity(
        name: str,
        is_parameter: bool,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        entities[0] += 1
        if is_parameter or value is None or system_id or public_id or notation:
            raise SvgRefusedError(f'entité externe ou paramètre ({name})')
        if '&' in value or len(value) > MAX_ENTITY_LENGTH or entities[0] > MAX_ENTITIES:
            raise SvgRefusedError(f'entité composée ou trop longue ({name})')

    def unparsed(*args: object) -> None:
        raise SvgRefusedError('entité externe')

    def external(*args: object) -> int:
        raise SvgRefusedError('document externe')

    def start(tag: str, attributes: dict[str, str]) -> None:
        spend(sum(len(value) for value in attributes.values()))
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            raise SvgRefusedError(f'éléments imbriqués sur plus de {MAX_DEPTH} niveaux')
        builder.start(_name(tag), {_name(key): value for key, value in attributes.items()})

    def end(tag: str) -> None:
        depth[0] -= 1
        builder.end(_name(tag))

    def data_handler(text: str) -> None:
        spend(len(text))
        builder.data(text)

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = unparsed
    parser.ExternalEntityRefHandler = external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data_handler
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        message = expat.errors.messages[error.code]
        raise NotSvgError(f'XML illisible ({message}, ligne {error.lineno})') from None
    root = builder.close()
    if root.tag != f'{{{SVG_NS}}}svg':
        raise NotSvgError('pas de racine <svg>')
    return root


def _local_reference(value: str) -> bool:
    return value.strip().startswith('#')


def without_css_comments(css: str) -> str:
    """``css`` without its ``/* ... */`` comments; an unclosed one is kept, to be checked."""
    kept = []
    position = 0
    while (start := css.find('/*', position)) != -1:
        kept.append(css[position:start])
        end = css.find('*/', start + 2)
        if end == -1:
            return ''.join(kept) + css[start:]
        position = end + 2
    kept.append(css[position:])
    return ''.join(kept)


def url_targets(text: str) -> list[str]:
    """The targets of the ``url( ... )`` of ``text``, quotes removed, left to right.

    An ``url`` followed by spaces and ``(`` starts one, which ends at the first
    ``)``. A scan, not a regular expression: the one this replaces took hours
    on an ``url(`` followed by spaces.
    """
    lower = text.lower()
    targets = []
    position = 0
    while (start := lower.find('url', position)) != -1:
        opening = start + 3
        while opening < len(text) and text[opening].isspace():
            opening += 1
        if opening == len(text) or text[opening] != '(':
            position = start + 1
            continue
        closing = text.find(')', opening)
        if closing == -1:
            break  # no later url( can be closed either
        inner = text[opening + 1 : closing].strip()
        if len(inner) >= 2 and inner[0] in '\'"' and inner[-1] == inner[0]:
            inner = inner[1:-1]
        targets.append(inner)
        position = closing + 1
    return targets


def _css_safe(css: str) -> bool:
    text = without_css_comments(css).lower()
    if any(word in text for word in CSS_FORBIDDEN):
        return False
    urls = url_targets(text)
    if text.count('url') != len(urls):
        return False  # an url( we cannot read: not taken
    return all(_local_reference(target) for target in urls)


def _value_safe(value: str) -> bool:
    """An attribute that runs nothing and reaches nothing outside the file."""
    text = ''.join(value.split()).lower()
    if any(scheme in text for scheme in ('javascript:', 'vbscript:', 'data:')):
        return False
    urls = url_targets(value)
    return text.count('url(') == len(urls) and all(_local_reference(t) for t in urls)


def _clean_attributes(element: ET.Element, report: CleanSvg) -> None:
    for key in list(element.attrib):
        value = element.attrib[key]
        uri, local = _split(key)
        if uri and key not in NAMESPACED_ATTRIBUTES:
            if key == f'{{{XML_NS}}}base':
                report.note('xml:base')
            del element.attrib[key]  # editors' attributes (inkscape:, sodipodi:…)
        elif local.lower().startswith('on') and not uri:
            report.note(f'attribut {local}')
            del element.attrib[key]
        elif key in HREFS:
            if not _local_reference(value):
                report.note(f'lien vers {value.strip()[:60]}')
                del element.attrib[key]
        elif not (_css_safe(value) if local == 'style' else _value_safe(value)):
            report.note(f'attribut {local} ({value.strip()[:60]})')
            del element.attrib[key]


def _clean(element: ET.Element, report: CleanSvg) -> None:
    for child in list(element):
        uri, local = _split(child.tag)
        if uri != SVG_NS or (local not in ELEMENTS and local != 'a'):
            if uri in {SVG_NS, XHTML_NS, ''}:
                report.note(f'élément <{local}>')
            element.remove(child)
            continue
        if local == 'style' and not _css_safe(''.join(child.itertext())):
            report.note('feuille de style qui appelle un autre fichier')
            element.remove(child)
            continue
        _clean_attributes(child, report)
        if local == 'a':
            # A link inside a picture shown as <img> leads nowhere: a group.
            child.tag = f'{{{SVG_NS}}}g'
            for key in HREFS | {'target'}:
                child.attrib.pop(key, None)
        _clean(child, report)


PREFIXES = {'': '', XLINK_NS: 'xlink:', XML_NS: 'xml:'}


def _write(element: ET.Element, out: list[str], root: bool = False) -> None:
    """Serialise a cleaned element: SVG names unprefixed, ``xlink:`` and ``xml:`` attributes."""
    _uri, tag = _split(element.tag)
    out.append(f'<{tag}')
    if root:
        out.append(f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"')
    for key, value in element.attrib.items():
        uri, local = _split(key)
        out.append(f' {PREFIXES[uri]}{local}={quoteattr(value)}')
    out.append('>')
    out.append(escape(element.text or ''))
    for child in element:
        _write(child, out)
        out.append(escape(child.tail or ''))
    out.append(f'</{tag}>')


def clean(data: bytes) -> CleanSvg:
    """A safe copy of the SVG image ``data``, and what was taken out of it."""
    root = parse(data)
    report = CleanSvg(b'')
    _clean_attributes(root, report)
    _clean(root, report)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write(root, out, root=True)
    report.data = (''.join(out) + '\n').encode('utf-8')
    return report
