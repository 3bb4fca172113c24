"""Warnings for editors: one type, ``galien``, and a subtype saying what they are about.

Editors (and ``make check``) filter them as ``galien.<subtype>``; the subtypes are
the members of :class:`~galien.core.subtypes.Subtype`, whose entries make the
guide's table. Messages are French, with a location whenever one is known, and
never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.util.logging import SphinxLoggerAdapter

    from galien.core.subtypes import Subtype

WARNING_TYPE = 'galien'


def warn(
    logger: SphinxLoggerAdapter,
    message: str,
    *args: object,
    subtype: Subtype,
    location: str | tuple[str | None, int | None] | Node | None = None,
    once: bool = False,
) -> None:
    """Log ``message % args`` as a ``galien.<subtype>`` warning at ``location``."""
    logger.warning(
        message, *args, location=location, type=WARNING_TYPE, subtype=subtype.value, once=once
    )
