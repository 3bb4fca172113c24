"""Parallel builds collect exactly what serial builds collect, with no warnings."""

from __future__ import annotations

import pytest
from sphinx.errors import ExtensionError

from archive import issue_text, write_archive
from helpers import warnings

ISSUES = 36


def collected(app) -> dict:
    domain = app.env.domains['galien']
    return {
        'issues': dict(sorted(domain.issues_by_doc.items())),
        'chiffres': dict(sorted(domain.chiffres.items())),
        'citations': dict(sorted(domain.citations.items())),
        'titles': {d: app.env.titles[d].astext() for d in sorted(app.env.found_docs)},
    }


@pytest.fixture
def archive_root(tmp_path):
    return write_archive(tmp_path / 'archive', ISSUES)


def test_parallel_and_serial_builds_agree(make_app, archive_root, tmp_path):
    serial = make_app('html', srcdir=archive_root, freshenv=True, builddir=tmp_path / 'serial')
    serial.build()
    serial_data, serial_log = collected(serial), warnings(serial)
    serial_pages = sorted(p.relative_to(serial.outdir) for p in serial.outdir.rglob('*.html'))
    assert len(serial.env.domains['galien'].issues_by_doc) == ISSUES
    serial.cleanup()  # two apps in one test: give docutils' node registry back
    parallel = make_app(
        'html', srcdir=archive_root, freshenv=True, parallel=2, builddir=tmp_path / 'parallel'
    )
    parallel.build()

    assert serial_log == ''
    assert warnings(parallel) == ''
    assert collected(parallel) == serial_data
    pages = sorted(p.relative_to(parallel.outdir) for p in parallel.outdir.rglob('*.html'))
    assert pages == serial_pages
    link = (parallel.outdir / 'issues/036.html').read_text(encoding='utf-8')
    assert 'href="035.html"' in link and 'href="018.html"' in link


def test_incremental_rebuild_after_touching_one_issue(make_app, archive_root, tmp_path):
    app = make_app(
        'html', srcdir=archive_root, freshenv=True, parallel=2, builddir=tmp_path / 'build'
    )
    app.build()
    app.cleanup()
    issue = archive_root / 'issues/010.md'
    issue.write_text(
        issue.read_text(encoding='utf-8').replace('Article 10', 'Article dix'), encoding='utf-8'
    )
    again = make_app('html', srcdir=archive_root, parallel=2, builddir=tmp_path / 'build')
    assert set(again.builder.get_outdated_docs()) == {'issues/010'}
    again.build()
    assert 'Article dix' in (again.outdir / 'issues/010.html').read_text(encoding='utf-8')
    assert warnings(again) == ''


def test_a_page_whose_write_failed_is_written_again(make_app, archive_root, tmp_path):
    """Issue 37 appears; writing issue 36 fails: the next build still adds its "next" link."""
    build = tmp_path / 'build'
    app = make_app('html', srcdir=archive_root, freshenv=True, builddir=build)
    app.build()
    app.cleanup()
    (archive_root / 'issues/037.md').write_text(issue_text(37, 2021, 1), encoding='utf-8')

    def disk_full(app, doctree, docname):
        if docname == 'issues/036':
            raise OSError('disque plein')

    failing = make_app('html', srcdir=archive_root, builddir=build)
    failing.connect('doctree-resolved', disk_full)
    with pytest.raises(ExtensionError):
        failing.build()
    failing.cleanup()
    assert 'href="037.html"' not in (failing.outdir / 'issues/036.html').read_text()

    again = make_app('html', srcdir=archive_root, builddir=build)
    again.build()
    assert 'href="037.html"' in (again.outdir / 'issues/036.html').read_text()
