"""Property tests: whatever an editor types in a directive, every writer escapes it.

One Sphinx application per builder is rebuilt incrementally for each generated
issue; the figure, source, board names and front-matter headline must come out
as text (never markup) in HTML, plain text and LaTeX.
"""

from __future__ import annotations

import string

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.util.texescape import escape as tex_escape

from galien.content.typography import french_spacing

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
    assert soup.select_one('.galien-chiffre-valeur').get_text(strip=True) == french_spacing(figure)
    assert soup.select_one('.galien-source a')['href'] == f'https://example.org/chiffre?q={query}'
    assert soup.select_one('.galien-membre-nom').get_text() == french_spacing(member)
    assert soup.select_one('.galien-titre-numero').get_text() == french_spacing(titre)
    assert soup.select('article script, .body script') == []


@pytest.mark.sphinx('text', testroot='chiffre', freshenv=True, confoverrides=CONF)
@SETTINGS
@given(figure=phrases, member=phrases)
def test_text_keeps_the_text(app, figure, member):
    rebuild(app, issue_source(figure, member, 'Titre', 'x'))
    text = (app.outdir / 'issues/020.txt').read_text(encoding='utf-8')
    assert french_spacing(figure) in text.splitlines()
    assert f'Pr\u00a0{french_spacing(member)} (Lille)' in text.replace('\n', ' ')


@pytest.mark.sphinx('latex', testroot='chiffre', freshenv=True, confoverrides=CONF)
@SETTINGS
@given(figure=phrases, member=phrases, titre=phrases)
def test_latex_escapes_specials(app, figure, member, titre):
    rebuild(app, issue_source(figure, member, titre, 'x'))
    tex = ''.join(p.read_text(encoding='utf-8') for p in app.outdir.glob('*.tex'))
    engine = app.config.latex_engine  # LuaLaTeX: Unicode text is written as is
    assert f'{{{tex_escape(french_spacing(figure), engine)}}}' in tex
    assert tex_escape(french_spacing(member), engine) in tex
    assert tex_escape(french_spacing(titre), engine) in tex


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
