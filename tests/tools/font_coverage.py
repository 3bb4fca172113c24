"""What the print edition's fonts print, from the font files themselves.

``python tests/tools/font_coverage.py`` rewrites
``extensions/galien/print/latex/galien-fonts-coverage.txt``: the characters that
every style of the letter's fonts (TeX Gyre, FreeFont and DejaVu Sans as fallbacks, see
``galien/print/fonts.py``) has a glyph for, as ranges. Run it after changing the
fonts; ``tests/test_latex_charset.py`` checks the file against the fonts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MAIN_COVERAGE_FILE = (
    Path(__file__).resolve().parents[2]
    / 'extensions/galien/print/latex/galien-fonts-coverage-main.txt'
)
COVERAGE_FILE = (
    Path(__file__).resolve().parents[2] / 'extensions/galien/print/latex/galien-fonts-coverage.txt'
)

# Each style of the letter: its font file, then the fallbacks taken glyph by glyph
# (galien/print/latex/galien-fonts.lua).
SERIF = ('FreeSerif', 'DejaVuSans')
SERIF_BOLD = ('FreeSerifBold', 'DejaVuSans-Bold')
SANS = ('FreeSans', 'DejaVuSans')
SANS_BOLD = ('FreeSansBold', 'DejaVuSans-Bold')
STYLES = {
    'texgyretermes-regular': SERIF,
    'texgyretermes-italic': SERIF,
    'texgyretermes-bold': SERIF_BOLD,
    'texgyretermes-bolditalic': SERIF_BOLD,
    'texgyreheros-regular': SANS,
    'texgyreheros-italic': SANS,
    'texgyreheros-bold': SANS_BOLD,
    'texgyreheros-bolditalic': SANS_BOLD,
    'FreeMono': ('DejaVuSans',),
    'FreeMonoOblique': ('DejaVuSans',),
    'FreeMonoBold': ('DejaVuSans-Bold',),
    'FreeMonoBoldOblique': ('DejaVuSans-Bold',),
}
MAIN_FONTS = 'TeX Gyre Termes, Heros and FreeMono alone'
# Text characters only: no controls, surrogates or private use.
TEXT = [(0x20, 0x7E), (0xA0, 0xD7FF), (0xF900, 0xFFFD)]


def font_file(name: str) -> str:
    """The path of the font whose file is ``name.otf`` or ``name.ttf``."""
    files = subprocess.run(
        ['fc-list', '--format=%{file}\n'], capture_output=True, text=True, check=True
    ).stdout.split()
    for path in files:
        if Path(path).stem == name and Path(path).suffix in {'.otf', '.ttf'}:
            return path
    raise LookupError(f'font {name} is not installed (make system-tex installs it)')


def charset(path: str) -> set[int]:
    """The code points a font file maps to glyphs, as fontconfig reads them."""
    text = subprocess.run(
        ['fc-query', '--format=%{charset}', path], capture_output=True, text=True, check=True
    ).stdout
    codes: set[int] = set()
    for part in text.split():
        first, _, last = part.partition('-')
        codes.update(range(int(first, 16), int(last or first, 16) + 1))
    return codes


def coverage(*, fallbacks: bool = True) -> list[tuple[int, int]]:
    """The ranges of text characters that every style prints (with its fallbacks)."""
    common: set[int] | None = None
    for face, chain in STYLES.items():
        codes = charset(font_file(face))
        for fallback in chain if fallbacks else ():
            codes |= charset(font_file(fallback))
        common = codes if common is None else common & codes
    text = {code for first, last in TEXT for code in range(first, last + 1)}
    ranges: list[list[int]] = []
    for code in sorted((common or set()) & text):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return [(first, last) for first, last in ranges]


def render(ranges: list[tuple[int, int]], fonts: str = 'TeX Gyre, FreeFont, DejaVu Sans') -> str:
    header = (
        f'# Characters the print edition prints ({fonts}; every style).\n'
        '# Written by tests/tools/font_coverage.py from the font files: do not edit.\n'
    )
    return header + ''.join(
        f'{first:04X}\n' if first == last else f'{first:04X}-{last:04X}\n' for first, last in ranges
    )


if __name__ == '__main__':
    COVERAGE_FILE.write_text(render(coverage()), encoding='ascii')
    MAIN_COVERAGE_FILE.write_text(render(coverage(fallbacks=False), MAIN_FONTS), encoding='ascii')
    sys.stdout.write(f'{COVERAGE_FILE}\n{MAIN_COVERAGE_FILE}\n')
