"""The sandbox of a LaTeX job, printed for the print edition's Makefile (``python -m``)."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from galien.sandbox.bubblewrap import (
    PROBE_SECONDS,
    base_arguments,
    binds,
    bwrap,
    font_paths,
    tex_paths,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

#: Inside a LaTeX job's sandbox: luaotfload's own cache, empty but for the font names
#: database, bound read-only from the machine's (:func:`names_database`).
JOB_CACHE = '/tmp/texmf-cache'
NAMES_DIR = 'luatex-cache/generic/names'


def tex_caches() -> list[Path]:
    """``TEXMFCACHE``'s folders: where luaotfload keeps its font names and fonts, in order."""
    kpsewhich = shutil.which('kpsewhich')
    if kpsewhich is None:
        return []
    try:
        result = subprocess.run(
            [kpsewhich, '-expand-var=$TEXMFCACHE'],
            capture_output=True,
            text=True,
            check=False,
            timeout=PROBE_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [Path(p) for p in re.split('[:;]', result.stdout.strip()) if p.startswith('/')]


def names_database(caches: Iterable[Path]) -> Path | None:
    """The folder of luaotfload's font names database, brought up to date first.

    luaotfload needs a writable cache and looks for its names database only
    there: in a job's sandbox the machine's caches are read-only, so the job gets
    an empty one of its own (:data:`JOB_CACHE`) with the machine's database bound
    into it, read-only; the fonts' own caches are read from the machine's. The
    update (``luaotfload-tool --update``, a tenth of a second when nothing
    changed) reads the system's fonts only, nothing of an issue, so it runs
    outside the sandbox, once per make.
    """
    tool = shutil.which('luaotfload-tool')
    if tool is not None:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(
                [tool, '--update', '--quiet'], capture_output=True, check=False, timeout=600
            )
    found = [c / NAMES_DIR for c in caches if any((c / NAMES_DIR).glob('luaotfload-names.*'))]
    writable = [path for path in found if os.access(path, os.W_OK)]
    return next(iter(writable or found), None)


def latex_command() -> str:
    """The shell words of the sandbox for a LaTeX job, without its folders; ``''`` without one.

    Run by the print edition's Makefile once per make, outside any sandbox (the
    build that writes the Makefile may itself be confined, where none can be
    made); the Makefile adds the LaTeX folder (read-only), the job's own
    folder (writable) and makes ``/tmp`` read-only but for :data:`JOB_CACHE`
    (the project may be below ``/tmp``: the folders made there to hold the binds
    must not take what the job writes).
    """
    program = bwrap()
    if program is None:
        return ''
    caches = tex_caches()
    words = [program, *base_arguments(), *binds([*tex_paths(), *font_paths()], [])]
    words += ['--setenv', 'TEXMFCACHE', ':'.join([JOB_CACHE, *map(str, caches)])]
    words += ['--tmpfs', JOB_CACHE]
    names = names_database(caches)
    if names is not None:
        words += ['--ro-bind', str(names), f'{JOB_CACHE}/{NAMES_DIR}']
    return shlex.join(words)


if __name__ == '__main__':
    print(latex_command())
