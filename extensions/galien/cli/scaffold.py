"""``python -m galien new``: start the next issue with the right front matter.

The new file gets the next number, the month after the latest issue, ``brouillon:
oui`` (a draft, published by no edition until the editor says so), an empty
chiffre du mois and the latest issue's board (boards rarely change between two
issues). An existing file is never overwritten. The folder is ``galien_issues_dir``
as the project's ``conf.py`` sets it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinx.config import eval_config_file
from sphinx.errors import ConfigError
from sphinx.util.tags import Tags

from galien.core.dates import parse_year_month
from galien.core.front_matter import front_matter_text, parse_fields

if TYPE_CHECKING:
    from pathlib import Path

ISSUE_FILE = re.compile(r'(\d{3,})\.md')
DEFAULT_ISSUES_DIR = 'issues'
EMPTY_BOARD = '```{board} Board scientifique\n- Pr Initiale. Nom (Ville)\n```'


class ScaffoldError(Exception):
    """A reason, in the editors' words, why no file was written."""


@dataclass(frozen=True)
class LatestIssue:
    numero: int
    year: int
    month: int
    board: str


def _year_month(text: str) -> tuple[int, int] | None:
    """The ``date`` of an issue's front matter, read as the build reads it."""
    header = front_matter_text(text)
    date = (parse_fields(header) or {}).get('date') if header is not None else None
    return parse_year_month(date.text) if date is not None else None


def latest_issue(issues_dir: Path) -> LatestIssue | None:
    numbered = sorted(
        (int(m[1]), p) for p in issues_dir.glob('*.md') if (m := ISSUE_FILE.fullmatch(p.name))
    )
    if not numbered:
        return None
    numero, path = numbered[-1]
    text = path.read_text(encoding='utf-8', errors='replace')
    year_month = _year_month(text) or (0, 0)
    return LatestIssue(numero, *year_month, board_block(text) or EMPTY_BOARD)


def _fence(line: str) -> str:
    """The run of three or more backticks or colons that starts ``line``, or ``''``."""
    mark = line[:1]
    if mark not in ('`', ':'):
        return ''
    run = len(line) - len(line.lstrip(mark))
    return line[:run] if run >= 3 else ''


def board_block(text: str) -> str | None:
    """The first ``{board}`` block of ``text``, from its opening fence to its closing one.

    Closed by a line of the same fence alone (spaces or tabs after it allowed).
    In one pass and a lookup per opening: a regular expression (``.*?`` up to
    the closing fence) read the rest of the file again for every unclosed one.
    """
    lines = text.split('\n')
    closings: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        fence = _fence(line)
        if fence and not line[len(fence) :].strip(' \t'):
            closings.setdefault(fence, []).append(index)
    for index, line in enumerate(lines):
        fence = _fence(line)
        if not fence or not line.startswith('{board}', len(fence)):
            continue
        after = closings.get(fence, [])
        position = bisect.bisect_right(after, index)
        if position < len(after):
            return '\n'.join(lines[index : after[position] + 1])
    return None


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def issue_template(numero: int, date: str, board: str) -> str:
    return f"""---
numero: {numero}
date: {date}
titre: ""
brouillon: oui
---

% Le chiffre tel qu'il doit s'afficher après « chiffre-du-mois », sa source, son explication.
```{{chiffre-du-mois}}
:source: https://

```

# Dans l'actualité

## Titre de l'article

% Le texte de l'article. Citer un numéro : {{galien}}`20` ; une publication : {{footcite:t}}`clé`.

```{{footbibliography}}
```

{board}
"""


def issues_folder(project: Path) -> str:
    """``galien_issues_dir`` as the project's ``conf.py`` sets it (``issues`` by default)."""
    conf = project / 'conf.py'
    if not conf.is_file():
        return DEFAULT_ISSUES_DIR
    try:
        namespace = eval_config_file(conf, Tags())
    except ConfigError as error:
        raise ScaffoldError(f'conf.py illisible : {error}') from None
    folder = namespace.get('galien_issues_dir', DEFAULT_ISSUES_DIR)
    if not isinstance(folder, str) or not folder.strip('/'):
        raise ScaffoldError(f'galien_issues_dir doit être un nom de dossier, pas {folder!r}')
    return folder.strip('/')


def create_issue(project: Path, numero: int | None = None, date: str | None = None) -> Path:
    """Write ``<galien_issues_dir>/NNN.md`` for the next (or given) issue; return its path."""
    folder = issues_folder(project)
    issues_dir = project / folder
    if not issues_dir.is_dir():
        raise ScaffoldError(f'pas de dossier {folder}/ dans {project}')
    latest = latest_issue(issues_dir)
    numero = numero or (latest.numero + 1 if latest else 1)
    if numero <= 0:
        raise ScaffoldError(f'le numéro doit être un entier positif, pas {numero}')
    if date is None:
        if latest and latest.year:
            year, month = next_month(latest.year, latest.month)
            date = f'{year:04d}-{month:02d}'
        else:
            raise ScaffoldError('indiquez la date du numéro : DATE=AAAA-MM')
    elif parse_year_month(date) is None:
        raise ScaffoldError(f'la date doit être au format AAAA-MM, pas {date!r}')

    path = issues_dir / f'{numero:03d}.md'
    board = latest.board if latest else EMPTY_BOARD
    try:
        with path.open('x', encoding='utf-8') as new_file:
            new_file.write(issue_template(numero, date, board))
    except FileExistsError:
        raise ScaffoldError(
            f"{path.relative_to(project)} existe déjà : rien n'a été écrit"
        ) from None
    return path
