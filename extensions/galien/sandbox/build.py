"""The Sphinx build run again inside bubblewrap (:mod:`galien.sandbox`).

``python -m galien build`` starts itself once more under ``bwrap``, with the
same arguments, made absolute: the project (the source folder and the folder
of ``conf.py``) read-only, the build folder (and the doctrees' folder, and the
warning file of ``-w``) writable, and nothing else of the machine but what
Python and the tools need. The confined process knows it is one
(:data:`~galien.sandbox.bubblewrap.INSIDE_VARIABLE`) and builds as before.

Ctrl-C still reaches it: the sandbox stays in the terminal's process group, so
that the build ends with its own one line (:mod:`galien.cli.build`) and the
parallel workers of ``-j`` end with it; ``bwrap`` itself ignores it.

:func:`run` is called by ``python -m galien`` before the command line is
imported: importing it (Sphinx) took a second, which the confined build spends
again. ``latexpdf``, whose LaTeX phase runs outside, goes through
:mod:`galien.cli.build`, which confines its Sphinx phase with :func:`confined_build`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from galien.sandbox.bubblewrap import (
    INSIDE_VARIABLE,
    absolute,
    base_arguments,
    binds,
    bwrap,
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


#: The make target a confined build is part of (``latexpdf`` for its ``latex`` build).
TARGET_VARIABLE = 'GALIEN_MAKE_TARGET'


def ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def confined_build(program: str, arguments: Sequence[str], target: str) -> int:
    """The build in a sandbox; Ctrl-C is the confined process's to report, as ``make target``.

    ``bwrap`` itself ignores Ctrl-C (it would die of it, and take the build down
    before it could clean up); this process waits.
    """
    command = confined_command(program, arguments, {TARGET_VARIABLE: target})
    previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        return subprocess.call(command, stdin=subprocess.DEVNULL, preexec_fn=ignore_sigint)
    finally:
        signal.signal(signal.SIGINT, previous)


def run(arguments: Sequence[str]) -> int | None:
    """``python -m galien ARGUMENTS``, if it is a build to confine here; else ``None``."""
    if arguments[:2] != ['build', '-M'] or len(arguments) < 5 or arguments[2] == 'latexpdf':
        return None
    if os.environ.get(INSIDE_VARIABLE):
        return None
    program = bwrap()
    if program is None:
        return None
    status = confined_build(program, arguments[2:], arguments[2])
    sys.stdout.flush()
    return status
