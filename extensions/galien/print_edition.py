"""The print edition: one PDF per issue, laid out as the printed letter.

Sphinx's LaTeX builder writes the documents listed in ``latex_documents``.
Here that list is made from the issue registry just before writing, so a new
``issues/021.md`` gives ``galien-021.tex`` (and ``galien-021.pdf``) without
touching ``conf.py``. Each document uses the ``galien`` LaTeX theme, whose
class ``galienletter.cls`` sets the page (A4, masthead, two columns, footers)
instead of Sphinx's title page and table of contents.

Rebuilds stay honest: Sphinx rewrites a ``.tex`` file only when its text
changed and latexmk skips a PDF whose sources are unchanged, so nothing in a
``.tex`` may depend on the day of the build. When LaTeX fails, latexmk is told
to name the issue file, since editors never see the ``.tex``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.builders.latex import LaTeXBuilder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.texescape import escape

from galien.registry import issue_label

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from galien.model import Issue
    from galien.registry import GalienDomain

logger = logging.getLogger(__name__)

LATEX_DIR = Path(__file__).parent / 'latex'
THEME_DIR = LATEX_DIR / 'themes'
CLASS_FILE = LATEX_DIR / 'galienletter.cls'
THEME = 'galien'
RC_MARKER = '# -- Galien: name the issue file when LaTeX fails --'

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


def pdf_basename(numero: int) -> str:
    """``galien-020``: the name of an issue's ``.tex`` and ``.pdf`` files."""
    return f'galien-{numero:03d}'


def configure_latex(app: Sphinx, config: Config) -> None:
    """Add the letter's theme, class and LaTeX defaults; ``conf.py`` still wins."""
    config.latex_theme_path = [*config.latex_theme_path, str(THEME_DIR)]
    if str(CLASS_FILE) not in config.latex_additional_files:
        config.latex_additional_files = [*config.latex_additional_files, str(CLASS_FILE)]
    # hyperref takes these two options only before it is loaded.
    language = rf'\PassOptionsToPackage{{pdflang={config.language or "en"},pdfdisplaydoctitle}}'
    elements = {**LATEX_ELEMENTS, **config.latex_elements}
    elements['passoptionstopackages'] = (
        f'{language}{{hyperref}}\n{elements.get("passoptionstopackages", "")}')
    config.latex_elements = elements


def latex_documents(
    env: BuildEnvironment, issues: list[Issue]
) -> list[tuple[str, str, str, str, str]]:
    """One LaTeX document per issue, titled "Galien N° 20 – février 2018".

    The title becomes the PDF's Title and the running foot; its spaces are plain
    ones, so that searching the metadata for "N° 20" finds it.
    """
    config = env.config
    return [
        (issue.docname, f'{pdf_basename(issue.numero)}.tex',
         escape(f'{config.project} {issue_label(env, issue)}'.replace('\u00a0', ' '),
                config.latex_engine),
         escape(config.author, config.latex_engine), THEME)
        for issue in issues
    ]


def remove_stale_outputs(outdir: Path, current: set[str]) -> None:
    """Delete the .tex and .pdf of issues no longer in the tree, so no PDF outlives its file."""
    for path in outdir.glob('galien-[0-9]*.*'):
        if path.suffix in {'.tex', '.pdf'} and path.stem not in current:
            path.unlink()


def one_document_per_issue(app: Sphinx, builder: Builder) -> None:
    """Replace ``latex_documents`` by the registry's issues, right before writing."""
    if not isinstance(builder, LaTeXBuilder):
        return
    domain: GalienDomain = builder.env.domains['galien']  # type: ignore[assignment]
    issues = domain.ordered_issues()
    if not issues:
        logger.warning(__("aucun numéro dans %s/ : pas de PDF à produire"),
                       app.config.galien_issues_dir, type='galien', subtype='latex')
    app.config.latex_documents = latex_documents(builder.env, issues)
    remove_stale_outputs(Path(builder.outdir), {pdf_basename(i.numero) for i in issues})
    # The build date would change every .tex every day and rebuild every PDF:
    # the letter prints its month instead.
    builder.context['date'] = ''


def perl_string(text: str) -> str:
    """``text`` as a Perl double-quoted string, anything but plain ASCII as ``\\x{...}``."""
    return '"' + ''.join(
        c if c.isascii() and c.isprintable() and c not in '"$@\\' else f'\\x{{{ord(c):x}}}'
        for c in text) + '"'


def latexmk_failure_hook(sources: dict[str, str]) -> str:
    """Perl for ``latexmkrc``: on failure, print the issue file and TeX's first error."""
    table = ', '.join(f'{perl_string(root)} => {perl_string(source)}'
                      for root, source in sorted(sources.items()))
    failed = perl_string(__("ERROR: LaTeX n'a pas pu produire"))
    details = perl_string(__('détails dans'))
    return rf"""
{RC_MARKER}
$pdflatex = 'pdflatex -interaction=nonstopmode -halt-on-error -file-line-error '
  . ($ENV{{'LATEXOPTS'}} // '') . ' %O %S';
%galien_sources = ({table});
$failure_cmd = 'internal galien_failure %R';
sub galien_failure {{
  my ($root) = @_;
  my $source = $galien_sources{{$root}} // "$root.tex";
  my ($error, $where) = ('', "$root.tex");
  if (open(my $log, '<', "$root.log")) {{
    while (my $line = <$log>) {{
      if ($line =~ /^(?:\S*\/)?(\S+\.tex:\d+): (.*)/) {{ ($where, $error) = ($1, $2); last; }}
      if ($line =~ /^! (.*)/) {{ $error = $1; last; }}
    }}
    close($log);
  }}
  open(my $err, '>&', \*STDERR);
  binmode($err, ':encoding(UTF-8)');
  print $err "$source: " . {failed} . " $root.pdf : $error ($where ; " . {details}
    . " $root.log)\n";
  close($err);
  # Forget this run, so the next `make latexpdf` compiles again and names the file again.
  unlink("$root.fdb_latexmk");
  return 0;
}}
"""


def add_failure_hook(app: Sphinx, exception: Exception | None) -> None:
    """Append the hook to the ``latexmkrc`` Sphinx has just copied (once)."""
    if exception is not None or app.builder.name != 'latex':
        return
    rc_file = Path(app.outdir) / 'latexmkrc'
    if not rc_file.is_file():
        return
    domain: GalienDomain = app.env.domains['galien']  # type: ignore[assignment]
    sources = {
        pdf_basename(issue.numero): str(app.env.doc2path(issue.docname))
        for issue in domain.ordered_issues()
    }
    text = rc_file.read_text(encoding='utf-8').split(RC_MARKER)[0].rstrip('\n') + '\n'
    text += latexmk_failure_hook(sources)
    if rc_file.read_text(encoding='utf-8') != text:
        rc_file.write_text(text, encoding='utf-8')


def setup(app: Sphinx) -> None:
    app.connect('config-inited', configure_latex)
    app.connect('write-started', one_document_per_issue)
    app.connect('build-finished', add_failure_hook)
