"""Found by a machine, not by examples: generated hostile issues, built into every edition.

Hypothesis writes an issue file from the letter's grammar and hostile fragments
(:mod:`fuzz_grammar`), the test builds it in process into the website, the ePub,
the e-mail and the LaTeX source, and the oracle (:mod:`fuzz_checks`) checks the
invariants that hold whatever an issue says:

1. the build ends normally: no exception, no traceback, within a time limit;
2. no byte of a secret outside the project reaches an output: a canary file planted
   beside the project, the canary value of ``GALIEN_SMTP_PASSWORD`` in the
   environment (``/proc/self/environ``), ``/etc/passwd``;
3. nothing is written outside the build folder (a listing of the workspace, the
   project and the canary's folder, before and after);
4. no page of any edition has a script, event handler, ``javascript:``/``data:``
   URL, ``<meta>``, ``<base>``, ``<form>``, ``<iframe>``… that a clean build of a
   benign issue does not have (the theme's own);
5. the ``.tex`` uses no control sequence or environment that the clean build (the
   extension's templates, Sphinx's escaping) or the math allow-list does not use,
   and the LaTeX folder's ``latexmkrc``, ``Makefile``, class and styles are the
   clean build's;
6. every warning names a file of the project and a line of it.

``make test`` runs a few hundred examples (profile ``galien-fuzz``); ``make fuzz``
runs many more (``galien-fuzz-long``). ``GALIEN_FUZZ_PROFILE`` picks a profile,
``GALIEN_FUZZ_EXAMPLES`` overrides the number of examples. A failure prints the
shrunk issue file and every invariant it breaks.
"""

from __future__ import annotations

import os
import runpy
import secrets
import shutil
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sphinx
import sphinx.writers.latex
from fuzz_checks import (
    PASSWD_MARKER,
    Baseline,
    excerpt,
    find_secrets,
    html_signatures,
    listing_findings,
    log_records,
    output_files,
    process_environment_markers,
    tree_listing,
    unlocated,
)
from fuzz_grammar import (
    BENIGN_ISSUE,
    CANARY_ABS,
    CANARY_REL,
    ISSUE_PATH,
    OUTSIDE,
    SECRET_VARIABLE,
    issue_files,
    resolve,
)
from hypothesis import HealthCheck, Phase, example, given, settings
from sphinx.testing.util import SphinxTestApp

from conftest import PROJECT_DIR, TESTS_DIR
from helpers import pdftotext, project_folder_lock

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The editions an issue reaches, in the order ``make site`` and ``make send`` build them.
EDITIONS = ('html', 'epub', 'email', 'latex')
#: The four builds of this tiny project take a second or two; past this they are stalled (a
#: regex backtracking, a recursion without limit). Bounded so that shrinking a stall stays cheap.
BUILD_TIME_LIMIT = 30.0

settings.register_profile(
    'galien-fuzz',
    max_examples=25,
    deadline=None,
    # The same issues on every run of `make test`: CI is red only for a change of ours;
    # `make fuzz` is the one that keeps looking for new ones.
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    'galien-fuzz-long',
    parent=settings.get_profile('galien-fuzz'),
    max_examples=5000,
    derandomize=False,
    # The explicit examples run in every `make test`; `make fuzz` spends its time exploring.
    phases=[Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
FUZZ_SETTINGS = settings(
    settings.get_profile(os.environ.get('GALIEN_FUZZ_PROFILE', 'galien-fuzz')),
    **(
        {'max_examples': int(os.environ['GALIEN_FUZZ_EXAMPLES'])}
        if os.environ.get('GALIEN_FUZZ_EXAMPLES')
        else {}
    ),
)


#: The writers and templates whose TeX is the letter's own (see Baseline.template_sequences).
TEMPLATES = (
    Path(sphinx.writers.latex.__file__),
    Path(sphinx.__file__).parent / 'builders' / 'latex',
    Path(sphinx.__file__).parent / 'texinputs',
    Path(sphinx.__file__).parent / 'templates' / 'latex',
    PROJECT_DIR / 'extensions' / 'galien',
)


def project_settings() -> dict[str, Any]:
    """The project's parser, theme and address settings, for the fuzz root to build with.

    The fuzzer must attack the letter as it is published, not a test root's
    defaults: the MyST syntax set (``myst_*``), the theme whose scripts are told
    apart from the issue's, and ``html_baseurl`` (the e-mail warns without it).
    """
    namespace = runpy.run_path(str(PROJECT_DIR / 'conf.py'))
    return {
        name: value
        for name, value in namespace.items()
        if name.startswith(('myst_', 'html_theme', 'galien_allow', 'galien_max'))
        or name in ('html_baseurl', 'latex_elements', 'suppress_warnings')
    }


#: The stylesheets and scripts of an application's registry and of its builder.
Assets = tuple[list[Any], list[Any], list[Any], list[Any]]


def page_assets(app: SphinxTestApp) -> Assets:
    """The stylesheets and scripts the application has before its first build."""
    builder = app.builder
    return (
        list(app.registry.css_files),
        list(app.registry.js_files),
        list(getattr(builder, '_css_files', [])),
        list(getattr(builder, '_js_files', [])),
    )


def forget_page_assets(app: SphinxTestApp, assets: Assets) -> None:
    """Forget the scripts a theme added for single pages during the application's last build.

    pydata-sphinx-theme 0.20.0 calls ``app.add_js_file`` in ``html-page-context``
    for each page (``DOCUMENTATION_OPTIONS.pagename = '…'``): Sphinx 9.0.4 keeps
    it in the application's registry, and its HTML builder keeps the last
    page's (the search page's) after the build. A real build is one process,
    one build; an application kept between examples is not, so the registry
    and the builder are set back to what they held before the first build.
    """
    app.registry.css_files[:] = assets[0]
    app.registry.js_files[:] = assets[1]
    if hasattr(app.builder, '_css_files'):
        app.builder._css_files[:] = assets[2]
        app.builder._js_files[:] = assets[3]


class BuildStalledError(Exception):
    """A build went past :data:`BUILD_TIME_LIMIT`."""


def stalled(_signum: int, _frame: object) -> None:
    raise BuildStalledError(f'the build took more than {BUILD_TIME_LIMIT:.0f} s')


@dataclass(repr=False)
class Workspace:
    """A copy of the fuzz root with, beside it, a secret file the build must never read.

    ``outside/`` sits next to the project, as the rest of a build machine's disk
    does; the environment holds the canary as the relay's password. The
    workspace stays at one path for the whole module, so that every build (the
    clean one included) writes the same paths into its outputs.
    """

    root: Path
    #: The project's settings, written at the end of the fuzz root's conf.py.
    settings: dict[str, Any]
    canary: bytes = field(default_factory=lambda: f'GALIENCANARY{secrets.token_hex(12)}'.encode())
    env_canary: bytes = field(
        default_factory=lambda: f'GALIENENVCANARY{secrets.token_hex(12)}'.encode()
    )
    #: One Sphinx application per edition, kept from one example to the next.
    apps: dict[str, SphinxTestApp] = field(default_factory=dict)
    #: Each application's stylesheets and scripts as its extensions registered them.
    assets: dict[str, Assets] = field(default_factory=dict)
    #: The project as :meth:`reset` left it, to tell whether a build wrote into it.
    pristine: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f'<Workspace {self.root}>'

    @property
    def srcdir(self) -> Path:
        return self.root / 'src'

    @property
    def build(self) -> Path:
        return self.srcdir / '_build'

    @property
    def canary_file(self) -> Path:
        return self.root / 'outside' / 'canary.txt'

    def placeholders(self) -> dict[str, str]:
        return {
            CANARY_ABS: str(self.canary_file),
            CANARY_REL: os.path.relpath(self.canary_file, self.srcdir / 'issues'),
            OUTSIDE: str(self.root / 'outside'),
        }

    def reset(self, issue: str) -> None:
        """The project with ``issue`` as its issue file, and empty output folders.

        The Sphinx applications live on from one example to the next, as the
        editors' ``make`` does from one edit to the next: only the issue is read
        again, and a few hundred examples fit in a few minutes. The output
        folders are emptied so that every file checked was written for this
        issue. Whenever the project is not exactly the copy of the root (an
        earlier issue wrote into it), everything starts again from a fresh copy.
        """
        issue_file = self.srcdir / ISSUE_PATH
        if not self.apps or tree_listing(self.srcdir, self.build) != self.pristine:
            self.close()
            shutil.rmtree(self.srcdir, ignore_errors=True)
            shutil.copytree(TESTS_DIR / 'roots' / 'test-fuzz', self.srcdir)
            with (self.srcdir / 'conf.py').open('a', encoding='utf-8') as conf:
                conf.writelines(f'{name} = {value!r}\n' for name, value in self.settings.items())
            self.canary_file.parent.mkdir(exist_ok=True)
            self.canary_file.write_bytes(self.canary + b'\n')
        for edition in EDITIONS:
            output = self.build / edition / edition
            for child in output.iterdir() if output.is_dir() else ():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        issue_file.write_text(resolve(issue, self.placeholders()), encoding='utf-8')
        # Newer than any reading of it: Sphinx reads a document again when its file is
        # more recent than the last reading, to the microsecond.
        newer = time.time_ns() + 1_000_000_000
        os.utime(issue_file, ns=(newer, newer))
        self.pristine = tree_listing(self.srcdir, self.build)

    def close(self) -> None:
        """End the Sphinx applications (the next build starts them afresh)."""
        for edition in list(self.apps):
            self.discard(edition)

    def discard(self, edition: str) -> None:
        app = self.apps.pop(edition, None)
        if app is not None:
            app.cleanup()

    def secrets(self) -> tuple[bytes, ...]:
        return (self.canary, self.env_canary, PASSWD_MARKER, *process_environment_markers())

    def build_editions(self) -> tuple[list[str], list[str]]:
        """Build every edition in process; the crashes and the log's warning records.

        One time limit covers the four builds: after a stall the other editions
        are not built (the finding is the stall).
        """
        crashes: list[str] = []
        records: list[str] = []
        previous = signal.signal(signal.SIGALRM, stalled)
        signal.setitimer(signal.ITIMER_REAL, BUILD_TIME_LIMIT)
        try:
            for edition in EDITIONS:
                crashes += self.build_one(edition, records)
                if any('BuildStalledError' in crash for crash in crashes):
                    break
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return crashes, records

    def build_one(self, edition: str, records: list[str]) -> list[str]:
        """Build one edition; its crashes (an exception, a traceback in the log).

        Each edition has its own application, output and doctrees, so that no
        edition reads what another one's builder left. An application that
        raised is ended: the next example starts it afresh.
        """
        try:
            app = self.apps.get(edition)
            if app is None:
                app = SphinxTestApp(
                    edition,
                    srcdir=self.srcdir,
                    builddir=self.build / edition,
                    freshenv=True,
                    status=StringIO(),
                    warning=StringIO(),
                )
                self.apps[edition] = app
                self.assets[edition] = page_assets(app)
            else:
                forget_page_assets(app, self.assets[edition])
            for stream in (app.status, app.warning):
                stream.seek(0)
                stream.truncate()
            app.build()
        except BaseException as error:  # any exception is a finding
            self.discard(edition)
            if isinstance(error, KeyboardInterrupt):
                raise
            frames = traceback.extract_tb(error.__traceback__)
            where = frames[-1] if frames else None
            place = f' at {Path(where.filename).name}:{where.lineno}' if where else ''
            return [f'crash: {edition}: {type(error).__name__}: {excerpt(str(error), 160)}{place}']
        log = app.status.getvalue() + app.warning.getvalue()
        records += [f'[{edition}] {record}' for record in log_records(app.warning.getvalue())]
        if 'Traceback' in log or 'Exception occurred' in log:
            return [f'crash: {edition}: traceback in the log: {excerpt(log[-300:], 300)}']
        return []

    def published(self) -> Iterator[tuple[str, bytes]]:
        """Every output of the editions (doctrees are the build's, not published)."""
        for edition in EDITIONS:
            for name, data in output_files(self.build / edition / edition):
                yield f'{edition}/{name}', data


def located_findings(records: list[str], srcdir: Path) -> list[str]:
    """:func:`fuzz_checks.unlocated` on records tagged with their edition."""
    bare = [record.split('] ', 1)[1] for record in records]
    return [
        finding.replace('warning', f'{record.split("]")[0]}] warning', 1)
        for record, found in zip(records, bare, strict=True)
        for finding in unlocated([found], srcdir)
    ]


@pytest.fixture(scope='module')
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The workspace, with the canary in the environment while the module runs."""
    space = Workspace(tmp_path_factory.mktemp('fuzz'), project_settings())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_VARIABLE, space.env_canary.decode())
        yield space
    space.close()


@pytest.fixture(scope='module')
def baseline(workspace: Workspace) -> Baseline:
    """The clean build of the benign issue: what the theme and the templates write."""
    workspace.reset(BENIGN_ISSUE)
    crashes, records = workspace.build_editions()
    assert not crashes, crashes
    assert not records, '\n'.join(records)
    return Baseline.from_outputs(workspace.published(), TEMPLATES)


class Harness:
    """The workspace and the clean build, as one fixture of the fuzzer.

    A plain class with a one-line ``repr``: Hypothesis prints the arguments of a
    failing example, and the clean build's tables would bury the issue file.
    """

    def __init__(self, workspace: Workspace, baseline: Baseline) -> None:
        self.workspace = workspace
        self.baseline = baseline

    def __repr__(self) -> str:
        return f'<Harness {self.workspace.root}>'


@pytest.fixture(scope='module')
def harness(workspace: Workspace, baseline: Baseline) -> Harness:
    return Harness(workspace, baseline)


def invariant_findings(workspace: Workspace, baseline: Baseline, issue: str) -> list[str]:
    """Every invariant that building ``issue`` breaks, as findings (empty: all hold).

    The applications kept from earlier examples make the check fast; a verdict
    of failure is given by new applications, so that it does not depend on the
    examples built before (Hypothesis replays a failure to shrink it, and an
    answer that changed would be reported as flaky).
    """
    findings = build_and_check(workspace, baseline, issue)
    if findings:
        workspace.close()
        findings = build_and_check(workspace, baseline, issue)
    return findings


def build_and_check(workspace: Workspace, baseline: Baseline, issue: str) -> list[str]:
    """Build ``issue`` in every edition and check every invariant."""
    workspace.reset(issue)
    before = tree_listing(workspace.root, workspace.build)
    with project_folder_lock():  # no other test adds to the project meanwhile
        project_before = {path.name for path in PROJECT_DIR.iterdir()}
        crashes, records = workspace.build_editions()
        project_after = {path.name for path in PROJECT_DIR.iterdir()}
    findings = list(crashes)
    findings += listing_findings(before, tree_listing(workspace.root, workspace.build))
    findings += [
        f'written outside the build: {name} created in the project'
        for name in sorted(project_after - project_before)
    ]
    files = list(workspace.published())
    findings += find_secrets(files, workspace.secrets())
    # What an edition that crashed left behind is not a publication (`make` fails): its
    # pages and its LaTeX are not checked, the crash is the finding; secrets still count.
    crashed = tuple(f'{crash.split(": ")[1]}/' for crash in crashes)
    complete = [(name, data) for name, data in files if not name.startswith(crashed)]
    findings += baseline.html_findings(complete)
    findings += baseline.tex_findings(complete)
    findings += located_findings(records, workspace.srcdir)
    return findings


def of_kind(findings: list[str], kind: str) -> list[str]:
    return [finding for finding in findings if finding.startswith(kind)]


def report(issue: str, findings: list[str]) -> str:
    return 'Invariants broken:\n- ' + '\n- '.join(findings) + '\n\nIssue file:\n' + issue


# --- The oracle catches what it must (so that a green fuzz run means something) ------------------


def test_benign_issue_builds_clean_and_keeps_every_invariant(workspace, baseline):
    assert baseline.tex_sequences, 'the clean build wrote no .tex'
    assert any(name.startswith('html/') for name in baseline.pages)
    assert invariant_findings(workspace, baseline, BENIGN_ISSUE) == []


def test_oracle_finds_a_script_a_handler_and_a_javascript_url(baseline):
    page = (
        '<html><head><meta charset="utf-8"></head><body>'
        '<p onmouseover="x()">a</p><script>alert(1)</script>'
        '<a href=" JaVa&#x09;script:alert(1)">b</a><img src="data:image/png;base64,AA">'
        '<form action="/x"></form><meta http-equiv="refresh" content="0;url=javascript:x">'
        '<span style="width: expression(alert(1))">c</span></body></html>'
    )
    findings = baseline.html_findings([('html/issues/021.html', page.encode())])
    kinds = sorted({finding.split(': ', 2)[2].split(' ')[0] for finding in findings})
    assert kinds == ['attribute', 'element', 'style', 'url'], findings
    assert sum('element <script' in finding for finding in findings) == 1
    assert any('<form' in finding for finding in findings)
    assert any(
        '<meta' in finding and 'url=' not in finding.split('<meta')[0] for finding in findings
    )
    assert html_signatures('<head><meta charset="utf-8"></head>') == {}
    assert html_signatures('<head><meta http-equiv="refresh" content="0;url=x"></head>')


def test_oracle_finds_tex_outside_the_templates(baseline):
    tex = r'\sphinxAtStartPar x \directlua{os.exit(1)} \frac{a}{b} ^^5c \begin{verbatim}'
    findings = baseline.tex_findings([('latex/galien-021.tex', tex.encode())])
    assert any(
        finding.startswith('tex: latex/galien-021.tex:1: \\directlua outside the templates')
        for finding in findings
    ), findings
    assert 'tex: latex/galien-021.tex: control sequence \\sphinxAtStartPar' not in findings
    assert 'tex: latex/galien-021.tex: control sequence \\frac' not in findings
    assert any('^^' in finding for finding in findings)
    assert any("'verbatim'" in finding for finding in findings)
    assert 'latex/latexmkrc' in baseline.latex_support
    assert baseline.tex_findings([('latex/latexmkrc', b'system("id")')]) == [
        'tex: latex/latexmkrc: line no clean build writes: \'system("id")\''
    ]


def test_oracle_finds_secrets_warnings_without_line_and_writes(workspace):
    found = find_secrets(
        [('email/x.eml!part1.html', b'..' + workspace.canary + b'..')], [workspace.canary]
    )
    assert found and 'email/x.eml!part1.html' in found[0]
    workspace.reset(BENIGN_ISSUE)
    records = log_records(
        f'WARNING: nowhere\n{workspace.srcdir}/{ISSUE_PATH}:3: WARNING: here\n'
        f'{workspace.srcdir}/{ISSUE_PATH}:99999: WARNING: past the end\n'
    )
    findings = unlocated(records, workspace.srcdir)
    assert len(findings) == 2 and 'nowhere' in findings[0] and '99999' in findings[1]
    before = tree_listing(workspace.root, workspace.build)
    (workspace.root / 'outside' / 'pwned').write_text('x')
    assert listing_findings(before, tree_listing(workspace.root, workspace.build)) == [
        'written outside the build: outside/pwned created'
    ]
    (workspace.root / 'outside' / 'pwned').unlink()


# --- The fuzzer ----------------------------------------------------------------------------------


def known_door(body: str, front: str = '') -> str:
    """An issue with its chiffre and ``body``: one of the doors issue 28 names."""
    return (
        f'---\nnumero: 21\ndate: 2018-03\n{front}---\n\n'
        "```{chiffre-du-mois} 15\nC'est le chiffre.\n```\n\n" + body + '\n'
    )


# The doors issue 28 names, tried first in every `make test`.
@example(
    issue=known_door(
        "{{ env.__class__.__init__.__globals__['os'].environ['GALIEN_SMTP_PASSWORD'] }}",
        'myst:\n  enable_extensions: [substitution]\n',
    )
)
@example(
    issue=known_door(
        '<script>alert(1)</script>\n\n<p onmouseover="alert(1)">x</p>',
        'myst:\n  disable_syntax: []\n',
    )
)
@example(issue=known_door('```{eval-rst}\n.. include:: </proc/self/environ>\n   :literal:\n```'))
@example(
    issue=known_door(
        '```{tabularcolumns} |p{\\directlua{os.execute("touch pwned")}}|\n```\n\n'
        '| a |\n|---|\n| b |'
    )
)
@example(issue=known_door('*' * 500 + 'x' + '*' * 500))
@example(issue=known_door('```{board} Board scientifique\n- Pr X' + ' ' * 3000 + '(Paris\n```'))
# Found by the fuzzer on the day it was written (shrunk by Hypothesis), kept as regressions: a
# page title the theme prints unescaped, a footnote citation in emphasis in the chiffre.
@example(issue='---\ndate: 2018-03\n---\n\n# Titre `<script>`\n\nTexte.\n')
@example(issue=known_door('').replace("C'est le chiffre.", '*{footcite:p}`ravi2017`*'))
@FUZZ_SETTINGS
@given(issue=issue_files())
def test_fuzzed_issue_keeps_every_invariant(harness, issue):
    findings = invariant_findings(harness.workspace, harness.baseline, issue)
    # One assertion per invariant, the gravest first: Hypothesis tells failures apart by
    # where they are raised, so each broken invariant is shrunk and reported on its own
    # instead of the most frequent one hiding the others.
    assert not of_kind(findings, 'secret'), report(issue, findings)
    assert not of_kind(findings, 'written outside'), report(issue, findings)
    assert not of_kind(findings, 'html'), report(issue, findings)
    assert not of_kind(findings, 'tex'), report(issue, findings)
    assert not of_kind(findings, 'crash'), report(issue, findings)
    assert not findings, report(issue, findings)


# --- One PDF, compiled: what the fast harness leaves out ----------------------------------------

#: TeX that reaches LuaLaTeX by a door of issue 28 (``{tabularcolumns}``), trying to write
#: beside the project and to print the secret file, and a file that holds the environment.
PDF_ATTACK = known_door(
    '```{tabularcolumns} |p{\\directlua{io.open("'
    + OUTSIDE
    + '/pwned-lua", "w"):write("x")}}|p{\\directlua{tex.print(io.open("'
    + CANARY_ABS
    + '"):read("a"))}}|\n```\n\n'
    '| a | b |\n|---|---|\n| c | d |\n\n'
    '```{eval-rst}\n.. include:: </proc/self/environ>\n   :literal:\n```\n\n'
    '{math}`\\input{' + CANARY_ABS + '}`'
)


@pytest.mark.slow
def test_hostile_issue_compiled_to_pdf_reads_and_writes_nothing_outside(tmp_path):
    """A hostile issue compiled to PDF writes nothing outside the build folder, its PDF holds
    no secret (the environment canary is really in the environment of this build, so
    ``/proc/self/environ`` has it), and the PDF is made."""
    space = Workspace(tmp_path, project_settings())
    space.reset(PDF_ATTACK)
    before = tree_listing(space.root, space.build)
    result = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-M', 'latexpdf', str(space.srcdir), str(space.build)],
        capture_output=True,
        text=True,
        check=False,
        cwd=space.root,
        env={
            'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
            'PATH': '/usr/bin:/bin',
            'LANG': 'C.UTF-8',
            'HOME': str(space.root),
            SECRET_VARIABLE: space.env_canary.decode(),
        },
        timeout=600,
    )
    log = result.stdout + result.stderr
    assert 'Traceback' not in log, log
    assert listing_findings(before, tree_listing(space.root, space.build)) == []
    pdfs = sorted((space.build / 'latex').glob('galien-*.pdf'))
    texts = [(pdf.name, pdftotext(pdf).encode()) for pdf in pdfs]
    assert find_secrets(texts, space.secrets()) == []
    # A refused construct is a warning and the rest of the issue is printed (issue 28).
    assert 'galien-021.pdf' in [pdf.name for pdf in pdfs], log
