"""Defence in depth: TeX code that got past the math check still reads and writes nothing outside.

The check on formulas is bypassed: hostile TeX is written straight into a copy
of an issue's ``.tex`` in the LaTeX output folder, and compiled there with
latexmk and the ``latexmkrc`` the print edition writes (no shell escape,
``openin_any``/``openout_any`` = ``p``, Lua kept to the build folder).
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest
from test_print_edition import pdf_objects

from archive import write_archive
from helpers import require_tool, run_sphinx

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

SECRET = 'SECRET-OUTSIDE-THE-BUILD'

ATTACKS = {
    'input-absolute': r'\input{/etc/passwd}',
    'input-parent': r'\input{../../secret.txt}',
    'openin-parent': r'\newread\r \openin\r=../../secret.txt \read\r to\x \x',
    'openout-parent': r'\immediate\openout7=../x.tex \immediate\write7{x}\immediate\closeout7',
    'lua-read': r'\directlua{tex.print(io.open("/etc/passwd"):read("a"))}',
    'lua-read-parent': r'\directlua{tex.print(io.open("../../secret.txt"):read("a"))}',
    'lua-write': r'\directlua{local f = io.open("../../src/conf.py", "a") f:write("x") f:close()}',
    'lua-execute': r'\directlua{os.execute("touch ../../executed")}',
    'lua-popen': r'\directlua{io.popen("touch ../../executed")}',
    'embed-file': r'\immediate\pdfextension obj file {/etc/passwd}',
    'lua-embed-file': r'\directlua{pdf.immediateobj("file", "../../secret.txt")}',
}


@pytest.fixture(scope='module')
def latex_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp('sandbox')
    srcdir = write_archive(tmp / 'src', 1)
    (tmp / 'secret.txt').write_text(SECRET + '\n', encoding='utf-8')
    result = run_sphinx('-M', 'latexpdf', str(srcdir), str(tmp / 'build'), '-q')
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / 'build' / 'latex'


def snapshot(root: Path, skip: Path) -> dict[str, int]:
    """Every file under ``root`` outside ``skip``, with its date."""
    return {
        str(p): p.stat().st_mtime_ns
        for p in root.rglob('*')
        if p.is_file() and skip not in p.parents
    }


@pytest.mark.parametrize('name', sorted(ATTACKS))
def test_tex_reads_and_writes_nothing_outside_the_build_folder(latex_dir, name):
    tmp = latex_dir.parent.parent
    tex = (latex_dir / 'galien-001.tex').read_text(encoding='utf-8')
    body = f'\nATTACKSTART\n{ATTACKS[name]}\nATTACKEND\n'
    (latex_dir / f'attack-{name}.tex').write_text(
        tex.replace('\\end{document}', body + '\\end{document}'), encoding='utf-8'
    )
    conf = (tmp / 'src/conf.py').read_bytes()
    before = snapshot(tmp, latex_dir)
    subprocess.run(
        [require_tool('latexmk'), '-pdf', f'attack-{name}.tex'],
        cwd=latex_dir,
        capture_output=True,
        check=False,
        env={'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'HOME': str(tmp)},
        timeout=120,
    )
    assert snapshot(tmp, latex_dir) == before
    assert (tmp / 'src/conf.py').read_bytes() == conf
    pdf = latex_dir / f'attack-{name}.pdf'
    if pdf.exists():  # A refused read may stop the run: then there is no PDF at all.
        data = pdf_objects(pdf)
        assert b'root:x:0:0' not in data
        assert SECRET.encode() not in data
        text = subprocess.run(
            [require_tool('pdftotext'), str(pdf), '-'], capture_output=True, text=True, check=True
        ).stdout
        assert 'ATTACKSTART' in text
        assert 'root:' not in text and SECRET not in text
