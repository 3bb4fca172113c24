"""The e-mail builder writes its three files per issue and nothing of the website's.

It is Sphinx's HTML builder with what differs overridden: no theme, static
files, search index, ``_sources``, ``_images``, ``objects.inv`` or
``.buildinfo`` in ``_build/email``, and the e-mails of a deleted issue go
with it.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTS_DIR

pytestmark = pytest.mark.fast


def listing(folder):
    """Every file and folder under ``folder``, hidden ones included, relative."""
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob('*'))


def test_email_folder_holds_the_messages_only(make_app, tmp_path):
    source = tmp_path / 'src'
    shutil.copytree(TESTS_DIR / 'roots/test-email', source)
    app = make_app('email', srcdir=source, freshenv=True)
    app.build()
    assert listing(app.outdir) == [
        f'galien-0{number}.{suffix}' for number in (19, 20) for suffix in ('eml', 'html', 'txt')
    ]

    # An incremental build after deleting N°19: its e-mails go, nothing else comes.
    (source / 'issues/019.md').unlink()
    (source / 'issues/020.md').write_text(
        (source / 'issues/020.md').read_text(encoding='utf-8').replace('{galien}`19`', 'N°19'),
        encoding='utf-8',
    )
    app = make_app('email', srcdir=source)
    app.build()
    assert listing(app.outdir) == ['galien-020.eml', 'galien-020.html', 'galien-020.txt']
