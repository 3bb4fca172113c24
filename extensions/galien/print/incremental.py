"""A LaTeX builder that rewrites and recompiles only what changed.

Sphinx's LaTeX builder writes every ``latex_documents`` entry on every build,
and the ``Makefile`` it ships runs latexmk on every ``.tex`` one after the
other, so that after editing one issue of a large archive ``make latexpdf``
spent most of its time starting latexmk on every issue to hear that its PDF
was up to date (the figures: the guide, « Maintenir » › « Performances »).
:class:`IncrementalLaTeXBuilder` keeps Sphinx's writer and
changes what follows (the print edition's builder derives from it):

* **Which ``.tex`` files it writes.** The builder's record (its ``latex``
  section, :mod:`galien.build.record`) keeps, for each issue, when its source was read the
  last time its ``.tex`` was written. An issue is written again when it has
  been read since (edited, or outdated by a change it depends on), when its
  ``.tex`` is missing, or when anything that shapes every ``.tex`` changed
  (LaTeX-related configuration, Sphinx or Galien version, templates, theme):
  the :meth:`~IncrementalLaTeXBuilder.fingerprint`.
* **Which PDFs make compiles.** The ``Makefile`` is generated per build: each
  PDF depends on its ``.tex``, on the images it shows and on one stamp file
  (:data:`SUPPORT_STAMP`) holding the digest of the support files (class,
  style files, ``latexmkrc``); the stamp is rewritten only when that digest
  changes. Since Sphinx leaves an unchanged ``.tex`` alone, make's own date
  check skips every other PDF without starting latexmk, and compiles the
  changed ones in parallel, one per core by default (``PDFJOBS``).
* **When a PDF appears.** LaTeX writes under another job name
  (``galien-020.part``, :data:`~galien.print.job_files.PART_SUFFIX`), in a folder
  of its own (``galien-020.job``, the only one it may write to where bubblewrap
  confines it, :mod:`galien.sandbox`), from a clean slate but for the
  ``.aux`` of the last complete build, and the PDF is renamed
  to its own name only when latexmk succeeded: a build killed at any moment
  (SIGKILL, a full disk) leaves no truncated or first-pass PDF that make would
  take for up to date.
* **How many LaTeX runs.** From a clean build there is no ``.aux``, and latexmk
  ran LaTeX twice, only for the foot's « 1 / 2 » (``LastPage``). Measured on N° 20
  and the test roots: of what the ``.aux`` holds, a document whose body makes no
  reference, citation, table of contents, list or index
  (:func:`reads_only_page_count`) reads back only the page count's lines and what
  longtable keeps (its column widths); the outline's ``\\BKM@entry`` lines are
  written for nothing (the outline is made within the run), the other labels are
  read only by references. Such a document (``PAGESONLY`` in the Makefile) starts
  a clean build from :data:`SEED_FILE` for its predicted page count
  (:func:`predicted_pages`, from its length), and latexmk leaves out of its
  comparison of the ``.aux`` only the lines known to be unread
  (``GALIEN_AUX_PAGES_ONLY``, latexmk.py; any other line still counts): one
  run when the issue has the predicted page count and no table, two when the page
  count differs or longtable's widths are new; any other document runs as before.
  The PDF is the same bytes as the two-pass one (``tests/test_print_onepass.py``;
  ``PDFONEPASS=no`` makes the Makefile run as before).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import sphinx
from sphinx.builders.latex import LaTeXBuilder

from galien import __version__
from galien.build.record import record_of, write_if_changed
from galien.print.job_files import PART_SUFFIX, SOURCES_FILE

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Set

    from sphinx.config import Config

#: The builder's record's section: what was written, and with which fingerprint.
RECORD_SECTION = 'latex'
#: Digest of the files every PDF depends on; its date changes only with its content.
SUPPORT_STAMP = 'galien-support.sha256'
#: The ``.aux`` a clean build starts from when the issue reads nothing else from it
#: (see :func:`reads_only_page_count`): the page count the letter is laid out for.
SEED_FILE = 'galien-seed-{pages}.aux'
#: The page counts predicted (:func:`predicted_pages`): the letter has one or two pages.
PREDICTED = (1, 2)
#: The folder of a LaTeX job (``galien-020.job``), the only one it may write to.
JOB_SUFFIX = '.job'
#: Said once by make where LaTeX runs without bubblewrap.
UNCONFINED_MESSAGE = (
    "bubblewrap (bwrap) absent ou inutilisable : LaTeX n'est pas confiné "
    '(guide, « Maintenir » › « Sécurité »)'
)
#: Rewritten by this builder on every build, never part of a PDF.
GENERATED = frozenset(
    {'Makefile', SUPPORT_STAMP, SOURCES_FILE, '__LATEXSTDOUT__'}
    | {SEED_FILE.format(pages=pages) for pages in PREDICTED}
)
#: What TeX and latexmk write beside a run, whatever its name (``missfont.log``).
BY_PRODUCTS = frozenset({'.aux', '.bbl', '.blg', '.dvi', '.fdb_latexmk', '.fls', '.idx', '.ilg'})
BY_PRODUCTS |= {'.ind', '.lof', '.log', '.lot', '.out', '.ps', '.gz', '.toc', '.xdv'}
#: Characters of text (commands left out) below which an issue is predicted to fit on
#: one page: the masthead takes the top of page 1, a full page of two columns holds
#: about 6,000 (measured: one-page issues of 1,400 to 2,600, two-page ones from 5,000).
ONE_PAGE_CHARACTERS = 3500
#: Commands of a document's body that read the ``.aux`` (labels, citations) or another
#: file of an earlier run (table of contents, lists, index): with any of them, a clean
#: build runs LaTeX twice as latexmk decides. ``\href`` and ``\sphinxhref`` are URLs.
READS_EARLIER_RUN = re.compile(
    r'\\(?!(?:sphinx)?href(?![A-Za-z@]))[A-Za-z@]*(?:ref|cite|tableofcontents|listof'
    r'|index|glossary|bibliography|nameref)(?![A-Za-z@])'
)
#: Configuration that does not shape the ``.tex`` files (``latex_documents`` is
#: made from the issues themselves, see print_edition.py).
IGNORED_CONFIG = frozenset({'latex_documents'})

MAKEFILE = """\
# The print edition's Makefile, written by Sphinx's LaTeX builder on every build
# (extensions/galien/print/incremental.py): do not edit.
#
#   make all-pdf    compile the PDFs whose .tex, images or support files changed,
#                   PDFJOBS at a time (default: one per core), going on past an
#                   error so that every broken issue is named; then fail.
#   make clean      remove every PDF and LaTeX file produced here.

# An empty PDFJOBS means the default too (a bare -j would start every PDF at once).
PDFJOBS ?=
JOBS := $(or $(strip $(PDFJOBS)),$(shell nproc 2>/dev/null || getconf _NPROCESSORS_ONLN || echo 1))
# Options passed to LaTeX (through latexmkrc) and to latexmk; Sphinx's latexmkrc
# also reads XINDYOPTS (Perl warns of an undefined value without it).
export LATEXOPTS ?=
export XINDYOPTS ?=
LATEXMKOPTS ?=
# Run on each PDF LaTeX made, before it gets its own name (the print edition's
# PDF/A step, extensions/galien/print/pdfa.py).
PDFSTEP ?= {pdfstep}

# Each LaTeX job runs under bubblewrap (extensions/galien/core/sandbox.py): no network,
# a fresh /proc, a private /tmp, this folder read-only and only the job's own folder
# writable (it cannot write this Makefile, latexmkrc or another issue's files);
# TeX's trees and caches read-only, nothing else of the machine. CONFINE= runs LaTeX
# without it; where bwrap is missing or cannot start, make says so and goes on.
# Asked once, when the first job starts (nothing to compile costs nothing).
ifeq ($(origin CONFINE),undefined)
CONFINE = $(eval CONFINE := {confine})$(if $(strip $(CONFINE)),,$(info $(UNCONFINED)))$(CONFINE)
endif
JAIL = $(if $(strip $(CONFINE)),$(CONFINE) --ro-bind '$(CURDIR)' '$(CURDIR)' \\
  --bind '$(CURDIR)/$*{job}' '$(CURDIR)/$*{job}' --remount-ro / \\
  --remount-ro /tmp --chdir '$(CURDIR)' -- )
UNCONFINED = {unconfined}

# yes: an issue that reads from its .aux only its page count (PAGESONLY below: the
# page count predicted) starts a clean build from galien-seed-N.aux and runs LaTeX
# again only if that changed; anything else: latexmk from an empty .aux, as before
# (make bench compares).
PDFONEPASS ?= yes
ONEPASS = $(and $(filter yes,$(PDFONEPASS)),$(PAGESONLY))

ALLPDF = {pdfs}

all all-pdf:
\t@$(MAKE) --no-print-directory --keep-going --output-sync=target -j$(JOBS) pdfs

pdfs: $(ALLPDF)

# A PDF appears only complete. LaTeX writes under another job name
# (galien-020{part}.pdf, .aux, .log), in a folder of its own (galien-020{job}/),
# starting from nothing that an earlier, possibly killed, run left but the .aux of
# the last complete build; latexmk decides how many LaTeX runs it needs (one, from
# galien-seed-N.aux, for a clean PAGESONLY issue of the predicted page count). On
# success the PDF is made archival in that folder (the PDF/A step's temporary file
# with it), then the .aux, the log and the PDF are renamed (atomically) to their own
# names here; a killed or failed run leaves no galien-020.pdf, so the next `make`
# compiles it again (and the failed run's files stay in its folder, removed then).
%.pdf: %.tex
\t@rm -rf '$@' '$*{part}.pdf' '$*{job}' && mkdir '$*{job}'
\t@if [ -f '$*.aux' ]; then cp '$*.aux' '$*{job}/$*{part}.aux'; \\
\t  elif [ -n '$(ONEPASS)' ]; then cp 'galien-seed-$(PAGESONLY).aux' '$*{job}/$*{part}.aux'; fi
\t$(if $(ONEPASS),GALIEN_AUX_PAGES_ONLY=1 )$(JAIL)latexmk -pdf -dvi- -ps- -outdir='$*{job}' \\
\t  -jobname='$*{part}' $(LATEXMKOPTS) '$<' </dev/null
\t@$(PDFSTEP) '$*{job}/$*{part}.pdf' && mv -f '$*{job}/$*{part}.pdf' '$*{part}.pdf'
\t@mv -f '$*{job}/$*{part}.aux' '$*.aux' && mv -f '$*{job}/$*{part}.log' '$*.log' \\
\t  && rm -rf '$*{job}' && mv -f '$*{part}.pdf' '$@'

{rules}
clean:
\trm -f $(ALLPDF) $(ALLPDF:.pdf=.aux) $(ALLPDF:.pdf=.log) $(ALLPDF:.pdf=.out) \\
\t  $(ALLPDF:.pdf=.fls) $(ALLPDF:.pdf=.fdb_latexmk) $(ALLPDF:.pdf=.toc) {stamp}
\trm -f $(ALLPDF:.pdf={part}.*)
\trm -rf $(ALLPDF:.pdf={job})

.DELETE_ON_ERROR:
.PHONY: all all-pdf pdfs clean
"""


#: The per-document lines of a Makefile that :func:`makefile` wrote (its ``rules``).
RULE_LINE = re.compile(r'^([\w.+-]+\.pdf): ([\w.+/ -]+)$', re.MULTILINE)
PAGES_LINE = re.compile(r'^([\w.+-]+\.pdf): PAGESONLY = (\d+)$', re.MULTILINE)


def rules_of(text: str) -> tuple[dict[str, list[str]], dict[str, int]]:
    """What :func:`makefile` was given, read back from the rules of its result ``text``.

    Only lines of the rules' exact shape count, with plain file names: whatever
    else ``text`` holds is not read.
    """
    pdfs = {}
    for pdf, sources in RULE_LINE.findall(text):
        names = sources.split()
        if len(names) > 1 and names[-1] == SUPPORT_STAMP:
            pdfs[pdf] = names[:-1]
    pages = {pdf: int(count) for pdf, count in PAGES_LINE.findall(text) if pdf in pdfs}
    return pdfs, pages


def plain_value(value: Any) -> Any:
    """``value`` as JSON data; ``TypeError`` when it cannot be compared across builds."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [plain_value(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((plain_value(item) for item in value), key=repr)
    if isinstance(value, dict):
        return {str(key): plain_value(item) for key, item in value.items()}
    # Functions, classes, modules: their repr changes at every run.
    raise TypeError(type(value).__name__)


def plain_config(config: Config) -> dict[str, Any]:
    """The configuration values that may shape a ``.tex`` file, as JSON data."""
    values = {}
    for item in config.filter(frozenset({'env', ''})):
        if item.name in IGNORED_CONFIG:
            continue
        try:
            values[item.name] = plain_value(item.value)
        except TypeError:
            values[item.name] = type(item.value).__name__
    return values


def shows_image(tex: str, name: str) -> bool:
    """Whether ``tex`` includes the image ``name``, written ``{{figure}.png}`` by Sphinx."""
    path = PurePosixPath(name)
    return f'{{{path.with_suffix("")}}}{path.suffix}}}' in tex


def reads_only_page_count(tex: str) -> bool:
    """Whether the document's body reads nothing from an earlier run but the page count.

    The foot's « 1 / 2 » (``\\pageref*{LastPage}`` in the class) is then all that
    a second pass changes: measured on the test roots' issues, a first pass from
    :func:`seed_aux` gives the bytes of the second pass from an empty ``.aux`` (the
    outline is made within the run, the other labels are only read by references).
    """
    body = tex.partition('\\begin{document}')[2]
    return bool(body) and READS_EARLIER_RUN.search(body) is None


def predicted_pages(tex: str) -> int:
    """The page count the document is expected to have, from the length of its text.

    Only a prediction: a wrong one costs one LaTeX run, never a wrong PDF.
    """
    body = tex.partition('\\begin{document}')[2]
    text = re.sub(r'\\[A-Za-z@]+\*?|[{}\[\]]', ' ', body)
    characters = len(re.sub(r'\s+', ' ', text))
    return PREDICTED[0] if characters < ONE_PAGE_CHARACTERS else PREDICTED[-1]


def seed_aux(pages: int) -> str:
    """The ``.aux`` lines that give the page count, as the ``lastpage`` package writes them.

    They are also all that latexmk compares between passes for such a document
    (``GALIEN_AUX_PAGES_ONLY``, latexmk.py).
    """
    return (
        '\\relax \n'
        f'\\newlabel{{LastPage}}{{{{}}{{{pages}}}{{}}{{page.{pages}}}{{}}}}\n'
        f'\\xdef\\lastpage@lastpage{{{pages}}}\n'
        f'\\xdef\\lastpage@lastpageHy{{{pages}}}\n'
        f'\\gdef \\@abspage@last{{{pages}}}\n'
    )


def makefile(
    pdfs: dict[str, list[str]],
    pdf_step: str = 'true',
    pages_only: Mapping[str, int] | None = None,
    confine: str = '',
) -> str:
    """The ``Makefile``: ``pdfs`` maps each PDF to the files it is made from.

    ``pdf_step`` is a shell command run on each PDF LaTeX has made (its path added);
    the PDFs in ``pages_only`` read from their ``.aux`` only the page count, predicted;
    ``confine`` is a shell command printing the bubblewrap command each LaTeX job
    runs under, without the job's folders (empty: none).
    """
    rules = ''.join(
        f'{pdf}: {" ".join(sources)} {SUPPORT_STAMP}\n' for pdf, sources in sorted(pdfs.items())
    )
    rules += ''.join(
        f'{pdf}: PAGESONLY = {pages}\n' for pdf, pages in sorted((pages_only or {}).items())
    )
    return MAKEFILE.format(
        pdfs=' '.join(sorted(pdfs)),
        rules=rules,
        stamp=SUPPORT_STAMP,
        part=PART_SUFFIX,
        pdfstep=pdf_step,
        job=JOB_SUFFIX,
        confine=f'$(shell {confine})' if confine else '',
        unconfined=UNCONFINED_MESSAGE,
    )


class IncrementalLaTeXBuilder(LaTeXBuilder):
    """Sphinx's LaTeX builder, writing and compiling only the documents that changed."""

    def pdf_step(self) -> str:
        """The shell command the Makefile runs on each new PDF; none here."""
        return 'true'

    def confine(self) -> str:
        """The shell command printing the sandbox of each LaTeX job; none here."""
        return ''

    def init(self) -> None:
        super().init()
        self.current_fingerprint = self.fingerprint()
        record = record_of(self).get(RECORD_SECTION)
        if not isinstance(record, dict) or record.get('fingerprint') != self.current_fingerprint:
            record = {}
        written = record.get('written', {})
        # docname -> (target .tex, the doc's read time when that .tex was written)
        self.written: dict[str, tuple[str, int]] = {
            docname: (entry[0], entry[1])
            for docname, entry in (written.items() if isinstance(written, dict) else ())
            if isinstance(entry, list) and len(entry) == 2
        }

    # -- what to write ---------------------------------------------------------------

    def fingerprint(self) -> str:
        """Digest of what shapes every ``.tex``: configuration, versions, templates, theme."""
        files = []
        folders = [self.confdir / p for p in self.config.templates_path]
        folders += [self.confdir / p for p in self.config.latex_theme_path]
        for folder in folders:
            if folder.is_dir():
                files += [p for p in sorted(folder.rglob('*')) if p.is_file()]
        state = {
            'sphinx': sphinx.__version__,
            'galien': __version__,
            'config': plain_config(self.config),
            'files': {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files},
        }
        return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()

    def get_outdated_docs(self) -> str | list[str]:
        """The documents whose ``.tex`` may be out of date; Sphinx adds those read again."""
        if not self.written:
            return 'all documents'
        return sorted(
            docname
            for docname, (target, read_at) in self.written.items()
            if self.env.all_docs.get(docname) != read_at or not (self.outdir / target).is_file()
        )

    def write_documents(self, docnames: Set[str]) -> None:
        """Write the ``.tex`` of the issues in ``docnames`` and of any whose file is missing."""
        everything = self.document_data
        self.document_data = [
            entry
            for entry in everything
            if entry[0] in docnames
            or entry[0] not in self.written
            or not (self.outdir / entry[1]).is_file()
        ]
        try:
            super().write_documents(docnames)
        finally:
            written, self.document_data = self.document_data, everything
        for entry in written:
            self.written[entry[0]] = (entry[1], self.env.all_docs[entry[0]])

    # -- what to compile ---------------------------------------------------------------

    def finish(self) -> None:
        super().finish()
        documents = {entry[0]: entry[1] for entry in self.document_data}
        self.written = {d: w for d, w in self.written.items() if documents.get(d) == w[0]}
        record = {'fingerprint': self.current_fingerprint, 'written': self.written}
        record_of(self).set(RECORD_SECTION, record)  # saved once the build has succeeded

        # Every image of the project, not only those of the documents written now.
        images = {name for _docnames, name in self.env.images.values()}
        images |= set(self.images.values())
        makefile_sources = {}
        pages_only = {}
        for target in documents.values():
            tex = self.outdir / target
            text = tex.read_text(encoding='utf-8') if tex.is_file() else ''
            shown = sorted(
                name
                for name in images
                if shows_image(text, name) and (self.outdir / name).is_file()
            )
            pdf = str(Path(target).with_suffix('.pdf'))
            makefile_sources[pdf] = [target, *shown]
            if reads_only_page_count(text):
                pages_only[pdf] = predicted_pages(text)
        rules = makefile(makefile_sources, self.pdf_step(), pages_only, self.confine())
        write_if_changed(self.outdir / 'Makefile', rules)
        for pages in PREDICTED:
            write_if_changed(self.outdir / SEED_FILE.format(pages=pages), seed_aux(pages))
        stems = {Path(target).stem for target in documents.values()}
        self.write_support_stamp(images, stems)

    def support_files(self, images: Iterable[str], stems: Set[str]) -> list[Path]:
        """Files every PDF may read: all but the documents' own files and the images.

        A document's own files are named after it (``galien-020.tex``, ``.aux``...).
        """
        skipped = GENERATED | set(images)
        return sorted(
            path
            for path in self.outdir.iterdir()
            if path.is_file()
            and path.name not in skipped
            and path.name.split('.', 1)[0] not in stems
            and path.suffix not in BY_PRODUCTS
            and not path.name.startswith('.')
        )

    def write_support_stamp(self, images: Iterable[str], stems: Set[str]) -> None:
        """Rewrite :data:`SUPPORT_STAMP` if the support files' digest changed."""
        digest = hashlib.sha256()
        for path in self.support_files(images, stems):
            digest.update(path.name.encode() + b'\0' + hashlib.sha256(path.read_bytes()).digest())
        write_if_changed(self.outdir / SUPPORT_STAMP, digest.hexdigest() + '\n')
