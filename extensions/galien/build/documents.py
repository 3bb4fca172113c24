"""Documents the project found but that this build must leave out."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def leave_out_of_build(env: BuildEnvironment, docname: str) -> None:
    """Make ``docname`` absent from this build, as if its file were not there yet.

    Workaround for Sphinx 9.0.4: ``env-before-read-docs`` only shortens the list
    of documents read in this run, and no public API takes back a document that
    the project found (``env.found_docs``); left there, it would be written, and
    looked up in toctrees, without ever having been read. The document is taken
    out of ``env.project.docnames``, the set ``found_docs`` is made from; the next
    build finds it again (and decides again).
    """
    env.project.docnames.discard(docname)
