"""What each builder has written: every edition follows the documents read by any builder.

``make site`` builds the website, the PDFs and the ePub from one environment.
Sphinx tells only the builder that runs first what changed: the documents it
reads again (edited, or outdated by a change they depend on) and the ones that
were deleted. The others share the pickled environment, find nothing to read,
and keep stale pages. So each builder keeps its own record (:func:`record_file`)
of the documents it wrote and when each had been read then:

* a document read since this builder last wrote it is written again
  (``env-get-updated``), whichever builder read it;
* when writing starts, the outputs of recorded documents that are no longer in
  the project are deleted: the page, its ``_sources`` copy, and so the ePub,
  which packs whatever its output folder holds.

Builders whose files are not named after documents (the print edition's
``galien-020.pdf``, the e-mail's ``galien-020.eml``) remove the files of issues
that are gone themselves, by issue number. The record is written once the
build has succeeded: a build that fails or is interrupted counts as unwritten.
"""

from __future__ import annotations

import glob
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def record_file(builder: Builder) -> Path:
    """Where ``builder``'s record is kept: JSON, beside the doctrees.

    Not in the output folder, which the ePub builder packs whole.
    """
    return Path(builder.doctreedir) / f'galien-written-{builder.name}.json'


def written_documents(builder: Builder) -> dict[str, int] | None:
    """docname -> its read time when ``builder`` last wrote it; ``None`` if never recorded."""
    try:
        record = json.loads(record_file(builder).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    return {name: read_at for name, read_at in record.items() if isinstance(read_at, int)}


def document_outputs(builder: Builder, docname: str) -> list[Path]:
    """The files ``builder`` writes for ``docname``, whether they exist or not."""
    outdir = Path(builder.outdir)
    get_output_path = getattr(builder, 'get_output_path', None)
    if get_output_path is not None:
        paths = [Path(get_output_path(docname))]
    elif suffix := getattr(builder, 'out_suffix', ''):
        paths = [outdir / f'{docname}{suffix}']
    else:
        return []  # one file for the whole project (man, texinfo, singlehtml), or by number
    sources = outdir / '_sources' / docname
    paths += sources.parent.glob(f'{glob.escape(sources.name)}.*')
    return paths


def remove_empty_folders(path: Path, outdir: Path) -> None:
    """Remove the folders a deletion left empty, up to the output folder."""
    folder = path.parent
    while folder != outdir and folder.is_relative_to(outdir):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty
        folder = folder.parent


def remove_outputs(builder: Builder, docnames: Iterable[str]) -> None:
    outdir = Path(builder.outdir).resolve()
    for docname in docnames:
        for path in document_outputs(builder, docname):
            if path.is_file() and path.resolve().is_relative_to(outdir):
                path.unlink()
                remove_empty_folders(path.resolve(), outdir)


def read_by_others(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Documents read (by any builder) since this builder last wrote them, or never written."""
    written = written_documents(app.builder)
    if written is None:
        return []  # never recorded: the builder's own check decides
    return sorted(
        docname for docname in env.found_docs if written.get(docname) != env.all_docs.get(docname)
    )


def remove_outputs_of_removed_documents(app: Sphinx, builder: Builder) -> None:
    """Before writing: delete what this builder wrote for documents no longer in the project."""
    written = written_documents(builder) or {}
    removed = sorted(set(written) - builder.env.found_docs)
    if removed:
        remove_outputs(builder, removed)


def record_written_documents(app: Sphinx, exception: Exception | None) -> None:
    """Once a build has succeeded, note each document's read time as written."""
    if exception is not None:
        return
    env = app.env
    record = {
        docname: env.all_docs[docname] for docname in sorted(env.found_docs & env.all_docs.keys())
    }
    path = record_file(app.builder)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, indent=0, sort_keys=True)
    if not path.is_file() or path.read_text(encoding='utf-8') != text:
        path.write_text(text, encoding='utf-8')


def setup(app: Sphinx) -> None:
    app.connect('env-get-updated', read_by_others)
    app.connect('write-started', remove_outputs_of_removed_documents)
    app.connect('build-finished', record_written_documents)
