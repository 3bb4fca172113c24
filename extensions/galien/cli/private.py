"""Part of ``make check``: no subscriber list, bounce list or sending journal in git.

The subscriber list is personal data (GDPR): it stays on the editor's machine.
A tracked file is refused when its name is one the project gives such lists
(``abonnes*``, ``abonnés*``, ``desinscrits*``, ``rebonds*``, the journal ``*.sqlite3``), or
when it is a ``.csv`` whose header has an address column, as ``make send`` finds
it (``email``, ``courriel``…), whatever its name.
"""

from __future__ import annotations

import fnmatch
import subprocess
from typing import TYPE_CHECKING

from galien.cli.subscribers import decode, dialect_of, is_address_header

if TYPE_CHECKING:
    from pathlib import Path

PRIVATE_NAMES = ('abonnes*', 'abonnés*', 'desinscrit*', 'désinscrit*', 'rebonds*', '*.sqlite3')


def tracked_files(project: Path) -> list[str] | None:
    """Files git tracks in ``project``; ``None`` outside a git work tree."""
    result = subprocess.run(
        ['git', '-C', str(project), 'ls-files', '-z'],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        return None
    return [name for name in result.stdout.decode('utf-8', 'replace').split('\0') if name]


def private_files(project: Path) -> list[tuple[str, str]]:
    """Tracked files that look like personal data, each with the reason."""
    found = []
    for name in tracked_files(project) or []:
        base = name.rsplit('/', 1)[-1].casefold()
        if any(fnmatch.fnmatch(base, pattern) for pattern in PRIVATE_NAMES):
            found.append((name, 'nom réservé aux listes d’abonnés et au journal'))
            continue
        if base.endswith('.csv'):
            try:
                text = decode((project / name).read_bytes()[:4096])
            except OSError:
                continue
            first = text.splitlines()[0] if text else ''
            if any(is_address_header(cell) for cell in first.split(dialect_of(text))):
                found.append((name, 'fichier CSV avec une colonne d’adresses'))
    return found
