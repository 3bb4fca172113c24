"""The letter's fonts: what an editor types is what is printed.

A letter on cancer drugs writes ``≥ 75 ans``, ``β-HCG``, ``≈ 140 µg/mL``,
``⁹⁹ᵐTc``, ``Mme L. Nguyễn``. pdfLaTeX's 8-bit fonts have few of these, so
the print edition is set by LuaLaTeX (``latex_engine = 'lualatex'``) with
OpenType fonts from Debian's packages:

- TeX Gyre Termes (text) and Heros (headings, blocks), ``fonts-texgyre``: the
  Times and Helvetica designs the letter always had (their Type 1 versions
  under pdfLaTeX), with Latin, Greek and Vietnamese;
- GNU FreeFont (``fonts-freefont-otf``), of the same designs, taken glyph by
  glyph (luaotfload's ``fallback`` feature) for what TeX Gyre lacks: most
  super- and subscripts, ``⇒ ↔``, ``ŉ ĸ Ŧ``; FreeMono sets code;
- DejaVu Sans (``fonts-dejavu-core``) last, for ``✓ ✗`` and ``ᵐ``.

:func:`read_coverage` gives what these fonts print; ``latex_charset.py``
replaces (and reports) only what lies outside it. A Lua hook makes every
printed character copy back as itself: the font loader otherwise derives
``IJ`` for ``Ĳ`` from the glyph's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.latex import LaTeXTranslator

LUA_FILE = Path(__file__).parent / 'latex' / 'galien-fonts.lua'
COVERAGE_FILE = Path(__file__).parent / 'latex' / 'galien-fonts-coverage.txt'
# What TeX Gyre Termes, Heros and FreeMono print on their own, every style.
MAIN_COVERAGE_FILE = Path(__file__).parent / 'latex' / 'galien-fonts-coverage-main.txt'

# The fallback chains and the copy-and-paste hook are in galien-fonts.lua,
# shipped next to the .tex files.
_LUA = r"\directlua{dofile(kpse.find_file('galien-fonts.lua', 'lua') or 'galien-fonts.lua')}"


def _family(
    command: str,
    name: str,
    shapes: tuple[str, str, str, str],
    fallback: str | None,
    extra: str = '',
) -> str:
    """A fontspec family: ``shapes`` ends the files' regular, italic, bold, bold italic."""
    upright, italic, bold, bold_italic = shapes
    features = (
        # No spaces inside RawFeature: luaotfload would read a feature named "fallback ".
        f',\n  UprightFeatures = {{RawFeature = {{fallback={fallback}}}}},'
        f'\n  ItalicFeatures = {{RawFeature = {{fallback={fallback}}}}},'
        f'\n  BoldFeatures = {{RawFeature = {{fallback={fallback}bold}}}},'
        f'\n  BoldItalicFeatures = {{RawFeature = {{fallback={fallback}bold}}}}'
        if fallback
        else ''
    )
    return (
        rf'\{command}{{{name}}}[{extra}'
        f'\n  Extension = .otf, UprightFont = *{upright}, ItalicFont = *{italic},'
        f' BoldFont = *{bold}, BoldItalicFont = *{bold_italic}{features}]\n'
    )


# Sphinx writes ✓ as ``\(\checkmark\)`` for every engine: the mark is taken
# from the text font instead, so that it copies back as ✓.
_CHECKMARK = r'\renewcommand{\checkmark}{\text{\char"2713\relax}}'

_GYRE = ('-regular', '-italic', '-bold', '-bolditalic')
_FREEMONO = ('', 'Oblique', 'Bold', 'BoldOblique')


def lualatex_fontpkg(*, fallbacks: bool = True) -> str:
    """The fonts' preamble; without ``fallbacks``, TeX Gyre and FreeMono alone."""
    return (
        _LUA
        + '\n'
        + _family('setmainfont', 'texgyretermes', _GYRE, 'galienserif' if fallbacks else None)
        + _family('setsansfont', 'texgyreheros', _GYRE, 'galiensans' if fallbacks else None)
        + _family(
            'setmonofont',
            'FreeMono',
            _FREEMONO,
            'galienmono' if fallbacks else None,
            'Scale = 0.9, ',
        )
        + _CHECKMARK
        + '\n'
    )


LUALATEX_FONTPKG = lualatex_fontpkg()
# Loading the fallback fonts at every size costs about a second per LaTeX run:
# an issue whose every character TeX Gyre (and FreeMono) has goes without them.
LUALATEX_FONTPKG_WITHOUT_FALLBACKS = lualatex_fontpkg(fallbacks=False)


def read_coverage(path: Path = COVERAGE_FILE) -> frozenset[str]:
    """The characters every style of the letter's fonts prints (``XXXX-YYYY`` per line)."""
    chars: set[str] = set()
    for line in path.read_text(encoding='ascii').splitlines():
        if line and not line.startswith('#'):
            first, _, last = line.partition('-')
            chars.update(chr(code) for code in range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(chars)


_MAIN_COVERAGE = read_coverage(MAIN_COVERAGE_FILE) | frozenset('\t\n\r')


def main_coverage() -> frozenset[str]:
    """What TeX Gyre and FreeMono print on their own, in every style."""
    return _MAIN_COVERAGE


class galien_fonts(nodes.Element):  # noqa: N801 (docutils naming)
    """Put where an issue's text needs no fallback font: its preamble goes without."""


def visit_galien_fonts_latex(self: LaTeXTranslator, node: galien_fonts) -> None:
    # The preamble is rendered from ``elements`` once the body is written.
    if self.elements.get('fontpkg') == LUALATEX_FONTPKG:
        self.elements['fontpkg'] = LUALATEX_FONTPKG_WITHOUT_FALLBACKS
    raise nodes.SkipNode


def skip(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Other builders have nothing to do with the PDF's fonts."""
    raise nodes.SkipNode


class FallbacksOnlyWhenNeeded(SphinxPostTransform):
    """Mark the issues whose characters the main fonts all have (after latex_charset)."""

    default_priority = 910
    builders = ('latex',)

    def run(self, **kwargs: Any) -> None:
        if self.config.latex_engine != 'lualatex':
            return
        main = main_coverage()
        labels = (str(node.get('label', '')) for node in self.document.findall(nodes.Element))
        texts = (str(text) for text in self.document.findall(nodes.Text))
        # The running head and foot print the project's name too.
        names = (self.config.project, self.config.author)
        if all(set(text) <= main for text in (*labels, *texts, *names)):
            self.document.insert(0, galien_fonts())


def use_letter_fonts(app: Sphinx, config: Config) -> None:
    """Under LuaLaTeX, the letter's fonts, unless ``conf.py`` names its own."""
    if config.latex_engine != 'lualatex' or 'fontpkg' in config.latex_elements:
        return
    config.latex_elements = {**config.latex_elements, 'fontpkg': LUALATEX_FONTPKG}
    if str(LUA_FILE) not in config.latex_additional_files:
        config.latex_additional_files = [*config.latex_additional_files, str(LUA_FILE)]


def setup(app: Sphinx) -> None:
    app.connect('config-inited', use_letter_fonts)
    app.add_post_transform(FallbacksOnlyWhenNeeded)
    app.add_node(
        galien_fonts,
        latex=(visit_galien_fonts_latex, None),
        html=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
