"""``python -m galien.print.font_cache``: luaotfload's cache of every font the letter uses.

luaotfload converts a font the first time a document uses it and keeps the result
in its cache (``/var/lib/texmf/luatex-cache`` for root, ``~/.texlive*`` otherwise).
The fallback fonts (:mod:`galien.print.fonts`) are loaded in an issue's body, after
``galien-sandbox.lua`` has narrowed writing to the build folder: a fallback font not
yet cached would be converted again on every LaTeX run of every issue, its cache
writes refused. ``make latexpdf`` runs this module once beforehand (``system-tex``),
outside any sandbox, on a document that sets a character needing a fallback in every
family and style.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from galien.print.fonts import LUA_FILE, LUALATEX_FONTPKG

#: ✓ (DejaVu Sans), ⁹⁹ᵐ (FreeFont and DejaVu Sans): not in TeX Gyre or FreeMono.
NEEDS_FALLBACK = '✓ ⁹⁹ᵐTc'
SHAPES = ('{0}', r'\textit{{{0}}}', r'\textbf{{{0}}}', r'\textbf{{\textit{{{0}}}}}')
FAMILIES = (r'\rmfamily', r'\sffamily', r'\ttfamily')


def document() -> str:
    body = '\n'.join(
        family + ' ' + ' '.join(shape.format(NEEDS_FALLBACK) for shape in SHAPES) + '\\par'
        for family in FAMILIES
    )
    return (
        '\\documentclass{article}\n\\usepackage{amsmath,amssymb,fontspec}\n'
        + LUALATEX_FONTPKG
        + '\\begin{document}\n'
        + body
        + '\n\\end{document}\n'
    )


def fill_cache() -> int:
    """Compile the document once; LuaLaTeX's status (its log is printed on failure)."""
    lualatex = shutil.which('lualatex')
    if lualatex is None:
        print('font_cache : lualatex manque (make latexpdf installe TeX Live)', file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix='galien-polices-') as folder:
        shutil.copy2(LUA_FILE, Path(folder) / LUA_FILE.name)
        (Path(folder) / 'polices.tex').write_text(document(), encoding='utf-8')
        result = subprocess.run(
            [lualatex, '-interaction=nonstopmode', '-halt-on-error', 'polices.tex'],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode:
        print(result.stdout[-3000:], file=sys.stderr)
    return result.returncode


if __name__ == '__main__':
    raise SystemExit(fill_cache())
