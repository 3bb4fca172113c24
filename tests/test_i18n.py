"""The compiled French catalog matches its source, so labels are never stale."""

from __future__ import annotations

import io

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from galien.core.i18n import LOCALE_DIR

pytestmark = pytest.mark.fast


def test_mo_file_is_compiled_from_po():
    folder = LOCALE_DIR / 'fr' / 'LC_MESSAGES'
    po = read_po(io.BytesIO((folder / 'galien.po').read_bytes()))
    mo = read_mo(io.BytesIO((folder / 'galien.mo').read_bytes()))
    expected = {m.id: m.string for m in po if m.id}
    assert {m.id: m.string for m in mo if m.id} == expected
    assert expected['Figure of the month'] == 'Le chiffre du mois'
