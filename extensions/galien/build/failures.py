"""A build stopped by a full disk ends with one French sentence, not a traceback.

When writing an output or the pickled environment fails for want of space
(``ENOSPC``, ``EDQUOT``, or ``EFBIG`` for a file larger than the file system or
``ulimit -f`` allows), Sphinx would print « Exception occurred », a traceback,
and save a report in a temporary file (on a disk that may well be full too).
Nothing in that is the editor's to fix but the space. Sphinx has already
deleted the pickled environment when ``build-finished`` is told of the error
(so the next build reads and writes everything again, and a page left half
written is replaced); this handler then ends the process with the sentence,
status 1, as :class:`SystemExit` does with a message.

Sphinx turns some of those errors into warnings and goes on (« error writing
file », « cannot copy static file »): the build would then succeed, keep its
environment and take the empty pages it wrote for finished ones. A logging
handler on Sphinx's namespace, there from ``builder-inited`` to
``build-finished``, notes the first such warning, and the build ends the same
way, after deleting the environment itself.
"""

from __future__ import annotations

import errno
import logging
import re
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.application import ENV_PICKLE_FILENAME
from sphinx.errors import SphinxParallelError
from sphinx.util.logging import NAMESPACE

from galien.core.i18n import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: What each errno means to an editor.
DISK_ERRORS = {
    errno.ENOSPC: __('Disque plein'),
    errno.EDQUOT: __('Quota disque dépassé'),
    errno.EFBIG: __('Fichier trop grand pour le disque'),
}
#: How a parallel worker's OSError reads once Sphinx has turned it into text.
_PARALLEL_ERRNO = re.compile(r'\[Errno (\d+)\][^:]*(?::\s*(.*))?')
#: How a warning's OSError reads once a parallel worker has turned its arguments into text.
_REPR_ERRNO = re.compile(r'(?:OSError|Error)\((\d+),')


class DiskFull(SystemExit):
    """The build stopped because the disk is full; the message is for the editor."""


def disk_error(exception: BaseException) -> tuple[int, str] | None:
    """``(errno, file)`` when ``exception`` (or what caused it) is a full disk, else ``None``."""
    seen: set[int] = set()
    current: BaseException | None = exception
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in DISK_ERRORS:
            # A copy names its source first, then the file it could not write.
            return current.errno, str(current.filename2 or current.filename or '')
        if isinstance(current, SphinxParallelError):
            match = _PARALLEL_ERRNO.search(current.message)
            if match and int(match[1]) in DISK_ERRORS:
                return int(match[1]), (match[2] or '').strip().strip('\'"')
        current = current.__cause__ or current.__context__
    return None


def disk_full_message(number: int, filename: str) -> str:
    """The one line a full disk ends the build with."""
    where = __(' en écrivant %s') % filename if filename else ''
    return __(
        "%s : la construction s'est arrêtée%s. Libérez de la place, puis relancez la "
        'même commande : elle relit et réécrit tout, rien ne reste à moitié écrit.'
    ) % (DISK_ERRORS[number], where)


class DiskErrorWatch(logging.Handler):
    """Notes the first warning that reports a full disk, for :func:`stop_on_full_disk`."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: tuple[int, str] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.found is not None:
            return
        args = record.args.values() if isinstance(record.args, dict) else record.args or ()
        for arg in args:
            if isinstance(arg, BaseException) and (found := disk_error(arg)):
                self.found = found
                return
        # From a parallel worker, the arguments arrive as text.
        text = str(record.msg)
        for pattern in (_PARALLEL_ERRNO, _REPR_ERRNO):
            match = pattern.search(text)
            if match and int(match[1]) in DISK_ERRORS:
                self.found = (int(match[1]), '')
                return


def stop_on_full_disk(app: Sphinx, exception: Exception | None, watch: DiskErrorWatch) -> None:
    """End the build with one sentence when it failed, or warned, for want of space."""
    found = disk_error(exception) if exception is not None else None
    if found is None:
        found = watch.found
    if found is None:
        return
    if exception is None:
        # Sphinx deletes it after an error, not after a warning.
        with suppress(OSError):
            (Path(app.doctreedir) / ENV_PICKLE_FILENAME).unlink()
    raise DiskFull(disk_full_message(*found)) from exception


def setup(app: Sphinx) -> None:
    watch = DiskErrorWatch()
    sphinx_logger = logging.getLogger(NAMESPACE)

    def start_watching(app: Sphinx) -> None:
        sphinx_logger.addHandler(watch)

    def stop_watching(app: Sphinx, exception: Exception | None) -> None:
        sphinx_logger.removeHandler(watch)
        stop_on_full_disk(app, exception, watch)

    app.connect('builder-inited', start_watching)
    # Last, so that every other build-finished handler has been told of the failure.
    app.connect('build-finished', stop_watching, priority=900)
