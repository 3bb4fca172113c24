"""Editors' mistakes: a warning with file and line, of type galien, never a traceback."""

from __future__ import annotations

import pytest

from helpers import warnings

pytestmark = pytest.mark.fast


@pytest.mark.sphinx('html', testroot='front-matter-errors', freshenv=True)
def test_front_matter_mistakes(app):
    app.build()
    log = warnings(app)
    assert "issues/001.md:1: WARNING: l'en-tête n'a pas de « numero »" in log
    assert "issues/002.md:2: WARNING: « numero » doit être un entier positif, pas 'deux'" in log
    assert 'issues/003.md:4: WARNING: « date » doit être un mois réel' in log
    assert (
        "issues/004.md:2: WARNING: le fichier issues/004.md devrait s'appeler issues/005.md" in log
    )
    assert 'issues/005.md:2: WARNING: le numéro 5 est déjà publié dans' in log
    assert "issues/006.md:1: WARNING: le numéro n'a pas d'en-tête YAML" in log
    assert log.count('[galien.en-tete]') == 6
    assert 'Traceback' not in log
    # Only the valid issue with a unique number is registered.
    assert sorted(app.env.domains['galien'].by_numero) == [5]


@pytest.mark.sphinx('html', testroot='directive-errors', freshenv=True)
def test_directive_mistakes(app):
    app.build()
    log = warnings(app)
    assert (
        "issues/010.md:6: WARNING: le chiffre du mois '42' n'a pas de texte explicatif "
        '[galien.chiffre]'
    ) in log
    assert 'issues/010.md:6: WARNING: :source: doit être une adresse web complète' in log
    assert 'issues/010.md:10: WARNING: un seul chiffre du mois par numéro' in log
    assert "issues/010.md:19: WARNING: titre inconnu 'Sir'" in log
    assert "issues/010.md:20: WARNING: ligne de board illisible 'Dr Sans Ville'" in log
    assert "issues/010.md:23: WARNING: le board 'Board vide' n'a aucun membre" in log
    assert log.count('[galien.board]') == 3
    assert 'Traceback' not in log
