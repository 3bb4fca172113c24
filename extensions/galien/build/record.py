"""What each builder wrote, and from which inputs: one record per builder.

``make site`` builds the website, the PDFs and the ePub from one environment.
Sphinx tells only the builder that runs first what changed: the documents it
reads again (edited, or outdated by a change they depend on) and the ones that
were deleted. The others share the pickled environment, find nothing to read,
and keep stale outputs. So each builder keeps one record (:func:`record_of`), a
JSON file beside the doctrees (``galien-record-html.json``; not in the output
folder, which the ePub builder packs whole), in sections:

* ``documents``: each document's read time when this builder last wrote it. A
  document read since then is written again (``env-get-updated``), whichever
  builder read it; when writing starts, the outputs of recorded documents no
  longer in the project are deleted (the page, its ``_sources`` copy, and so
  the ePub's member);
* ``inputs``: what each page's placeholders showed when written
  (:mod:`galien.build.archive`), ``latex``: which ``.tex`` was written, from
  which read and settings (:mod:`galien.print.incremental`), ``drug-data``:
  what ``medicaments.json`` was made from (:mod:`galien.web.drug_data`);
* ``files``: the files written beyond pages (the images of ``_images/``, the
  back issues' PDFs), by concern: one written last time and not this time is
  deleted (:func:`replace_files`), as a clean build would not make it.

Builders whose files are not named after documents (the print edition's
``galien-020.pdf``, the e-mail's ``galien-020.eml``) remove the files of issues
that are gone themselves, by issue number. The record is saved once the build
has succeeded: a build that fails or is interrupted counts as unwritten.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: The record of a builder, beside the doctrees.
RECORD_FILE = 'galien-record-{builder}.json'
#: Bumped when a section changes shape: an older record then counts as none.
RECORD_VERSION = 1
#: After the other ``build-finished`` handlers, which fill their sections.
SAVE_PRIORITY = 900


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write ``content`` unless the file already holds it, so its date means a change."""
    data = content.encode('utf-8') if isinstance(content, str) else content
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass  # missing or unreadable: written below
    path.write_bytes(data)
    return True


def plain(value: object) -> Any:
    """``value`` as JSON data, equal for equal values in any process (sets sorted).

    Dataclasses keep the fields their equality compares (``compare=False`` ones,
    such as a source line, do not make a page different).

    ``TypeError`` for what cannot be compared across builds (functions, modules:
    their ``repr`` changes at every run).
    """
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Only what equality compares: a back issue's line in its data file is
        # where to point a warning, not something its pages show.
        fields = {
            f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare
        }
        return {'': type(value).__name__, **fields}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(item) for item in value), key=canonical)
    if isinstance(value, dict):
        return {canonical(plain(key)): plain(item) for key, item in value.items()}
    raise TypeError(type(value).__name__)


def canonical(data: Any) -> str:
    """JSON data as one string, the same for equal data."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(',', ':'))


def digest(value: object) -> str:
    """A short fingerprint of ``value`` (see :func:`plain`), to keep in a record."""
    return hashlib.sha256(canonical(plain(value)).encode('utf-8')).hexdigest()


class BuildRecord:
    """One builder's record, read when first asked for, saved once the build succeeded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding='utf-8'))
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict) or data.get('version') != RECORD_VERSION:
            data = {}
        self.sections: dict[str, Any] = {k: v for k, v in data.items() if k != 'version'}

    def get(self, section: str) -> Any:
        """The section as last saved or set in this build; ``None`` if never recorded."""
        return self.sections.get(section)

    def set(self, section: str, value: Any) -> None:
        """Set a section (JSON data), saved with the others when the build has succeeded."""
        self.sections[section] = value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {'version': RECORD_VERSION, **self.sections}
        write_if_changed(self.path, json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False))


_records: WeakKeyDictionary[Builder, BuildRecord] = WeakKeyDictionary()


def record_of(builder: Builder) -> BuildRecord:
    """``builder``'s record, read once per build."""
    if builder not in _records:
        path = Path(builder.doctreedir) / RECORD_FILE.format(builder=builder.name)
        _records[builder] = BuildRecord(path)
    return _records[builder]


# -- files ------------------------------------------------------------------------------


def remove_empty_folders(path: Path, outdir: Path) -> None:
    """Remove the folders a deletion left empty, up to the output folder."""
    folder = path.parent
    while folder != outdir and folder.is_relative_to(outdir):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty
        folder = folder.parent


def remove_files(builder: Builder, paths: Iterable[Path]) -> None:
    """Delete ``paths``, only within ``builder``'s output folder."""
    outdir = Path(builder.outdir).resolve()
    for path in paths:
        if path.is_file() and path.resolve().is_relative_to(outdir):
            path.unlink()
            remove_empty_folders(path.resolve(), outdir)


def recorded_files(builder: Builder, concern: str) -> set[str]:
    """The files (relative to the output folder) ``concern`` noted as written."""
    files = record_of(builder).get('files') or {}
    names = files.get(concern, []) if isinstance(files, dict) else []
    return {name for name in names if isinstance(name, str)}


def replace_files(builder: Builder, concern: str, written: Iterable[str]) -> None:
    """Note the files ``concern`` writes now; delete those it wrote before and no longer."""
    now = set(written)
    outdir = Path(builder.outdir)
    remove_files(
        builder, (outdir / name for name in sorted(recorded_files(builder, concern) - now))
    )
    record = record_of(builder)
    files = record.get('files')
    files = dict(files) if isinstance(files, dict) else {}
    files[concern] = sorted(now)
    record.set('files', files)


def image_files(builder: Builder, names: Iterable[str]) -> set[str]:
    return {str(Path(getattr(builder, 'imagedir', '')) / name) for name in names}


def remove_images_of_the_past(app: Sphinx, builder: Builder) -> None:
    """Before writing: delete the images this builder copied that no document shows now.

    Before writing, not once done: the ePub packs its folder when it finishes.
    """
    if not isinstance(getattr(builder, 'images', None), dict):
        return
    shown = image_files(builder, (name for _docnames, name in builder.env.images.values()))
    replace_files(builder, 'images', recorded_files(builder, 'images') & shown)


def record_images(app: Sphinx, exception: Exception | None) -> None:
    """Once written: the images copied now join those still shown."""
    images = getattr(app.builder, 'images', None)
    if exception is not None or not isinstance(images, dict):
        return
    copied = image_files(app.builder, images.values())
    written = recorded_files(app.builder, 'images') | copied
    outdir = Path(app.builder.outdir)
    replace_files(app.builder, 'images', {name for name in written if (outdir / name).is_file()})


# -- documents --------------------------------------------------------------------------


def written_documents(builder: Builder) -> dict[str, int] | None:
    """docname -> its read time when ``builder`` last wrote it; ``None`` if never recorded."""
    record = record_of(builder).get('documents')
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


def remove_outputs(builder: Builder, docnames: Iterable[str]) -> None:
    remove_files(builder, (path for d in docnames for path in document_outputs(builder, d)))


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
    record_of(app.builder).set('documents', record)


def save_record(app: Sphinx, exception: Exception | None) -> None:
    """Once a build has succeeded, and every section is set, save the record."""
    if exception is None:
        record_of(app.builder).save()


def setup(app: Sphinx) -> None:
    app.connect('env-get-updated', read_by_others)
    app.connect('write-started', remove_outputs_of_removed_documents)
    app.connect('write-started', remove_images_of_the_past)
    app.connect('build-finished', record_written_documents)
    app.connect('build-finished', record_images)
    app.connect('build-finished', save_record, priority=SAVE_PRIORITY)
