"""``make volume ANNEE=2018``: the year's issues bound as one PDF/A and one ePub.

``python -m galien volume --annee 2018`` builds the plan of the volume (the
``volume`` builder, :mod:`galien.print.volume`), then the print edition on the
same doctrees (the issues' PDFs, incremental, drafts left out), then
assembles ``_build/volume/galien-2018.pdf`` from them
(:mod:`galien.print.volume_pdf`), which does nothing when nothing changed.

The ePub is the tablet edition's own builder on the year's issues alone: the
other issue files are left out (``exclude_patterns``, listed by the plan), in
a build folder of the year's own (``_build/volume/2018``), so that the drug index
page and the cover are the year's; the book is copied to
``_build/volume/galien-2018.epub`` when its bytes changed.
"""

from __future__ import annotations

import json
import shutil
import sys
from typing import TYPE_CHECKING

from galien.cli import build
from galien.print.volume import PLAN_FILE
from galien.print.volume_pdf import VolumeError, make_volume_pdf

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

VOLUME_DIR = 'volume'
#: Drafts never enter a volume, whatever BROUILLONS says.
NO_DRAFTS = ('-D', 'galien_drafts=0')


def say(message: str) -> None:
    print(f'galien volume : {message}', file=sys.stderr)


def make_volume(project: Path, build_dir: Path, year: int, options: Sequence[str]) -> int:
    if year <= 0:
        say(f"l'année doit être positive, pas {year}")
        return 1
    sources = [str(project), str(build_dir), *NO_DRAFTS]
    # The plan first: a year without issues compiles nothing.
    status = build.run([VOLUME_DIR, *sources, '-D', f'galien_volume={year}', *options])
    plan = build_dir / VOLUME_DIR / PLAN_FILE.format(year=year)
    if status or not plan.is_file():
        say('le plan du volume n’est pas fait (voir les messages ci-dessus)')
        return status or 1
    if not json.loads(plan.read_text(encoding='utf-8'))['issues']:
        say(f'aucun numéro publié en {year} : pas de volume')
        return 1
    status = build.run(['latexpdf', *sources, *options])
    if status:
        say('les PDF des numéros ne sont pas faits (voir les messages ci-dessus)')
        return status
    target = build_dir / VOLUME_DIR / f'galien-{year}.pdf'
    try:
        made = make_volume_pdf(plan, build_dir / 'latex', target)
    except VolumeError as error:
        say(str(error))
        return 1
    print(f'Volume {year} : {target}' + ('' if made else ' (à jour)'))
    return make_volume_epub(project, build_dir, year, plan, options)


def make_volume_epub(
    project: Path, build_dir: Path, year: int, plan: Path, options: Sequence[str]
) -> int:
    """The year's ePub, copied beside the PDF when it changed."""
    data = json.loads(plan.read_text(encoding='utf-8'))
    name = f'galien-{year}'
    work = build_dir / VOLUME_DIR / str(year)
    arguments = [
        'epub', str(project), str(work), *NO_DRAFTS,
        '-D', f'galien_volume={year}',
        '-D', f'exclude_patterns={",".join(data["excluded"])}',
        '-D', f'suppress_warnings={",".join(data["suppressed"])}',
        '-D', f'epub_basename={name}',
        '-D', f'epub_title={data["title"]} – volume {year}',
        *options,
    ]  # fmt: skip
    status = build.run(arguments)
    book = work / 'epub' / f'{name}.epub'
    if status or not book.is_file():
        say("l'ePub du volume n'est pas fait (voir les messages ci-dessus)")
        return status or 1
    target = build_dir / VOLUME_DIR / f'{name}.epub'
    if not target.is_file() or target.read_bytes() != book.read_bytes():
        partial = target.with_name(f'.{target.name}.tmp')
        shutil.copyfile(book, partial)
        partial.replace(target)
    print(f'Volume {year} : {target}')
    return 0
