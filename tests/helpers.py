"""Small helpers the tests share: parsed pages, epubcheck, Ace by DAISY, pdftotext."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops
from sphinx.testing.util import SphinxTestApp

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

EPUBCHECK_JAR = Path('/usr/bin/epubcheck')
#: A JVM for a run of seconds: the quick compiler only, one garbage-collector thread. Half
#: the CPU time of the defaults for epubcheck (3.2 s instead of 6.8 s for one ePub), the
#: same report.
JAVA_SHORT_RUN = ('-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC')
CHROMIUM = Path('/usr/bin/chromium')
#: The npm tools of tests/package.json (axe-core, Ace by DAISY): `make npm-tools` installs them.
NODE_MODULES = Path(__file__).resolve().parent / 'node_modules'
AXE_SCRIPT = NODE_MODULES / 'axe-core' / 'axe.min.js'
ACE_CLI = NODE_MODULES / '.bin' / 'ace-cli'
NBSP = '\u00a0'


TESTS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = TESTS_DIR.parent

# N°20's board and source, written out by hand from issues/020.md and references.bib.
N20_BOARD = [
    'P. Arnaud',
    'J. Bonneterre',
    'D. Cuny',
    'E. Dansin',
    'B. Dervaux',
    'E. Lartigau',
    'F. Pinguet',
    'J. Robert',
    'M. Yilmaz',
]
N20_SOURCE = (
    'Ravì D, Wong C, Deligianni F, Berthelot M, Andreu-Perez J, Lo B, et al. '
    'Deep Learning for Health Informatics. IEEE J Biomed Health Inform. '
    '2017;21(1):4-21. doi:10.1109/JBHI.2016.2636665'
)


@contextmanager
def project_folder_lock() -> Iterator[None]:
    """Between pytest-xdist's processes: a test that adds a file to the project folder waits
    while another checks that a build adds none there (test_fuzz.py), and the reverse.

    The lock is the folder's own (``flock`` on it): nothing is written for it.
    """
    folder = os.open(PROJECT_DIR, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)


def build_project(target: str, build_dir: Path) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -M target`` on the project itself, as ``make`` runs it, strictly (-W)."""
    result = subprocess.run(
        [
            sys.executable,
            '-m',
            'sphinx',
            '-M',
            target,
            str(PROJECT_DIR),
            str(build_dir),
            '-W',
            '--keep-going',
            '-q',
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'WARNING' not in result.stderr, result.stderr
    return result


def run_module(
    module: str,
    *arguments: str,
    cwd: Path | None = None,
    timeout: float | None = None,
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m module *arguments`` with only the test roots' and the extension's paths.

    A bare environment (no user site, no other PATH entries, UTF-8) so that a build
    behaves as on a fresh machine; the result is returned for the caller to judge.
    ``preexec_fn`` runs in the child before it starts (e.g. to limit its memory).
    """
    return subprocess.run(
        [sys.executable, '-m', module, *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={
            'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
            'PATH': '/usr/bin:/bin',
            'LANG': 'C.UTF-8',
        },
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def run_sphinx(
    *arguments: str,
    cwd: Path | None = None,
    timeout: float | None = None,
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m sphinx *arguments``, as :func:`run_module` runs it."""
    return run_module('sphinx', *arguments, cwd=cwd, timeout=timeout, preexec_fn=preexec_fn)


def clean_build(source: Path, build_dir: Path, builders: tuple[str, ...]) -> None:
    """The reference an incremental build is compared with: each edition, all in one process
    (``one_process_build``), where ``make`` would start one per edition."""
    result = run_module('one_process_build', str(source), str(build_dir), *builders, timeout=900)
    assert result.returncode == 0, f'{builders}:\n{result.stdout}{result.stderr}'
    assert 'Traceback' not in result.stderr, result.stderr


def page(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    """The built HTML page of ``docname``, parsed."""
    html = (app.outdir / f'{docname}.html').read_text(encoding='utf-8')
    return BeautifulSoup(html, 'html.parser')


def warnings(app: SphinxTestApp) -> str:
    """The build's warnings, without terminal colours."""
    return re.sub(r'\x1b\[[0-9;]*m', '', app.warning.getvalue())


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f'{name} is missing: run `make test`, which installs it')
    return path


def epubcheck(epub: Path) -> str:
    """Run epubcheck on ``epub`` and return its report; the tool must be installed."""
    if not EPUBCHECK_JAR.exists():
        pytest.fail('epubcheck is missing: run `make test`, which installs it')
    java = require_tool('java')
    result = subprocess.run(
        [java, *JAVA_SHORT_RUN, '-jar', str(EPUBCHECK_JAR), str(epub)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr


def assert_epub_clean(epub: Path) -> None:
    report = epubcheck(epub)
    assert 'Messages: 0 fatals / 0 errors / 0 warnings' in report, report


def require_npm_tool(path: Path) -> Path:
    if not path.exists():
        pytest.fail(
            f'{path.name} is missing: run `make npm-tools` (or `make test`), which installs it'
        )
    return path


def npm_version(package: str) -> str:
    """The version of an npm package installed from tests/package-lock.json."""
    manifest = require_npm_tool(NODE_MODULES / package / 'package.json')
    return str(json.loads(manifest.read_text(encoding='utf-8'))['version'])


def ace(epub: Path, report_dir: Path) -> dict[str, Any]:
    """Run Ace by DAISY on ``epub`` with Debian's chromium; its JSON report."""
    env = {
        **os.environ,
        'PUPPETEER_SKIP_DOWNLOAD': '1',
        'PUPPETEER_EXECUTABLE_PATH': str(CHROMIUM),
    }
    result = subprocess.run(
        [
            str(require_npm_tool(ACE_CLI)),
            '--silent',
            '--force',
            '--outdir',
            str(report_dir),
            str(epub),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )
    report = report_dir / 'report.json'
    assert result.returncode == 0 and report.exists(), result.stdout + result.stderr
    return json.loads(report.read_text(encoding='utf-8'))


def ace_violations(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(document, rule, impact)`` for every failed check of an Ace report."""
    return [
        (
            document['earl:testSubject']['url'],
            check['earl:test']['dct:title'],
            check['earl:test']['earl:impact'],
        )
        for document in report['assertions']
        for check in document.get('assertions', [])
        if check['earl:result']['earl:outcome'] == 'fail'
    ]


def pdftotext(pdf: Path, *, layout: bool = True) -> str:
    """The PDF's text, laid out as on the page or (``layout=False``) in reading order."""
    tool = require_tool('pdftotext')
    options = ['-layout'] if layout else []
    result = subprocess.run(
        [tool, *options, str(pdf), '-'], capture_output=True, text=True, check=True
    )
    return result.stdout


@contextmanager
def built(builder: str, source: Path) -> Iterator[SphinxTestApp]:
    """A fresh parallel build of ``source`` beside it, for module-scoped fixtures."""
    app = SphinxTestApp(
        builder, srcdir=source, builddir=source.parent / 'build', parallel=2, freshenv=True
    )
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def drawn_picture(png: Path, size: tuple[int, int] | None = None) -> Image.Image:
    """The picture at ``png`` decoded whole, checked to show a drawn page; in RGB.

    ``size``: its width and height in pixels, if they are known. A blank page has
    one colour, an error page a line of text on it; a page of the letter has text,
    frames and pictures: many colours, none covering nearly all of it, and
    something drawn in most of its height.
    """
    with Image.open(png) as image:
        assert image.format == 'PNG', image.format
        image.load()  # every row decoded: a truncated or corrupt file fails here
        picture = image.convert('RGB')
    if size is not None:
        assert picture.size == size, picture.size
    pixels = picture.width * picture.height
    colours = picture.getcolors(maxcolors=pixels) or []
    assert len(colours) >= 32, f'{len(colours)} colours: a blank or error page'
    count, background = max(colours)
    assert count < 0.97 * pixels, f'{count / pixels:.1%} of the page is {background}'
    # Drawn in at least half of twenty bands across the page, top to bottom.
    drawn = ImageChops.difference(picture, Image.new('RGB', picture.size, background))
    band = picture.height / 20
    bands = [
        drawn.crop((0, round(i * band), picture.width, round((i + 1) * band))) for i in range(20)
    ]
    assert sum(b.getbbox() is not None for b in bands) >= 10, 'most of the page is empty'
    return picture


def page_picture(pdf: Path, png: Path, page: int = 1) -> Image.Image:
    """Page ``page`` of ``pdf`` as a 100 dpi PNG at ``png``, checked to be a printed A4 page.

    For people to look at (the test's own temporary folder holds it), and for the
    test: an A4 page's size in pixels, ink on it (not a blank or error page), and
    the masthead's ink in the top fifth.
    """
    png.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [require_tool('pdftoppm'), '-png', '-r', '100', '-f', str(page), '-l', str(page),
         '-singlefile', str(pdf), str(png.with_suffix(''))],
        check=True,
    )  # fmt: skip
    picture = drawn_picture(png, (827, 1170)).convert('L')  # A4 at 100 dpi
    inked = picture.point(lambda level: 255 if level < 128 else 0)
    histogram = inked.histogram()
    assert histogram[255] > 0.01 * picture.width * picture.height  # text on the page
    masthead = inked.crop((0, 0, picture.width, picture.height // 5))
    assert masthead.histogram()[255] > 0.01 * masthead.width * masthead.height
    return picture
