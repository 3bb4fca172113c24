"""Which pages to write again: those whose placeholders' inputs changed.

The registry's domain derives the archive once every document is read and
merged (``env-updated``, :meth:`~galien.core.registry.GalienDomain.derive`)
and knows, per document, the inputs its placeholders declare
(:mod:`galien.core.placeholders`). Each builder keeps, in its record
(:mod:`galien.build.record`), a digest of those inputs when it last wrote each
page; a page whose inputs changed since (issue 20 when issue 21 appears, the
home page when any chiffre changes) is written again without being read again
(``env-get-updated``). Kept per builder:
``make site`` builds the website, the PDFs and the ePub from one environment,
and the ePub must catch up on what the website saw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien.build.record import digest, record_of
from galien.core.editions import PAGED, edition
from galien.core.registry import galien_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The record's section: per page, a digest of its inputs when last written.
INPUTS_SECTION = 'inputs'


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose declared inputs changed since this builder last wrote them."""
    if edition(app.builder) not in PAGED:
        return []
    written = record_of(app.builder).get(INPUTS_SECTION)
    if not isinstance(written, dict):
        written = {}
    return sorted(
        docname
        for docname, values in galien_domain(env).page_inputs().items()
        if written.get(docname) != digest(values)
    )


def remember_written_inputs(app: Sphinx, exception: Exception | None) -> None:
    """Once the pages are written, note what they show (a failed build notes nothing).

    In the builder's record, not in the environment, which is pickled before
    writing: a write that fails must not count as written.
    """
    if exception is not None or edition(app.builder) not in PAGED:
        return
    inputs = galien_domain(app.env).page_inputs()
    record_of(app.builder).set(
        INPUTS_SECTION, {docname: digest(values) for docname, values in inputs.items()}
    )


def setup(app: Sphinx) -> None:
    app.connect('env-get-updated', pages_to_rewrite)
    app.connect('build-finished', remember_written_inputs)
