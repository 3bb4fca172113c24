"""The letter's fonts: what an editor types is what is printed.

A letter on cancer drugs writes ``≥ 75 ans``, ``β-HCG``, ``≈ 140 µg/mL``,
``⁹⁹ᵐTc``, ``Mme L. Nguyễn``. pdfLaTeX's 8-bit fonts have none of these, so
the print edition is set by LuaLaTeX (``latex_engine = 'lualatex'``) with
OpenType fonts from Debian's packages:

- GNU FreeFont (``fonts-freefont-otf``): FreeSerif for the text, FreeSans for
  the headings and blocks, FreeMono for code. They are the Times and Helvetica
  designs the letter always had (TeX Gyre Termes and Heros under pdfLaTeX),
  with Greek, Vietnamese, arrows, mathematical signs, super- and subscripts;
- DejaVu Sans (``fonts-dejavu-core``) as a per-glyph fallback (luaotfload's
  ``fallback`` feature) for the few signs FreeFont lacks in some styles:
  ``✓ ✗`` everywhere, ``ᵐ`` and ``⇒`` in some styles.

:func:`read_coverage` gives what these fonts print; ``latex_charset.py`` replaces
(and reports) only what lies outside it. A Lua hook makes every printed
character copy back as itself: the font loader otherwise derives ``IJ`` for
``Ĳ`` from the glyph's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

LUA_FILE = Path(__file__).parent / 'latex' / 'galien-fonts.lua'
COVERAGE_FILE = Path(__file__).parent / 'latex' / 'galien-fonts-coverage.txt'

# The fallback chains and the copy-and-paste hook are in galien-fonts.lua,
# shipped next to the .tex files.
_LUA = r"\directlua{dofile(kpse.find_file('galien-fonts.lua', 'lua') or 'galien-fonts.lua')}"


def _family(command: str, name: str, italic: str, extra: str = '') -> str:
    return (
        rf'\{command}{{{name}}}[{extra}'
        '\n  Extension = .otf, UprightFont = *, '
        f'ItalicFont = *{italic}, BoldFont = *Bold, BoldItalicFont = *Bold{italic},'
        # No spaces inside RawFeature: luaotfload would read a feature named "fallback ".
        '\n  UprightFeatures = {RawFeature = {fallback=galienfallback}},'
        '\n  ItalicFeatures = {RawFeature = {fallback=galienfallback}},'
        '\n  BoldFeatures = {RawFeature = {fallback=galienfallbackbold}},'
        '\n  BoldItalicFeatures = {RawFeature = {fallback=galienfallbackbold}}]\n'
    )


# Sphinx writes ✓ as ``\(\checkmark\)`` for every engine: the mark is taken
# from the text font instead, so that it copies back as ✓.
_CHECKMARK = r'\renewcommand{\checkmark}{\text{\char"2713\relax}}'

LUALATEX_FONTPKG = (
    _LUA
    + '\n'
    + _family('setmainfont', 'FreeSerif', 'Italic')
    + _family('setsansfont', 'FreeSans', 'Oblique')
    + _family('setmonofont', 'FreeMono', 'Oblique', 'Scale = 0.9, ')
    + _CHECKMARK
    + '\n'
)


def read_coverage(path: Path = COVERAGE_FILE) -> frozenset[str]:
    """The characters every style of the letter's fonts prints (``XXXX-YYYY`` per line)."""
    chars: set[str] = set()
    for line in path.read_text(encoding='ascii').splitlines():
        if line and not line.startswith('#'):
            first, _, last = line.partition('-')
            chars.update(chr(code) for code in range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(chars)


def use_letter_fonts(app: Sphinx, config: Config) -> None:
    """Under LuaLaTeX, the letter's fonts, unless ``conf.py`` names its own."""
    if config.latex_engine != 'lualatex' or 'fontpkg' in config.latex_elements:
        return
    config.latex_elements = {**config.latex_elements, 'fontpkg': LUALATEX_FONTPKG}
    if str(LUA_FILE) not in config.latex_additional_files:
        config.latex_additional_files = [*config.latex_additional_files, str(LUA_FILE)]


def setup(app: Sphinx) -> None:
    app.connect('config-inited', use_letter_fonts)
