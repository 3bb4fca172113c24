"""The build's machinery, above the content model: what each builder wrote and must write again.

The model (:mod:`galien.core`) says what the issues are; this package says how
a build of them runs: which sources it refuses (symbolic links) and which
documents it leaves out (drafts), which pages each builder writes again, what
it wrote, how it stops on a full disk. It reads the model, never the other
way round (the ``layers`` contract of ``pyproject.toml``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien.build import archive, drafts, failures, sources, written

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    sources.setup(app)
    failures.setup(app)
    drafts.setup(app)
    archive.setup(app)
    written.setup(app)
