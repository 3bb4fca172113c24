"""The content model: the issue registry (a Sphinx domain), its records, what derives from them.

Nothing here knows about directives or how a build runs (:mod:`galien.build`);
everything above builds on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien.core import (
    config,
    drug_domain,
    editions,
    front_matter,
    i18n,
    registry,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    config.setup(app)
    editions.setup(app)
    i18n.setup(app)
    front_matter.setup(app)
    registry.setup(app)
    drug_domain.setup(app)
