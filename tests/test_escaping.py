"""Property tests: whatever an editor types in a directive, every writer escapes it.

One Sphinx application per builder is rebuilt incrementally for each generated
issue; the figure, source, board names and front-matter headline must come out
as text (never markup) in HTML, plain text and LaTeX. The expected text is the
typed text itself: each output is read back (French no-break spaces and
apostrophes as typed, LaTeX escapes undone with a table written here), never
computed with the extension's or Sphinx's own functions.
"""

from __future__ import annotations

import string

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import NBSP

pytestmark = pytest.mark.fast


# Characters that must be escaped somewhere (HTML, XML, LaTeX), with no Markdown
# markup characters (* _ ` [ ] \ :) that would legitimately change the text.
SPECIALS = '<>&"\'«»%$#{}~^!?;,.-–—€°/=+@|'
ALPHABET = string.ascii_letters + string.digits + 'éèàçôÉ' + SPECIALS

words = st.lists(st.text(ALPHABET, min_size=1, max_size=8), min_size=1, max_size=5)
phrases = words.map(' '.join).filter(lambda s: '&#' not in s and not _has_entity(s))


def _has_entity(text: str) -> bool:
    """Markdown decodes ``&amp;``-style entities: such text is not typed literally."""
    import re

    return re.search(r'&[A-Za-z0-9]+;', text) is not None


def issue_source(figure: str, member: str, titre: str, source_query: str) -> str:
    front = yaml.safe_dump({'numero': 20, 'date': '2018-02', 'titre': titre}, allow_unicode=True)
    return f"""---
{front}---

```{{chiffre-du-mois}} {figure}
:source: https://example.org/chiffre?q={source_query}

Texte {figure}.
```

# Actualité

```{{board}} Board scientifique
- Pr {member} (Lille)
```
"""


def as_typed(text: str) -> str:
    """Output text with French typography undone: no-break spaces and apostrophes as typed."""
    return text.replace(NBSP, ' ').replace('\u2019', "'")


#: How the LaTeX writer (LuaLaTeX) escapes the characters of SPECIALS, written by hand;
#: the others (< > | " ' « » € and the no-break space) are written as they are.
LATEX_ESCAPES = (
    (r'\textasciitilde{}', '~'),
    (r'\textasciicircum{}', '^'),
    (r'\sphinxhyphen{}', '-'),
    (r'\$', '$'),
    (r'\%', '%'),
    (r'\&', '&'),
    (r'\#', '#'),
    (r'\{', '{'),
    (r'\}', '}'),
)


def latex_argument(tex: str, command: str) -> str:
    """The argument of the first ``\\command{...}``, its escaped braces kept inside."""
    start = tex.index(f'\\{command}{{') + len(command) + 2
    depth, index = 1, start
    while depth:
        if tex[index] == '\\':
            index += 2
            continue
        depth += {'{': 1, '}': -1}.get(tex[index], 0)
        index += 1
    return tex[start : index - 1]


def from_latex_loosely(text: str) -> str:
    """LaTeX text back to what was typed, escapes undone."""
    for escaped, char in LATEX_ESCAPES:
        text = text.replace(escaped, char)
    return text


def from_latex(text: str) -> str:
    """LaTeX text back to what was typed; no active character may be left unescaped."""
    pieces = [text]
    for escaped, _char in LATEX_ESCAPES:
        pieces = [part for piece in pieces for part in piece.split(escaped)]
    assert not set(''.join(pieces)) & set('#$%&~^_{}\\'), text
    return from_latex_loosely(text)


SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONF = {'smartquotes': False}


def rebuild(app, text: str) -> None:
    (app.srcdir / 'issues/020.md').write_text(text, encoding='utf-8')
    app.build()


@pytest.mark.sphinx('html', testroot='chiffre', freshenv=True, confoverrides=CONF)
@SETTINGS
@given(figure=phrases, member=phrases, titre=phrases, query=phrases)
def test_html_escapes_everything(app, figure, member, titre, query):
    query = query.replace(' ', '+')
    rebuild(app, issue_source(figure, member, titre, query))
    soup = BeautifulSoup(
        (app.outdir / 'issues/020.html').read_text(encoding='utf-8'), 'html.parser'
    )
    assert as_typed(soup.select_one('.galien-chiffre-valeur').get_text(strip=True)) == figure
    assert soup.select_one('.galien-source a')['href'] == f'https://example.org/chiffre?q={query}'
    assert as_typed(soup.select_one('.galien-membre-nom').get_text()) == member
    assert as_typed(soup.select_one('.galien-titre-numero').get_text()) == titre
    assert soup.select('article script, .body script') == []


@pytest.mark.sphinx('html', testroot='chiffre', freshenv=True, confoverrides=CONF)
def test_html_shows_french_typography_as_written_here(app):
    rebuild(app, issue_source("3,5 % d'« IA » ?", 'A. Nguyễn', 'Prix : <5 € & plus', 'x'))
    soup = BeautifulSoup(
        (app.outdir / 'issues/020.html').read_text(encoding='utf-8'), 'html.parser'
    )
    figure = soup.select_one('.galien-chiffre-valeur').get_text(strip=True)
    assert figure == '3,5\u00a0% d\u2019«\u00a0IA\u00a0»\u00a0?'
    assert soup.select_one('.galien-titre-numero').get_text() == 'Prix\u00a0: <5 € & plus'


@pytest.mark.sphinx('latex', testroot='chiffre', freshenv=True, confoverrides=CONF)
def test_latex_figure_as_written_here(app):
    rebuild(app, issue_source('3,5 % & 10 $ {a} #1 ~ ^ β-HCG ?', 'A. Nguyễn', 'Titre', 'x'))
    tex = (app.outdir / 'galien-020.tex').read_text(encoding='utf-8')
    assert (
        '\\galienchiffrevaleur{3,5\u00a0\\% \\& 10 \\$ \\{a\\} \\#1 \\textasciitilde{} '
        '\\textasciicircum{} β\\sphinxhyphen{}HCG\u00a0?}'
    ) in tex


@pytest.mark.sphinx('text', testroot='chiffre', freshenv=True, confoverrides=CONF)
@SETTINGS
@given(figure=phrases, member=phrases)
def test_text_keeps_the_text(app, figure, member):
    rebuild(app, issue_source(figure, member, 'Titre', 'x'))
    text = as_typed((app.outdir / 'issues/020.txt').read_text(encoding='utf-8'))
    assert figure in text.splitlines()
    assert f'Pr {member} (Lille)' in text.replace('\n', ' ')


@pytest.mark.sphinx('latex', testroot='chiffre', freshenv=True, confoverrides=CONF)
@SETTINGS
@given(figure=phrases, member=phrases, titre=phrases)
def test_latex_escapes_specials(app, figure, member, titre):
    rebuild(app, issue_source(figure, member, titre, 'x'))
    tex = ''.join(p.read_text(encoding='utf-8') for p in app.outdir.glob('*.tex'))
    assert as_typed(from_latex(latex_argument(tex, 'galienchiffrevaleur'))) == figure
    assert member in as_typed(from_latex_loosely(tex))
    assert titre in as_typed(from_latex_loosely(tex))


@pytest.mark.sphinx('epub', testroot='issue', freshenv=True)
def test_epub_files_are_well_formed_xml_with_the_text_intact(app):
    import xml.etree.ElementTree as ET
    import zipfile

    app.build()
    epub = next(app.outdir.glob('*.epub'))
    with zipfile.ZipFile(epub) as archive:
        documents = {
            name: archive.read(name)
            for name in archive.namelist()
            if name.endswith(('.xhtml', '.opf', '.ncx', '.xml'))
        }
    for content in documents.values():
        ET.fromstring(content)  # raises on any unescaped <, & or quote
    page = ET.fromstring(documents['issues/020.xhtml'])
    text = ''.join(page.itertext())
    assert '<script>alert(1)</script> & co' in text
    scripts = page.iter('{http://www.w3.org/1999/xhtml}script')
    assert not any('alert' in (script.text or '') for script in scripts)
