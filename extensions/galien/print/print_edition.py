"""The print edition: one PDF per issue, laid out as the printed letter.

Sphinx's LaTeX builder writes the documents listed in ``latex_documents``.
Here that list is made from the issue registry just before writing, so a new
``issues/021.md`` gives ``galien-021.tex`` (and ``galien-021.pdf``) without
touching ``conf.py``. Each document uses the ``galien`` LaTeX theme, whose
class ``galienletter.cls`` sets the page (A4, masthead, two columns, footers)
instead of Sphinx's title page and table of contents.

Rebuilds stay honest and cost one issue, whatever the archive: the builder
(see ``incremental.py``) writes only the ``.tex`` of issues read again and
make compiles only the PDFs whose ``.tex`` or support files changed, so
nothing in a ``.tex`` may depend on the day of the build. When LaTeX fails,
``latexmk.py`` makes the error name the issue file.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.texescape import escape

from galien.build.record import write_if_changed
from galien.core.i18n import __
from galien.core.metadata import issue_metadata, pdf_fields
from galien.core.registry import galien_domain
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.titles import issue_title
from galien.print.incremental import IncrementalLaTeXBuilder, makefile, rules_of
from galien.print.latexmk import SANDBOX_FILE, append_failure_hook
from galien.print.review import file_stem, issues_to_print

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.latex.theming import Theme
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from galien.core.model import Issue

logger = logging.getLogger(__name__)

LATEX_DIR = Path(__file__).parent / 'latex'
THEME_DIR = LATEX_DIR / 'themes'
CLASS_FILE = LATEX_DIR / 'galienletter.cls'
THEME = 'galien'

# The letter has no title page, table of contents or index: its masthead is
# made from the issue's front matter (see issue_page.py).
LATEX_ELEMENTS = {
    'maketitle': r'\galienpdfinfo',
    'tableofcontents': '',
    'makeindex': '',
    'printindex': '',
    'fncychap': '',
    'geometry': r'\usepackage[a4paper,top=11mm,bottom=16mm,left=13mm,right=13mm,'
    r'headheight=14pt,headsep=4mm,footskip=8mm,includehead]{geometry}',
}


def configure_latex(app: Sphinx, config: Config) -> None:
    """Add the letter's theme, class and LaTeX defaults; ``conf.py`` still wins."""
    config.latex_theme_path = [*config.latex_theme_path, str(THEME_DIR)]
    for path in (CLASS_FILE, SANDBOX_FILE):
        if str(path) not in config.latex_additional_files:
            config.latex_additional_files = [*config.latex_additional_files, str(path)]
    # hyperref takes these two options only before it is loaded; PDF wants
    # "fr-CA", Sphinx says "fr_CA".
    lang = (config.language or 'en').replace('_', '-')
    language = rf'\PassOptionsToPackage{{pdflang={lang},pdfdisplaydoctitle}}'
    elements = {**LATEX_ELEMENTS, **config.latex_elements}
    elements['passoptionstopackages'] = (
        f'{language}{{hyperref}}\n{elements.get("passoptionstopackages", "")}'
    )
    config.latex_elements = elements


def latex_documents(
    env: BuildEnvironment, issues: list[Issue]
) -> list[tuple[str, str, str, str, str, bool]]:
    """One LaTeX document per issue, titled "Galien N° 20 – février 2018".

    Each entry is as in ``latex_documents``, for the whole issue (not its toctree
    only). The title becomes the PDF's Title and the running foot; its spaces are
    plain ones, so that searching the metadata for "N° 20" finds it.
    """
    config = env.config
    return [
        (
            issue.docname,
            f'{file_stem(config, issue.numero)}.tex',
            escape(issue_title(env, issue, plain=True), config.latex_engine),
            escape(config.author, config.latex_engine),
            THEME,
            False,
        )
        for issue in issues
    ]


def pdf_metadata(env: BuildEnvironment, issue: Issue) -> str:
    """``\\galienpdfmeta{date}{publisher}{ISSN}{source}``: what the PDF/A metadata add (pdfa.py).

    The values are the issue's metadata (:func:`galien.core.metadata.pdf_fields`),
    the ones the website and the ePub show.
    """
    engine = env.config.latex_engine
    values = pdf_fields(issue_metadata(env, issue)).values()
    return r'\galienpdfmeta' + ''.join(f'{{{escape(v, engine)}}}' for v in values)


#: An issue's files in the LaTeX folder: its ``.tex``, and what ``make`` keeps of its
#: compilation (those ``make clean`` removes).
ISSUE_FILES = frozenset({'.tex', '.pdf', '.aux', '.log', '.out', '.fls', '.fdb_latexmk', '.toc'})


def remove_stale_outputs(outdir: Path, current: set[str]) -> None:
    """Delete the files of issues no longer in the tree, so no PDF outlives its file."""
    for path in outdir.glob('galien-[0-9]*.*'):
        if path.suffix in ISSUE_FILES and path.stem not in current:
            path.unlink()


class GalienLaTeXBuilder(IncrementalLaTeXBuilder):
    """Sphinx's LaTeX builder, writing one document per issue of the registry.

    ``latex_documents`` is made from the issues read, when writing starts, so a
    new issue needs no change to ``conf.py``; the build date is left out. Only
    the issues that changed are written and compiled again.
    """

    def init_document_data(self) -> None:
        issues = issues_to_print(self.env)
        if not issues and not galien_domain(self.env).ordered_issues():
            warn(
                logger,
                __('aucun numéro dans %s/ : pas de PDF à produire'),
                self.config.galien_issues_dir,
                subtype=Subtype.LATEX,
            )
        remove_stale_outputs(Path(self.outdir), {file_stem(self.config, i.numero) for i in issues})
        self.titles: list[tuple[str, str]] = []
        #: Each document's title -> its \galienpdfmeta call (see update_doc_context).
        self.pdf_metadata: dict[str, str] = {}
        for issue, entry in zip(issues, latex_documents(self.env, issues), strict=True):
            self.document_data.append(entry)
            self.titles.append((entry[0], entry[2]))
            self.pdf_metadata[entry[2]] = pdf_metadata(self.env, issue)

    def update_doc_context(self, title: str, author: str, theme: Theme) -> None:
        """The document's PDF metadata, before the PDF information (``maketitle``).

        Sphinx gives this hook the document's title only; each issue's is unique.
        """
        super().update_doc_context(title, author, theme)
        maketitle = self.config.latex_elements.get('maketitle', LATEX_ELEMENTS['maketitle'])
        self.context['maketitle'] = self.pdf_metadata.get(title, '') + maketitle

    def pdf_step(self) -> str:
        """``python -m galien.print.pdfa``, with the Python and the extension running now."""
        return self.galien_module('galien.print.pdfa')

    def confine(self) -> str:
        """``python -m galien.sandbox.latex``: the bubblewrap command of each LaTeX job."""
        return self.galien_module('galien.sandbox.latex')

    @staticmethod
    def galien_module(module: str) -> str:
        """The shell command running ``module`` with this Python and this extension."""
        extensions = Path(__file__).resolve().parents[2]
        python = shlex.quote(sys.executable)
        return f'PYTHONPATH={shlex.quote(str(extensions))} {python} -m {module}'

    def copy_support_files(self) -> None:
        super().copy_support_files()
        # When LaTeX fails, latexmk names the issue's Markdown file (latexmk.py).
        append_failure_hook(self)

    def init_context(self) -> None:
        super().init_context()
        # The build date would change every .tex every day and rebuild every PDF:
        # the letter prints its month instead.
        self.context['date'] = ''


def rewrite_makefile(latex_dir: Path) -> None:
    """Write the LaTeX folder's Makefile again, from its rules alone, before make runs it.

    ``make latexpdf`` runs make outside the sandbox, on a Makefile the confined
    build wrote (:mod:`galien.cli.build`): a build taken over could have left
    commands there. Only the names of the PDFs and of their sources are taken
    from it; the rest is the template's, with this process's commands.
    """
    path = latex_dir / 'Makefile'
    try:
        text = path.read_text(encoding='utf-8')
    except (OSError, UnicodeDecodeError):
        return
    module = GalienLaTeXBuilder.galien_module
    pdfs, pages_only = rules_of(text)
    write_if_changed(
        path,
        makefile(
            pdfs,
            module('galien.print.pdfa'),
            pages_only,
            module('galien.sandbox.latex'),
        ),
    )


def setup(app: Sphinx) -> None:
    app.connect('config-inited', configure_latex)
    app.add_builder(GalienLaTeXBuilder, override=True)
