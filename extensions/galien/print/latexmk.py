"""latexmk and the issue files: a LaTeX error names the Markdown file to fix.

Editors never see the ``.tex`` files. Sphinx's ``latexmkrc`` (copied into the
LaTeX output folder on every build) gets a Galien section: the LaTeX engine
never stops to ask questions (``nonstopmode``, ``halt-on-error``), and when a
PDF fails, latexmk prints the issue file (looked up in :data:`SOURCES_FILE`),
TeX's first error and its ``.tex`` line, then forgets the failed run so that
the next ``make latexpdf`` says it again. ``make latexpdf`` exits non-zero
since latexmk does. The section is the same whatever the issues, so adding an
issue changes no file that every PDF depends on.

The engine also runs restricted, in case something the math check
(``galien.content.math_guard``) let through reached TeX: no shell escape, and
TeX's own reads and writes kept to the build folder (``openin_any`` and
``openout_any`` set to ``p``, paranoid, in its environment). LuaTeX's
``--safer`` is not used: luaotfload refuses to start under it ("luaotfload
can't run with option --safer. Aborting"), and fontspec with it. Its narrowest
stand-in is :data:`SANDBOX_FILE`, which the letter's class runs at the end of
``\\begin{document}``, once the trusted preamble has loaded the fonts: from there
on, Lua reads only the build folder and the TeX and font trees, writes only the
build folder, and runs no program.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from galien.build.record import write_if_changed
from galien.core.i18n import __
from galien.core.registry import galien_domain
from galien.print.job_files import PART_SUFFIX, SOURCES_FILE
from galien.print.review import file_stem

if TYPE_CHECKING:
    from sphinx.builders.latex import LaTeXBuilder

#: Lua run at the end of ``\begin{document}`` (see the module's docstring).
SANDBOX_FILE = Path(__file__).parent / 'latex' / 'galien-sandbox.lua'
RC_MARKER = '# -- Galien: name the issue file when LaTeX fails --'
#: Engines whose latexmk command line the Galien section sets.
ENGINES = frozenset({'pdflatex', 'xelatex', 'lualatex'})


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


def latexmk_failure_hook(engine: str) -> str:
    """Perl for ``latexmkrc``: on failure, print the issue file and TeX's first error.

    The print edition's Makefile runs ``latexmk -pdf``, which runs ``$pdflatex``:
    here the configured engine (``lualatex`` for the letter), which writes the
    PDF itself whichever it is.
    """
    failed = perl_string(__("ERROR: LaTeX n'a pas pu produire"))
    details = perl_string(__('détails dans'))
    command = (
        f"$pdflatex = '{engine} --no-shell-escape -interaction=nonstopmode -halt-on-error '\n"
        "  . '-file-line-error '\n"
        "  . ($ENV{'LATEXOPTS'} // '') . ' %O %S';\n"
        if engine in ENGINES
        else ''
    )
    return rf"""
{RC_MARKER}
{command}# TeX reads and writes only below the build folder, with no dot files.
$ENV{{'openin_any'}} = 'p';
$ENV{{'openout_any'}} = 'p';
# A document that reads from its .aux only the page count (the Makefile's PAGESONLY):
# the lines LaTeX writes there that such a document never reads back (package
# boilerplate, the outline's entries, labels nothing refers to, table of contents
# and lists it does not print) do not decide whether LaTeX runs again; the page
# count's lines and anything else (longtable's widths...) do (incremental.py).
if ($ENV{{'GALIEN_AUX_PAGES_ONLY'}}) {{
  $hash_calc_ignore_pattern{{'aux'}} = qr/^(?:\\relax |\\providecommand|\\fi\}}$
    |\\\@nameuse\{{bbl\@beforestart\}}|\\babel\@aux\{{
    |\\HyperFirstAtBeginDocument|\\gdef\\HyperFirstAtBeginDocument
    |\\global\\let\\oldnewlabel|\\gdef\\newlabel|\\let\\newlabel\\oldnewlabel
    |\\AtEndDocument\{{\\ifx\\hyper\@anchor|\\global\\let\\hyper\@last
    |\\BKM\@entry\{{|\\newlabel\{{(?!LastPage\}})|\\\@writefile\{{(?:toc|lot|lof)\}})/x;
}}
# luaotfload's caches (fonts converted, names looked up) are rewritten by LuaLaTeX runs,
# those of the PDFs made in parallel included: none of their lines decides whether LaTeX
# runs again, or another job's write would make this one run again, up to the limit.
$hash_calc_ignore_pattern{{'luc'}} = qr/(?:)/;
$failure_cmd = 'internal galien_failure %R';
sub galien_failure {{
  my ($root) = @_;
  $root //= '';
  # The job name of an unfinished PDF (galien-020.part) names the issue galien-020.
  (my $name = $root) =~ s/\Q{PART_SUFFIX}\E$//;
  my $source = "$name.tex";
  if (open(my $sources, '<:encoding(UTF-8)', {perl_string(SOURCES_FILE)})) {{
    while (my $line = <$sources>) {{
      chomp $line;
      my ($key, $path) = split(/\t/, $line, 2);
      if (defined $path && $key eq $name) {{ $source = $path; last; }}
    }}
    close($sources);
  }}
  # Each job writes in its own folder (-outdir, the Makefile in incremental.py).
  my $dir = ($aux_dir // '') ne '' ? "$aux_dir/" : '';
  my ($error, $where) = ('', "$name.tex");
  if (open(my $log, '<', "$dir$root.log")) {{
    while (my $line = <$log>) {{
      if ($line =~ /^(?:\S*\/)?(\S+\.tex:\d+): (.*)/) {{ ($where, $error) = ($1, $2); last; }}
      if ($line =~ /^! (.*)/) {{ $error = $1; last; }}
    }}
    close($log);
  }}
  open(my $err, '>&', \*STDERR);
  binmode($err, ':encoding(UTF-8)');
  print $err "$source: " . {failed} . " $name.pdf : $error ($where ; " . {details}
    . " $dir$root.log)\n";
  close($err);
  # Forget this run, so the next `make latexpdf` compiles again and names the file again.
  unlink("$dir$root.fdb_latexmk");
  return 0;
}}
"""


def append_failure_hook(builder: LaTeXBuilder) -> None:
    """Add the Galien section to the ``latexmkrc`` that Sphinx has just written.

    Called by the print edition's builder right after Sphinx copies its support
    files, which it rewrites on every build. The issue files are listed in
    :data:`SOURCES_FILE`, rewritten only when the list changes.
    """
    outdir = Path(builder.outdir)
    sources = {
        file_stem(builder.config, issue.numero): str(builder.env.doc2path(issue.docname))
        for issue in galien_domain(builder.env).ordered_issues()
    }
    listing = ''.join(f'{root}\t{source}\n' for root, source in sorted(sources.items()))
    sources_file = outdir / SOURCES_FILE
    write_if_changed(sources_file, listing)
    rc_file = outdir / 'latexmkrc'
    if rc_file.is_file():
        old = rc_file.read_text(encoding='utf-8')
        text = old.split(RC_MARKER)[0].rstrip('\n') + '\n'
        text += latexmk_failure_hook(builder.config.latex_engine)
        write_if_changed(rc_file, text)
