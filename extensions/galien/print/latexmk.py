"""latexmk and the issue files: a LaTeX error names the Markdown file to fix.

Editors never see the ``.tex`` files. Sphinx's ``latexmkrc`` (copied into the
LaTeX output folder on every build) gets a Galien section: pdfLaTeX never
stops to ask questions (``nonstopmode``, ``halt-on-error``), and when a PDF
fails, latexmk prints the issue file, TeX's first error and its ``.tex`` line,
then forgets the failed run so that the next ``make latexpdf`` says it again.
``make latexpdf`` exits non-zero since latexmk does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import __

from galien.core.domain import galien_domain
from galien.core.urls import issue_file_stem

if TYPE_CHECKING:
    from sphinx.builders.latex import LaTeXBuilder


RC_MARKER = '# -- Galien: name the issue file when LaTeX fails --'


def perl_string(text: str) -> str:
    """``text`` as a Perl double-quoted string, anything but plain ASCII as ``\\x{...}``."""
    return (
        '"'
        + ''.join(
            c if c.isascii() and c.isprintable() and c not in '"$@\\' else f'\\x{{{ord(c):x}}}'
            for c in text
        )
        + '"'
    )


def latexmk_failure_hook(sources: dict[str, str], engine: str = 'pdflatex') -> str:
    """Perl for ``latexmkrc``: on failure, print the issue file and TeX's first error.

    ``latexmk -pdf`` runs ``$pdflatex``, which Sphinx points at the configured
    engine (``lualatex`` for the letter); ``xelatex`` runs through ``$xelatex``.
    """
    variable = 'xelatex' if engine == 'xelatex' else 'pdflatex'
    command = 'xelatex --no-pdf' if engine == 'xelatex' else engine
    table = ', '.join(
        f'{perl_string(root)} => {perl_string(source)}' for root, source in sorted(sources.items())
    )
    failed = perl_string(__("ERROR: LaTeX n'a pas pu produire"))
    details = perl_string(__('détails dans'))
    return rf"""
{RC_MARKER}
${variable} = '{command} -interaction=nonstopmode -halt-on-error -file-line-error '
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


def append_failure_hook(builder: LaTeXBuilder) -> None:
    """Add the Galien section to the ``latexmkrc`` that Sphinx has just written.

    Called by the print edition's builder right after Sphinx copies its support
    files, which it rewrites on every build: the hook is added once, at the end.
    """
    rc_file = Path(builder.outdir) / 'latexmkrc'
    if not rc_file.is_file():
        return
    sources = {
        issue_file_stem(issue.numero): str(builder.env.doc2path(issue.docname))
        for issue in galien_domain(builder.env).ordered_issues()
    }
    # Sphinx's file ends without a newline: the hook starts on a line of its own.
    newline = '' if rc_file.read_text(encoding='utf-8').endswith('\n') else '\n'
    with rc_file.open('a', encoding='utf-8') as rc:
        rc.write(newline + latexmk_failure_hook(sources, builder.config.latex_engine))
