"""``svg.clean`` on its own, without Sphinx: what reaches a page from an SVG file.

Hypothesis draws SVG documents from the elements and attributes the letter
keeps and from those an attacker would use (scripts, ``on*`` handlers, remote
links, ``foreignObject``, CSS ``@import``); whatever it draws, the copy holds
only kept elements, no handler, links only to fragments of the file, and
cleaning it again changes nothing. Arbitrary bytes give a copy or a refusal
(:class:`~galien.content.svg.NotSvgError`, :class:`~galien.content.svg.SvgRefusedError`),
never another exception; documents are bounded in size, so each call is too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galien.content import svg

pytestmark = pytest.mark.fast

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NS = '{http://www.w3.org/2000/svg}'
XLINK = '{http://www.w3.org/1999/xlink}'


def document(body: str, prolog: str = '') -> bytes:
    return (
        f'{prolog}<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{body}</svg>'
    ).encode()


def test_a_clean_drawing_keeps_its_shapes_and_text():
    body = (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#1b4d89"/></linearGradient>'
        '</defs><rect width="5" height="5" style="fill: url(#g)"/>'
        '<text x="1" y="8">Survie ≥ 75 ans</text><use xlink:href="#g"/>'
    )
    result = svg.clean(document(body))
    assert result.removed == []
    root = ET.fromstring(result.data)
    assert root.find(f'{NS}rect').get('style') == 'fill: url(#g)'
    assert root.find(f'{NS}text').text == 'Survie ≥ 75 ans'
    assert root.find(f'{NS}use').get(f'{XLINK}href') == '#g'


def test_what_runs_or_reaches_outside_is_removed_and_said():
    body = (
        '<script>alert(1)</script><rect onload="alert(1)" width="1"/>'
        '<image href="https://pisteur.example/p.png"/><a href="https://x.fr"><circle r="1"/></a>'
        '<style>@import url(https://x.fr/a.css);</style><foreignObject><p>x</p></foreignObject>'
    )
    result = svg.clean(document(body))
    assert result.removed == [
        'élément <script>',
        'attribut onload',
        'lien vers https://pisteur.example/p.png',
        'lien vers https://x.fr',
        'feuille de style qui appelle un autre fichier',
        'élément <foreignObject>',
    ]
    root = ET.fromstring(result.data)
    assert [e.tag.removeprefix(NS) for e in root.iter()] == ['svg', 'rect', 'image', 'g', 'circle']


def test_internal_entities_are_read_and_bombs_refused():
    illustrator = '<!DOCTYPE svg [<!ENTITY ns_svg "http://www.w3.org/2000/svg">]>'
    assert b'<rect' in svg.clean(document('<rect width="1"/>', illustrator)).data
    laughs = '<!DOCTYPE svg [<!ENTITY a "xxxxxxxx"><!ENTITY b "&a;&a;&a;&a;">]>'
    with pytest.raises(svg.SvgRefusedError, match='entité composée'):
        svg.clean(document('<text>&b;</text>', laughs))
    external = '<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(svg.SvgRefusedError, match='entité externe'):
        svg.clean(document('<text>&e;</text>', external))


def test_a_broken_file_is_refused_with_its_line():
    with pytest.raises(svg.NotSvgError, match='ligne 3'):
        svg.clean(b'<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n</svg>')
    with pytest.raises(svg.NotSvgError, match='pas de racine'):
        svg.clean(b'<html/>')


KEPT = ['g', 'rect', 'circle', 'path', 'text', 'tspan', 'use', 'image', 'style', 'defs', 'title']
HOSTILE = ['script', 'foreignObject', 'a', 'set', 'animate', 'iframe', 'html:p']
ATTRIBUTES = {
    'width': ['1', '10%'],
    'fill': ['red', 'url(#g)', 'url(https://x.fr/#g)', 'url  (#g)', 'url( "#g" )'],
    'style': ['fill: red', 'fill: url(#g)', '@import "x"', 'a/* url(https://x) */', 'x:\\75rl(y)'],
    'href': ['#g', 'https://x.fr', 'javascript:alert(1)', ' #g', 'data:image/png;base64,AA'],
    'xlink:href': ['#g', 'autre.svg#x', 'JAVASCRIPT:x'],
    'onclick': ['alert(1)'],
    'onLoad': ['x'],
    'id': ['g'],
    'xml:base': ['https://x.fr/'],
    'inkscape:label': ['calque'],
}
attribute = st.sampled_from(sorted(ATTRIBUTES)).flatmap(
    lambda name: st.sampled_from(ATTRIBUTES[name]).map(lambda value: (name, value))
)
text = st.text(st.characters(blacklist_categories=('Cs', 'Cc', 'Cn')), max_size=10)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner, tail: (
            f'<{tag}'
            + ''.join(f' {k}={quoteattr(v)}' for k, v in dict(attributes).items())
            + f'>{inner}</{tag}>{tail}'
        ),
        st.sampled_from(KEPT + HOSTILE),
        st.lists(attribute, max_size=4),
        children,
        text.map(escape),
    )


bodies = st.recursive(
    st.just(''), lambda inner: st.lists(element(inner), max_size=4).map(''.join), max_leaves=25
)
PROLOG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:html="http://www.w3.org/1999/xhtml" '
    'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape">'
)


@SETTINGS
@given(body=bodies)
def test_any_drawing_comes_out_safe_and_stable(body):
    result = svg.clean(f'{PROLOG}{body}</svg>'.encode())
    root = ET.fromstring(result.data)
    for node in root.iter():
        uri, _, local = node.tag[1:].partition('}')
        assert uri == NS[1:-1] and local in svg.ELEMENTS, node.tag
        for key, value in node.attrib.items():
            assert not key.lower().startswith('on'), key
            if key in svg.HREFS:
                assert value.strip().startswith('#'), value
            lowered = ''.join(value.split()).lower()
            assert 'javascript:' not in lowered and 'data:' not in lowered
            assert 'https://' not in value or (key == 'style' and '/*' in value), (key, value)
    again = svg.clean(result.data)
    assert again.data == result.data and again.removed == []


@SETTINGS
@given(data=st.binary(max_size=300) | bodies.map(lambda b: f'{PROLOG}{b}'.encode()))
def test_any_bytes_give_a_copy_or_a_refusal(data):
    try:
        result = svg.clean(data)
    except (svg.NotSvgError, svg.SvgRefusedError) as refusal:
        assert str(refusal)
    else:
        assert ET.fromstring(result.data).tag == f'{NS}svg'
