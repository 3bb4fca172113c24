"""bubblewrap itself: whether it works here, and the folders every sandbox holds read-only."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

#: Set in the confined process's environment: it must not try to confine itself again.
INSIDE_VARIABLE = 'GALIEN_SANDBOX'
#: What the system's programs read, if the machine has it.
SYSTEM_PATHS = (
    '/usr',
    '/etc/alternatives',
    '/etc/ld.so.cache',
    '/etc/ld.so.conf',
    '/etc/ld.so.conf.d',
    '/etc/localtime',
    '/etc/mime.types',
    '/etc/fonts',
    '/etc/texmf',
    '/var/cache/fontconfig',
)
#: Root folders that merged-/usr systems make links into ``/usr``.
ROOT_LINKS = ('/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32')
#: TeX's trees, formats and caches, as kpathsea names them (TeX Live and Debian).
TEX_VARIABLES = (
    'TEXMFROOT',
    'TEXMFDIST',
    'TEXMFMAIN',
    'TEXMFLOCAL',
    'TEXMFSYSVAR',
    'TEXMFSYSCONFIG',
    'TEXMFVAR',
    'TEXMFCONFIG',
    'TEXMFHOME',
)
#: The relay's and the signing key's settings (``make send``): never inside.
SECRET_PREFIXES = ('GALIEN_SMTP_', 'GALIEN_DKIM_')
#: Seconds a probe of bubblewrap may take.
PROBE_SECONDS = 10


@functools.cache
def bwrap() -> str | None:
    """The path of a ``bwrap`` that can make a sandbox here, or ``None``."""
    if os.environ.get(INSIDE_VARIABLE):
        return None
    program = shutil.which('bwrap')
    if program is None:
        return None
    probe = [program, *base_arguments(), '--', 'true']
    try:
        result = subprocess.run(probe, capture_output=True, check=False, timeout=PROBE_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return program if result.returncode == 0 else None


def base_arguments() -> list[str]:
    """The sandbox without any folder of the project: system, fresh ``/proc``, private ``/tmp``."""
    arguments = [
        '--unshare-all',
        '--die-with-parent',
        '--proc',
        '/proc',
        '--dev',
        '/dev',
        '--tmpfs',
        '/tmp',
        '--setenv',
        INSIDE_VARIABLE,
        '1',
    ]
    for name in sorted(os.environ):
        if name.startswith(SECRET_PREFIXES):
            arguments += ['--unsetenv', name]
    for link in map(Path, ROOT_LINKS):
        if link.is_symlink():
            arguments += ['--symlink', str(link.readlink()), str(link)]
        elif link.is_dir():
            arguments += ['--ro-bind', str(link), str(link)]
    for path in SYSTEM_PATHS:
        arguments += ['--ro-bind-try', path, path]
    return arguments


def absolute(path: str | Path) -> Path:
    """``path`` from the root, without ``..`` but with its links: the path the caller gave."""
    return Path(os.path.normpath(Path(path).absolute()))


def binds(read_only: Iterable[Path], writable: Iterable[Path]) -> list[str]:
    """Bind options, parents before children, so that a writable build folder inside the
    read-only project stays writable."""
    mounts = {absolute(p): '--ro-bind-try' for p in read_only}
    mounts.update({absolute(p): '--bind' for p in writable})
    arguments = []
    for path in sorted(mounts, key=lambda p: (len(p.parts), str(p))):
        arguments += [mounts[path], str(path), str(path)]
    return arguments


def python_paths() -> list[Path]:
    """The Python installation and the folders on its path (the venv links to its base)."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths |= {os.path.realpath(sys.executable)}
    paths |= {entry for entry in sys.path if entry and Path(entry).is_dir()}
    # Their real paths: a bind cannot be made through a link (``.venv`` -> elsewhere).
    return sorted({Path(os.path.realpath(p)) for p in paths})


def python_executable() -> str:
    """This Python by a path the sandbox has: its links may pass through folders it has not
    (a project's ``.venv`` linked to another checkout's); a virtual environment's stays one."""
    if sys.prefix != sys.base_prefix:
        inside = Path(os.path.realpath(sys.prefix)) / 'bin' / Path(sys.executable).name
        if inside.exists():
            return str(inside)
    return os.path.realpath(sys.executable)


@functools.cache
def tex_paths() -> tuple[Path, ...]:
    """TeX's trees and caches, from kpathsea; none without TeX."""
    kpsewhich = shutil.which('kpsewhich')
    if kpsewhich is None:
        return ()
    try:
        result = subprocess.run(
            # One variable a line: kpsewhich answers only the last of several -var-value.
            [kpsewhich, '-expand-var=' + '\n'.join(f'${name}' for name in TEX_VARIABLES)],
            capture_output=True,
            text=True,
            check=False,
            timeout=PROBE_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    values = {part.strip() for part in re.split('[\n:;]', result.stdout)}
    return tuple(sorted({Path(os.path.realpath(v)) for v in values if v.startswith('/')}))


def outside_of(paths: Iterable[Path], project: Path) -> list[Path]:
    """``paths`` but the parents of ``project``: a folder on Python's path may be the
    project's parent (``PYTHONPATH=..``), which stays out."""
    parents = set(absolute(project).parents)
    return [p for p in paths if p not in parents]


def font_paths() -> list[Path]:
    """The user's own fonts and font caches, which fontconfig and luaotfload may read."""
    home = Path.home()
    return [home / '.fonts', home / '.local/share/fonts', home / '.cache/fontconfig']
