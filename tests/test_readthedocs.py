"""Read the Docs builds what ``make latexpdf`` builds (issue 21, point 5).

``.readthedocs.yaml`` installs exactly the print edition's Debian packages, the
Makefile's ``DEBIAN_TEX``, and dates the PDFs from the last commit, as ``make
site`` does.
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import PROJECT_DIR

pytestmark = pytest.mark.fast


def makefile_list(name: str) -> list[str]:
    """A ``NAME := a b \\`` variable of the Makefile, continuation lines joined."""
    text = (PROJECT_DIR / 'Makefile').read_text(encoding='utf-8').replace('\\\n', ' ')
    match = re.search(rf'^{name}\s*:=(.*)$', text, re.MULTILINE)
    assert match, name
    return match[1].split()


def test_read_the_docs_installs_the_print_editions_packages():
    config = yaml.safe_load((PROJECT_DIR / '.readthedocs.yaml').read_text(encoding='utf-8'))
    packages = config['build']['apt_packages']
    assert sorted(packages) == sorted(makefile_list('DEBIAN_TEX'))
    assert len(packages) == len(set(packages))


def test_read_the_docs_dates_the_pdfs_from_the_last_commit():
    config = yaml.safe_load((PROJECT_DIR / '.readthedocs.yaml').read_text(encoding='utf-8'))
    (latexpdf,) = [c for c in config['build']['jobs']['post_build'] if '-M latexpdf' in c]
    assert latexpdf.startswith('SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" ')
    makefile = (PROJECT_DIR / 'Makefile').read_text(encoding='utf-8')
    assert 'site: export SOURCE_DATE_EPOCH := $(SITE_EPOCH)' in makefile
