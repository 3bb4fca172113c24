"""The registry of the current build, typed.

``env.domains['galien']`` is typed as a plain :class:`~sphinx.domains.Domain`;
:func:`galien_domain` gives the :class:`~galien.core.registry.GalienDomain`
every module works with, without a ``# type: ignore`` at each call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from galien.core.registry import GalienDomain

DOMAIN_NAME = 'galien'


def galien_domain(env: BuildEnvironment) -> GalienDomain:
    """The issue registry of ``env``'s build."""
    return cast('GalienDomain', env.domains[DOMAIN_NAME])
