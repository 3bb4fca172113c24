"""Building a hostile issue in every edition, and looking for what must not be there."""

from __future__ import annotations

import re
import zipfile
from typing import TYPE_CHECKING

from helpers import run_sphinx

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

#: The editions an issue file reaches, as ``make`` builds them (``-M``).
EDITIONS = ('html', 'epub', 'email', 'latex')


def build_editions(source: Path, build: Path, editions: tuple[str, ...] = EDITIONS) -> str:
    """Build ``source`` into ``build`` for each edition; the first build's warnings.

    The editions share their doctrees, as with ``make``: the issue is read, and
    warned about, once (unless a file it names is missing, which Sphinx reads
    again each time). Each build must end normally (return code 0, no
    traceback): a hostile issue gets warnings, not a broken build.
    """
    log = []
    for edition in editions:
        # A hostile tree that makes the build wait fails here instead of stalling the run.
        result = run_sphinx('-M', edition, str(source), str(build), '-q', timeout=600)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert 'Traceback' not in output and 'Exception occurred' not in output, output
        log.append(result.stderr)
    return re.sub(r'\x1b\[[0-9;]*m', '', log[0])


def output_texts(build: Path, *, skip: tuple[str, ...] = ()) -> Iterator[tuple[str, bytes]]:
    """``(name, bytes)`` of every file under ``build``, the ePub's members included."""
    for path in sorted(build.rglob('*')):
        name = path.relative_to(build).as_posix()
        if not path.is_file() or any(part in skip for part in path.parts):
            continue
        data = path.read_bytes()
        yield name, data
        if path.suffix == '.epub':
            with zipfile.ZipFile(path) as book:
                for member in book.namelist():
                    yield f'{name}!{member}', book.read(member)
