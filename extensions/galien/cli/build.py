"""``python -m galien build -M BUILDER SOURCEDIR BUILDDIR [OPTIONS]``: make's sphinx-build -M.

The Makefile builds every edition through this command rather than through
``sphinx-build`` itself, for one reason: Ctrl-C. Sphinx answers it with
« Interrupted! » (and a Python traceback when the interrupt lands in
``make latexpdf``'s LaTeX phase), keeps the pickled environment of a build
that was stopped while writing, and then takes a half-written page for an
up-to-date one. Here:

* during the Sphinx build, Ctrl-C ends the build with one French line and
  status 130, after deleting the pickled environment, so that the next build
  reads and writes everything again (Sphinx does the same for an error);
  the parallel workers of ``-j`` end silently;
* during the LaTeX phase of ``latexpdf``, ``make`` and latexmk are left to
  stop on their own (a PDF is renamed to its own name only when complete, see
  :mod:`galien.print.incremental`), then the same one line, status 130.

Where bubblewrap works, the Sphinx build runs confined (:mod:`galien.sandbox`):
the project read-only, only the build folder writable, no network; where it
does not, one line says so and the build goes on.
The LaTeX jobs of ``latexpdf`` are confined by their own Makefile.

A full disk is handled by the extension itself (:mod:`galien.build.failures`),
so that it ends with one line under plain ``sphinx-build`` too. Everything
else, arguments and exit statuses included, is ``sphinx-build -M``'s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.cmd import build

from galien.build.failures import DiskFull
from galien.core.i18n import __
from galien.print.print_edition import rewrite_makefile
from galien.sandbox.bubblewrap import INSIDE_VARIABLE, bwrap
from galien.sandbox.build import TARGET_VARIABLE, confined_build

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from types import FrameType

    Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None

#: The status of a command stopped by Ctrl-C, as shells report it (128 + SIGINT).
INTERRUPTED = 128 + signal.SIGINT
ENV_PICKLE = 'environment.pickle'


class Interrupted(BaseException):
    """Ctrl-C in the build's own process; a ``BaseException`` that Sphinx lets through.

    Sphinx catches ``KeyboardInterrupt`` to print « Interrupted! »: raising this
    instead lets the build's ``finally`` clauses run and reach :func:`main`.
    """


class InterruptedInside(Interrupted):
    """Ctrl-C in the confined build, which has already said so and cleaned up."""


def interrupted_message(target: str) -> str:
    return (
        __(
            'Construction interrompue (Ctrl-C) : relancez « make %s », qui reprend '
            'ce qui était en cours.'
        )
        % target
    )


@contextmanager
def sigint(handler: Handler) -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stop_the_build(main_pid: int) -> Handler:
    """In the build's process, raise :class:`Interrupted`; in a ``-j`` worker, just end."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != main_pid:
            os._exit(INTERRUPTED)  # a forked worker: the main process says it
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while cleaning up
        raise Interrupted

    return handler


def doctree_dir(build_dir: Path, options: Sequence[str]) -> Path:
    """Where ``sphinx-build -M`` keeps the doctrees and the pickled environment."""
    for index, option in enumerate(options):
        if option in {'-d', '--doctree-dir'} and index + 1 < len(options):
            return Path(options[index + 1])
        if option.startswith('--doctree-dir='):
            return Path(option.partition('=')[2])
    return build_dir / 'doctrees'


def unconfined_message() -> str:
    return __(
        "bubblewrap (bwrap) absent ou inutilisable : la construction n'est pas confinée "
        '(guide, « Maintenir » › « Sécurité »)'
    )


def sphinx_build(arguments: Sequence[str], doctrees: Path, target: str = '') -> int:
    """``sphinx-build -M``, confined where it can be; on Ctrl-C, forget the unfinished build."""
    if not os.environ.get(INSIDE_VARIABLE) and len(arguments) >= 3:
        program = bwrap()
        if program is not None:
            status = confined_build(program, arguments, target or arguments[0])
            if status == INTERRUPTED:
                raise InterruptedInside
            return status
        print(unconfined_message(), file=sys.stderr)
    try:
        with sigint(stop_the_build(os.getpid())):
            return build.main(['-M', *arguments])
    except Interrupted:
        with suppress(OSError):
            (doctrees / ENV_PICKLE).unlink()
        raise


def latex_make(latex_dir: Path, options: Sequence[str]) -> int:
    """The LaTeX phase of ``latexpdf``, as ``sphinx-build -M latexpdf`` runs it (Sphinx 9.0).

    Ctrl-C reaches ``make`` and latexmk directly (same process group); this
    process only waits for them to finish stopping, and says so. The Makefile,
    written by a build that may have been confined, is written again from its
    rules first (:func:`~galien.print.print_edition.rewrite_makefile`).
    """
    rewrite_makefile(latex_dir)
    makecmd = os.environ.get('MAKE', 'make')
    command = [makecmd, 'all-pdf']
    if '-Q' in options or '-q' in options:
        command.append('LATEXOPTS=-halt-on-error')
    if '-q' in options:
        command.append('LATEXMKOPTS=-silent')
    caught: list[int] = []
    with sigint(lambda signum, frame: caught.append(signum)):
        try:
            if '-Q' in options:
                with (latex_dir / '__LATEXSTDOUT__').open('w', encoding='utf-8') as outfile:
                    returncode = subprocess.call(
                        command, cwd=latex_dir, stdout=outfile, stderr=subprocess.STDOUT
                    )
            else:
                returncode = subprocess.call(command, cwd=latex_dir)
        except OSError:
            print(f'Error: Failed to run: {makecmd}')
            return 1
    if caught:
        raise Interrupted
    if returncode and '-Q' in options:
        print(f'Latex error: check {latex_dir / "__LATEXSTDOUT__"}')
    elif returncode and '-q' in options:
        print(f'Latex error: check .log file in {latex_dir}')
    return returncode


def run(arguments: Sequence[str]) -> int:
    """``arguments`` are those of ``sphinx-build -M`` (``BUILDER SOURCEDIR BUILDDIR ...``)."""
    if len(arguments) < 3:
        return build.main(['-M', *arguments])
    target, source_dir, build_dir, *options = arguments
    doctrees = doctree_dir(Path(build_dir), options)
    try:
        if target != 'latexpdf':
            return sphinx_build(arguments, doctrees)
        if sphinx_build(['latex', source_dir, build_dir, *options], doctrees, target) > 0:
            return 1
        return latex_make(Path(build_dir) / 'latex', options)
    except InterruptedInside:
        return INTERRUPTED
    except Interrupted:
        print(interrupted_message(os.environ.get(TARGET_VARIABLE, target)), file=sys.stderr)
        return INTERRUPTED
    except DiskFull as stop:
        print(stop.code, file=sys.stderr)
        return 1
