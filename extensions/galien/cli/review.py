"""``make relecture`` and ``make check``'s list of drafts.

``python -m galien relecture --numero 21`` builds the print edition of issue 21
alone, drafts shown, with its watermark and line numbers
(:mod:`galien.print.review`), in ``_build/relecture/build``, and puts the PDF
at ``_build/relecture/galien-021-relecture.pdf``. ``python -m galien
brouillons`` names the issue files whose front matter makes them drafts, as
the build decides (:func:`galien.core.front_matter.is_draft`).
"""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING

from galien.cli import build
from galien.cli.scaffold import ScaffoldError, issues_folder
from galien.core.front_matter import front_matter_text, is_draft, parse_fields
from galien.core.urls import issue_file_stem

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

REVIEW_DIR = 'relecture'


def make_review_pdf(project: Path, build_dir: Path, numero: int, options: Sequence[str]) -> int:
    if numero <= 0:
        print(f'galien relecture : le numéro doit être positif, pas {numero}', file=sys.stderr)
        return 1
    review_dir = build_dir / REVIEW_DIR
    work_dir = review_dir / 'build'
    arguments = ['latexpdf', str(project), str(work_dir), '-D', f'galien_relecture={numero}']
    status = build.run([*arguments, *options])
    name = f'{issue_file_stem(numero)}-relecture.pdf'
    pdf = work_dir / 'latex' / name
    if status or not pdf.is_file():
        print(
            f'galien relecture : pas de PDF de relecture pour le N° {numero} '
            '(voir les messages ci-dessus)',
            file=sys.stderr,
        )
        return status or 1
    # Copied under a temporary name, then renamed: never a half-copied PDF.
    target = review_dir / name
    partial = target.with_name(f'.{name}.tmp')
    shutil.copyfile(pdf, partial)
    partial.replace(target)
    print(f'PDF de relecture : {target}')
    return 0


def draft_files(project: Path) -> list[Path]:
    folder = project / issues_folder(project)
    drafts = []
    for path in sorted(folder.glob('*.md')):
        try:
            text = front_matter_text(path.read_text(encoding='utf-8'))
        except (OSError, UnicodeDecodeError):
            continue
        fields = parse_fields(text) if text is not None else None
        if fields and is_draft(fields):
            drafts.append(path)
    return drafts


def list_drafts(project: Path) -> int:
    try:
        drafts = draft_files(project)
    except ScaffoldError as error:
        print(f'galien brouillons : {error}', file=sys.stderr)
        return 1
    if not drafts:
        print('Aucun numéro en brouillon.')
        return 0
    print(f'Numéros en brouillon, publiés dans aucune édition ({len(drafts)}) :')
    for path in drafts:
        print(f'  {path.relative_to(project)}')
    print('Pour publier un numéro : « brouillon: non » dans son en-tête.')
    return 0
