"""The Sphinx build run again inside bubblewrap (:mod:`galien.print.sandbox`).

``python -m galien build`` starts itself once more under ``bwrap``, with the
same arguments, made absolute: the project (the source folder and the folder
of ``conf.py``) read-only, the build folder (and the doctrees' folder, and the
warning file of ``-w``) writable, and nothing else of the machine but what
Python and the tools need. The confined process knows it is one
(:data:`~galien.print.sandbox.INSIDE_VARIABLE`) and builds as before.

Ctrl-C still reaches it: the sandbox stays in the terminal's process group, so
that the build ends with its own one line (``build.py``) and the parallel
workers of ``-j`` end with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from galien.print.sandbox import (
    absolute,
    base_arguments,
    binds,
    outside_of,
    python_executable,
    python_paths,
    tex_paths,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

#: Options of ``sphinx-build`` whose value is a folder or file: read (``-c``) or written.
READ_OPTIONS = frozenset({'-c', '--conf-dir'})
WRITTEN_OPTIONS = frozenset({'-d', '--doctree-dir', '-w', '--warning-file'})
FILE_OPTIONS = frozenset({'-w', '--warning-file'})


def confined_command(
    bwrap: str, arguments: Sequence[str], environment: Mapping[str, str]
) -> list[str]:
    """``bwrap ... python -m galien build`` for ``arguments`` (``BUILDER SOURCEDIR BUILDDIR ...``).

    ``environment`` is added to the confined process's. Creates the folders
    written to, which must exist to be bound.
    """
    target, source_dir, build_dir, *options = arguments
    source, build = absolute(source_dir), absolute(build_dir)
    read_only, writable = [source], [build]
    rewritten: list[str] = []
    expecting = ''
    for option in options:
        name, equals, value = option.partition('=')
        if expecting or (equals and name in READ_OPTIONS | WRITTEN_OPTIONS):
            flag, path = (expecting, option) if expecting else (name, value)
            path = str(absolute(path))
            (read_only if flag in READ_OPTIONS else writable).append(Path(path))
            if flag in FILE_OPTIONS:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                Path(path).touch()
            elif flag not in READ_OPTIONS:
                Path(path).mkdir(parents=True, exist_ok=True)
            rewritten.append(path if expecting else f'{name}={path}')
            expecting = ''
            continue
        if option in READ_OPTIONS | WRITTEN_OPTIONS:
            expecting = option
        rewritten.append(option)
    build.mkdir(parents=True, exist_ok=True)
    tools = outside_of([*python_paths(), *tex_paths()], source)
    return [
        bwrap,
        *base_arguments(),
        *binds([*tools, *read_only], writable),
        *(f for name, value in environment.items() for f in ('--setenv', name, value)),
        # The folders made to hold the binds (the project's parent...) stay empty.
        '--remount-ro',
        '/',
        '--chdir',
        str(source),
        '--',
        python_executable(),
        '-m',
        'galien',
        'build',
        '-M',
        target,
        str(source),
        str(build),
        *rewritten,
    ]
