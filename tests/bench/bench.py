"""``make bench``: this project against the stock Sphinx stack, on the same archive.

For each archive size N it generates the same issues twice, in this project's
syntax and in plain Markdown, and builds the HTML site with each stack:

* full build (median of ``--runs``), peak memory;
* rebuild after editing one issue (median of ``--runs`` edits), and how many
  pages it rewrote;
* full build with ``-j 2`` (warnings counted: there must be none).

The stock stack is myst-parser + sphinx-book-theme + sphinxcontrib-bibtex with
a flat toctree of issues, as a Sphinx project would be set up by default.

The print section (``make latexpdf``, one PDF per issue, this project only):

* one issue's PDF alone: ``make latexpdf`` of a one-issue archive from
  scratch, and the LaTeX compilation of its ``.tex`` alone (median of ``--runs``);
* for each of ``--print-sizes``: the full build (PDFs in parallel), then the
  rebuild after editing one issue (median of ``--runs`` edits), with the PDFs
  and ``.tex`` files it rewrote, and its ratio to the PDF alone;
* the full build of ``--print-full-size`` issues from scratch, serial
  (``PDFJOBS=1``) and parallel (one PDF per core), and their ratio (median of
  ``--print-full-runs``).

The one-pass section (issue 21): clean builds with one LuaLaTeX run where one is
enough (the Makefile's default) against before (``PDFONEPASS=no``: the ``.aux``
seed disabled, latexmk's two passes from an empty ``.aux``), as ratios after/before
(median of ``--runs``): one issue's PDF from its ``.tex`` (LaTeX alone,
``1 (LaTeX)``, then with the PDF/A step, ``1 (.tex)``), and ``make latexpdf`` of
each of ``--onepass-sizes`` from scratch, with the LuaLaTeX runs counted from
the logs.

The subscription service's section (issue 30): ``abonnements_load.py``, the
production server under 200 concurrent clients for 60 s on SQLite and on
PostgreSQL (``make bench-abonnements`` alone); its options in ``--charge``
(``--charge "--clients 50 --duree 10"``). Reported: p50/p99 latency, answers
outside 2xx/3xx, one-click unsubscriptions lost (there must be none: the bench
fails otherwise).

The machine's load average is printed beside the print figures.

Timings vary with the machine: the ratios are what the guide reports (« Performances »).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive import BIB, issue_date, write_issues

PROJECT_DIR = Path(__file__).resolve().parents[2]

# Run Sphinx in a child process and report its peak memory (itself or its -j workers).
CHILD = """import resource, sys
from sphinx.cmd.build import main
code = main(sys.argv[1:])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(f'\\nPEAK_KB {peak}\\n')
sys.exit(code)
"""

# This project's configuration, read from the real conf.py.
GALIEN_CONF = """import runpy, types
_conf = runpy.run_path({conf!r})
globals().update({{k: v for k, v in _conf.items() if not k.startswith('_')
                  and not isinstance(v, (types.ModuleType, type, types.FunctionType))}})
"""

STOCK_CONF = """project = 'Galien'
author = 'Centre Oscar Lambret'
copyright = '2018, Centre Oscar Lambret'
language = 'fr'
extensions = ['myst_parser', 'sphinxcontrib.bibtex']
bibtex_bibfiles = ['references.bib']
html_theme = 'sphinx_book_theme'
exclude_patterns = ['_build']
"""

STOCK_INDEX = """# Galien

```{toctree}
:caption: Numéros
:glob:
:reversed:

issues/*
```
"""


@dataclass
class Measure:
    stack: str
    size: int
    full: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    rebuilds: list[float] = field(default_factory=list)
    rewritten: int = 0
    rewritten_pages: list[str] = field(default_factory=list)
    drug_rebuild: float = 0.0  # after an edit that names one more drug
    drug_pages: list[str] = field(default_factory=list)
    parallel: float = 0.0
    warnings: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.full)

    @property
    def rebuild(self) -> float:
        return statistics.median(self.rebuilds)


def make_project(root: Path, size: int, stack: str) -> Path:
    """A source tree of ``size`` issues for ``stack`` ('galien' or 'stock')."""
    root.mkdir(parents=True)
    if stack == 'galien':
        (root / 'conf.py').write_text(
            GALIEN_CONF.format(conf=str(PROJECT_DIR / 'conf.py')), encoding='utf-8'
        )
        for page in PROJECT_DIR.glob('*.md'):
            if page.name != 'README.md':
                shutil.copy(page, root / page.name)
        shutil.copy(PROJECT_DIR / 'references.bib', root / 'references.bib')
        shutil.copytree(PROJECT_DIR / '_static', root / '_static')
    else:
        (root / 'conf.py').write_text(STOCK_CONF, encoding='utf-8')
        (root / 'index.md').write_text(STOCK_INDEX, encoding='utf-8')
        (root / 'references.bib').write_text(BIB, encoding='utf-8')
    write_issues(root, size, plain=stack == 'stock')
    return root


def sphinx_build(source: Path, out: Path, jobs: int = 1) -> tuple[float, float, str]:
    """Build the HTML site; return seconds, peak memory in MB and the warnings."""
    command = [
        sys.executable,
        '-c',
        CHILD,
        '-b',
        'html',
        '-q',
        str(source),
        str(out / 'html'),
        '-d',
        str(out / 'doctrees'),
    ]
    if jobs > 1:
        command += ['-j', str(jobs)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f'build failed in {source}:\n{result.stderr[-4000:]}')
    lines = result.stderr.splitlines()
    peak_kb = next(int(line.split()[1]) for line in reversed(lines) if line.startswith('PEAK_KB'))
    warnings = '\n'.join(line for line in lines if 'WARNING' in line)
    return elapsed, peak_kb / 1024, warnings


def edit_one_issue(source: Path, numero: int, edit: int, *, drugs: bool = False) -> None:
    """Change one word of the article, differently at each edit.

    With ``drugs``, the issue also names one more brand: the index of drugs
    changes, and its page is written again.
    """
    path = source / 'issues' / f'{numero:03d}.md'
    text = path.read_text(encoding='utf-8')
    text = text.replace('Un article', f'Un article (version {edit})', 1).replace(
        f'Un article (version {edit}) (version {edit - 1})', f'Un article (version {edit})'
    )
    if drugs:
        brand = f'{{dci}}`Essai {edit}® <osimertinib>`' if '{dci}' in text else f'Essai {edit}®'
        text = re.sub(
            r'Sont aussi cités : (?:\{dci\}`Essai \d+® <osimertinib>`, |Essai \d+®, )?',
            lambda _: f'Sont aussi cités : {brand}, ',
            text,
            count=1,
        )
    path.write_text(text, encoding='utf-8')


def rebuild_after_edit(
    source: Path, out: Path, numero: int, edit: int, *, drugs: bool = False
) -> tuple[float, list[str]]:
    """Edit one issue, build again; the time and the pages written again."""
    before = page_times(out / 'html')
    edit_one_issue(source, numero, edit, drugs=drugs)
    seconds, _, _ = sphinx_build(source, out)
    after = page_times(out / 'html')
    changed = sorted(page for page, mtime in after.items() if before.get(page) != mtime)
    return seconds, [str(page.relative_to(out / 'html')) for page in changed]


def page_times(html: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in html.rglob('*.html')}


def measure(workdir: Path, size: int, stack: str, runs: int) -> Measure:
    source = make_project(workdir / f'{stack}-{size}' / 'src', size, stack)
    out = source.parent / 'out'
    result = Measure(stack, size)
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak, warnings = sphinx_build(source, out)
        result.full.append(seconds)
        result.peak_mb = max(result.peak_mb, peak)
        result.warnings += warnings.count('WARNING')

    for edit in range(1, runs + 1):
        seconds, pages = rebuild_after_edit(source, out, size // 2, edit)
        result.rebuilds.append(seconds)
        result.rewritten, result.rewritten_pages = len(pages), pages
    result.drug_rebuild, result.drug_pages = rebuild_after_edit(
        source, out, size // 2, runs + 1, drugs=True
    )

    shutil.rmtree(out, ignore_errors=True)
    result.parallel, peak, warnings = sphinx_build(source, out, jobs=2)
    result.peak_mb = max(result.peak_mb, peak)
    result.warnings += warnings.count('WARNING')
    return result


def report(results: dict[tuple[str, int], Measure], sizes: list[int]) -> None:
    print(
        f'\n{"N":>5} {"stack":<7} {"full (s)":>9} {"rebuild (s)":>12} {"pages":>6} '
        f'{"-j 2 (s)":>9} {"peak MB":>8} {"warnings":>9}'
    )
    for size in sizes:
        for stack in ('stock', 'galien'):
            m = results[stack, size]
            print(
                f'{size:>5} {stack:<7} {m.median:>9.2f} {m.rebuild:>12.2f} {m.rewritten:>6} '
                f'{m.parallel:>9.2f} {m.peak_mb:>8.0f} {m.warnings:>9}'
            )
    print()
    for size in sizes:
        ours = results['galien', size]
        print(
            f'N={size}: pages rewritten after editing one issue (project): '
            f'{", ".join(ours.rewritten_pages)}'
        )
        print(
            f'N={size}: after naming one more drug in it: {ours.drug_rebuild:.2f} s '
            f'(stock {results["stock", size].drug_rebuild:.2f} s), pages rewritten: '
            f'{", ".join(ours.drug_pages)}'
        )
    for size in sizes:
        ours, stock = results['galien', size], results['stock', size]
        print(
            f'N={size}: full build project/stock = {ours.median / stock.median:.2f}, '
            f'rebuild project/stock = {ours.rebuild / stock.rebuild:.2f}'
        )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for stack in ('galien', 'stock'):
            scaling = results[stack, large].median / results[stack, small].median
            print(
                f'scaling t({large})/t({small}), {stack}: {scaling:.1f} '
                f'(issues ×{large / small:.0f})'
            )


# -- print edition -------------------------------------------------------------------


@dataclass
class PrintMeasure:
    size: int
    full: float = 0.0
    rebuilds: list[float] = field(default_factory=list)
    pdfs_rewritten: int = 0
    tex_rewritten: int = 0

    @property
    def rebuild(self) -> float:
        return statistics.median(self.rebuilds)


def latexpdf(
    source: Path,
    out: Path,
    jobs: int | None = None,
    *,
    onepass: bool = True,
    runs: list[int] | None = None,
    cpu: list[float] | None = None,
) -> float:
    """``sphinx-build -M latexpdf``, ``jobs`` PDFs at a time (default: one per core).

    Not ``onepass``: as before issue 21, every PDF from an empty ``.aux``. The
    LuaLaTeX runs latexmk started (its "Run number" lines) are added to ``runs``, the
    CPU seconds of the build's processes (user and system) to ``cpu``.
    """
    env = dict(os.environ)
    env.pop('MAKEFLAGS', None)  # make bench's own flags are not the build's
    if jobs is not None:
        env['PDFJOBS'] = str(jobs)
    env['PDFONEPASS'] = 'yes' if onepass else 'no'
    command = [sys.executable, '-m', 'sphinx', '-M', 'latexpdf', str(source), str(out), '-q']
    start, children = time.perf_counter(), os.times()
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed, done = time.perf_counter() - start, os.times()
    if cpu is not None:
        cpu.append(
            done.children_user
            - children.children_user
            + done.children_system
            - children.children_system
        )
    if result.returncode != 0:
        raise SystemExit(f'PDF build failed in {source}:\n{result.stderr[-4000:]}')
    if runs is not None:
        runs.append(len(re.findall(r"Run number \d+ of rule 'pdflatex'", result.stdout)))
    return elapsed


def output_times(latex: Path) -> dict[Path, int]:
    """Dates of the issues' ``.tex`` and ``.pdf`` files."""
    return {p: p.stat().st_mtime_ns for p in latex.glob('galien-[0-9]*.[pt][de][fx]')}


def measure_pdf_alone(workdir: Path, runs: int) -> tuple[float, float]:
    """One issue: ``make latexpdf`` from scratch, and the LaTeX compilation alone."""
    source = make_project(workdir / 'print-1' / 'src', 1, 'galien')
    out = source.parent / 'out'
    builds, compiles = [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        builds.append(latexpdf(source, out))
        start = time.perf_counter()
        subprocess.run(
            ['latexmk', '-gg', '-pdf', '-dvi-', '-ps-', '-silent', 'galien-001.tex'],
            cwd=out / 'latex',
            capture_output=True,
            check=True,
        )
        compiles.append(time.perf_counter() - start)
    return statistics.median(builds), statistics.median(compiles)


def measure_print(workdir: Path, size: int, runs: int) -> PrintMeasure:
    """Full build of ``size`` issues, then rebuilds after editing the middle one."""
    source = make_project(workdir / f'print-{size}' / 'src', size, 'galien')
    out = source.parent / 'out'
    result = PrintMeasure(size, full=latexpdf(source, out))
    for edit in range(1, runs + 1):
        before = output_times(out / 'latex')
        edit_one_issue(source, max(1, size // 2), edit)
        result.rebuilds.append(latexpdf(source, out))
        after = output_times(out / 'latex')
        changed = [path for path, mtime in after.items() if before.get(path) != mtime]
        result.pdfs_rewritten = sum(1 for path in changed if path.suffix == '.pdf')
        result.tex_rewritten = sum(1 for path in changed if path.suffix == '.tex')
    shutil.rmtree(out, ignore_errors=True)
    return result


def measure_print_full(workdir: Path, size: int, runs: int) -> tuple[float, float]:
    """Full builds from scratch of ``size`` issues: one PDF at a time, then one per core."""
    source = make_project(workdir / f'print-full-{size}' / 'src', size, 'galien')
    out = source.parent / 'out'
    times: dict[int | None, list[float]] = {1: [], None: []}
    for _ in range(runs):
        for jobs in times:
            shutil.rmtree(out, ignore_errors=True)
            times[jobs].append(latexpdf(source, out, jobs))
    shutil.rmtree(out, ignore_errors=True)
    return statistics.median(times[1]), statistics.median(times[None])


def measure_onepass(workdir: Path, size: int, runs: int) -> dict[bool, tuple[float, float, int]]:
    """Clean builds of ``size`` issues, one pass where enough and before.

    For each: the median wall and CPU seconds, and the LuaLaTeX runs.
    """
    source = make_project(workdir / f'onepass-{size}' / 'src', size, 'galien')
    out = source.parent / 'out'
    times: dict[bool, list[float]] = {True: [], False: []}
    passes: dict[bool, list[int]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(runs):
        for onepass in times:
            shutil.rmtree(out, ignore_errors=True)
            seconds = latexpdf(source, out, onepass=onepass, runs=passes[onepass], cpu=cpu[onepass])
            times[onepass].append(seconds)
    shutil.rmtree(out, ignore_errors=True)
    return {
        onepass: (
            statistics.median(times[onepass]),
            statistics.median(cpu[onepass]),
            passes[onepass][-1],
        )
        for onepass in times
    }


def measure_compile_alone(
    workdir: Path, runs: int, *, pdfa: bool = True
) -> dict[bool, tuple[float, float, int]]:
    """One issue's PDF from its ``.tex``: LaTeX and the PDF/A step, from a clean folder.

    The Sphinx part of ``make latexpdf`` (reading, writing the ``.tex``) is the same
    before and after; this is the part issue 21 changes. Not ``pdfa``: LaTeX alone
    (``PDFSTEP=true``), as the issue measured it. As :func:`measure_onepass`.
    """
    source = make_project(workdir / f'compile-1-{"pdfa" if pdfa else "latex"}' / 'src', 1, 'galien')
    out = source.parent / 'out'
    subprocess.run(
        [sys.executable, '-m', 'sphinx', '-M', 'latex', str(source), str(out), '-q'],
        capture_output=True,
        check=True,
    )
    latex = out / 'latex'
    times: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    passes: dict[bool, int] = {}
    for _ in range(runs):
        for onepass in times:
            for made in latex.glob('galien-[0-9]*'):
                if made.suffix != '.tex':  # what LaTeX made: PDF, .aux, log, latexmk's files
                    made.unlink()
            env = {**os.environ, 'PDFONEPASS': 'yes' if onepass else 'no'}
            if not pdfa:
                env['PDFSTEP'] = 'true'
            env.pop('MAKEFLAGS', None)
            start, children = time.perf_counter(), os.times()
            result = subprocess.run(
                ['make', '-C', str(latex), 'all-pdf'],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            times[onepass].append(time.perf_counter() - start)
            done = os.times()
            cpu[onepass].append(
                done.children_user
                - children.children_user
                + done.children_system
                - children.children_system
            )
            passes[onepass] = len(re.findall(r"Run number \d+ of rule 'pdflatex'", result.stdout))
    shutil.rmtree(out, ignore_errors=True)
    return {
        onepass: (
            statistics.median(times[onepass]),
            statistics.median(cpu[onepass]),
            passes[onepass],
        )
        for onepass in times
    }


def onepass_row(label: str, m: dict[bool, tuple[float, float, int]]) -> None:
    (before, before_cpu, before_runs), (after, after_cpu, after_runs) = m[False], m[True]
    print(
        f'{label:>9} {before:>11.2f} {before_cpu:>8.2f} {before_runs:>5} {after:>10.2f} '
        f'{after_cpu:>8.2f} {after_runs:>5} {after / before:>13.2f} '
        f'{after_cpu / before_cpu:>5.2f}   (load {load()})',
        flush=True,
    )


def onepass_section(workdir: Path, sizes: list[int], runs: int) -> None:
    print(f'\nOne LuaLaTeX pass from clean (make latexpdf), {os.cpu_count()} cores, load {load()}')
    print(
        f'{"N":>9} {"before (s)":>11} {"CPU (s)":>8} {"runs":>5} {"after (s)":>10} '
        f'{"CPU (s)":>8} {"runs":>5} {"after/before":>13} {"CPU":>5}',
        flush=True,
    )
    onepass_row('1 (LaTeX)', measure_compile_alone(workdir, runs, pdfa=False))
    onepass_row('1 (.tex)', measure_compile_alone(workdir, runs))
    for size in sizes:
        onepass_row(str(size), measure_onepass(workdir, size, runs))


def load() -> str:
    """The machine's load average over 1, 5 and 15 minutes, as ``uptime`` prints it."""
    return ', '.join(f'{value:.2f}' for value in os.getloadavg())


def print_section(
    workdir: Path, sizes: list[int], full_size: int, runs: int, full_runs: int
) -> None:
    print(f'\nPrint edition (make latexpdf), {os.cpu_count()} cores, load {load()}', flush=True)
    alone, compile_only = measure_pdf_alone(workdir, runs)
    print(f'one issue alone: make latexpdf {alone:.2f} s, LaTeX only {compile_only:.2f} s')
    print(
        f'\n{"N":>5} {"full -j (s)":>12} {"rebuild (s)":>12} {"PDFs":>5} {".tex":>5} '
        f'{"/alone":>7} {"/LaTeX":>7}',
        flush=True,
    )
    for size in sizes:
        m = measure_print(workdir, size, runs)
        print(
            f'{size:>5} {m.full:>12.2f} {m.rebuild:>12.2f} {m.pdfs_rewritten:>5} '
            f'{m.tex_rewritten:>5} {m.rebuild / alone:>7.2f} {m.rebuild / compile_only:>7.2f}'
            f'   (load {load()})',
            flush=True,
        )
    serial, parallel = measure_print_full(workdir, full_size, full_runs)
    print(
        f'\nfull build of {full_size} issues (median of {full_runs}): serial {serial:.2f} s, '
        f'parallel {parallel:.2f} s, parallel/serial = {parallel / serial:.2f}   (load {load()})'
    )


def abonnements_section(options: str) -> int:
    """The service under load, its figures printed as they come; its exit status."""
    print('\nSubscription service under load (abonnements_load.py):', flush=True)
    script = Path(__file__).with_name('abonnements_load.py')
    return subprocess.run(
        [sys.executable, str(script), *shlex.split(options)], check=False
    ).returncode


def build_as_of_last_issue(size: int) -> None:
    """Date the builds on the month of the archive's last issue (``SOURCE_DATE_EPOCH``).

    A 240-issue archive runs to 2037: built as of today, each issue dated more
    than a year ahead is warned about as a likely typo, and the warnings would
    be timed with the build. A date already in the environment is kept.
    """
    year, month = issue_date(size, 2018)
    stamp = datetime(year, month, 1, tzinfo=UTC).timestamp()
    os.environ.setdefault('SOURCE_DATE_EPOCH', str(int(stamp)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', type=int, nargs='+', default=[24, 240])
    parser.add_argument('--runs', type=int, default=3, help='full builds per measure')
    parser.add_argument('--keep', type=Path, help='build here and keep the trees')
    parser.add_argument(
        '--sections',
        nargs='+',
        choices=['html', 'print', 'onepass', 'abonnements'],
        default=['html', 'print', 'onepass', 'abonnements'],
    )
    parser.add_argument(
        '--charge', default='', help='options of abonnements_load.py (the service under load)'
    )
    parser.add_argument(
        '--onepass-sizes',
        type=int,
        nargs='+',
        default=[1, 24, 240],
        help='issues of the clean builds, one pass against before',
    )
    parser.add_argument('--print-sizes', type=int, nargs='+', default=[24, 240])
    parser.add_argument(
        '--print-full-size', type=int, default=24, help='issues of the serial/parallel build'
    )
    parser.add_argument(
        '--print-full-runs', type=int, default=1, help='serial/parallel builds per measure'
    )
    args = parser.parse_args(argv)
    build_as_of_last_issue(max([*args.sizes, *args.print_sizes, *args.onepass_sizes]))

    workdir = args.keep or Path(tempfile.mkdtemp(prefix='galien-bench-'))
    results = {}
    try:
        if 'html' in args.sections:
            for size in args.sizes:
                first, last = issue_date(1, 2018), issue_date(size, 2018)
                print(f'N={size}: {first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}', flush=True)
                for stack in ('stock', 'galien'):
                    results[stack, size] = measure(workdir, size, stack, args.runs)
                    print(f'  {stack}: {results[stack, size].median:.2f} s', flush=True)
            report(results, args.sizes)
        if 'print' in args.sections:
            print_section(
                workdir, args.print_sizes, args.print_full_size, args.runs, args.print_full_runs
            )
        if 'onepass' in args.sections:
            onepass_section(workdir, args.onepass_sizes, args.runs)
        status = abonnements_section(args.charge) if 'abonnements' in args.sections else 0
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == '__main__':
    sys.exit(main())
