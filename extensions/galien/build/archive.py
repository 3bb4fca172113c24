"""Which pages to write again: those whose placeholders' inputs changed.

The registry's domain derives the archive once every document is read and
merged (``env-updated``, :meth:`~galien.core.registry.GalienDomain.derive`)
and knows, per document, the inputs its placeholders declare
(:mod:`galien.core.placeholders`). Each builder keeps the value of those
inputs when it last wrote each page; a page whose inputs changed since (issue
20 when issue 21 appears, the home page when any chiffre changes) is written
again without being read again (``env-get-updated``). Kept per builder:
``make site`` builds the website, the PDFs and the ePub from one environment,
and the ePub must catch up on what the website saw.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from galien.core.editions import PAGED, edition
from galien.core.registry import galien_domain

if TYPE_CHECKING:
    from collections.abc import Hashable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def written_inputs_file(app: Sphinx) -> Path:
    """Where the inputs a builder last wrote are kept: beside the doctrees, one file per builder.

    Not in the environment, which is pickled before writing: a write that fails
    must not count as written.
    """
    return Path(app.doctreedir) / f'galien-inputs-{app.builder.name}.pickle'


def written_inputs(app: Sphinx) -> dict[str, dict[str, Hashable]]:
    try:
        with written_inputs_file(app).open('rb') as inputs_file:
            inputs = pickle.load(inputs_file)
    except (OSError, EOFError, pickle.PickleError, AttributeError, ImportError, TypeError):
        return {}  # never written, or by another version of the extension
    return inputs if isinstance(inputs, dict) else {}


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose declared inputs changed since this builder last wrote them."""
    if edition(app.builder) not in PAGED:
        return []
    written = written_inputs(app)
    return sorted(
        docname
        for docname, values in galien_domain(env).page_inputs().items()
        if written.get(docname) != values
    )


def remember_written_inputs(app: Sphinx, exception: Exception | None) -> None:
    """Once the pages are written, note what they show (a failed build notes nothing)."""
    if exception is not None or edition(app.builder) not in PAGED:
        return
    path = written_inputs_file(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open('wb') as inputs_file:
        pickle.dump(galien_domain(app.env).page_inputs(), inputs_file, pickle.HIGHEST_PROTOCOL)


def setup(app: Sphinx) -> None:
    app.connect('env-get-updated', pages_to_rewrite)
    app.connect('build-finished', remember_written_inputs)
