"""The name of the issue registry's domain, known to every module of the core.

Kept apart from the registry (``registry.py``), which the ``galien`` role
(``crossref.py``) must not import: the registry's domain lists that role.
"""

from __future__ import annotations

DOMAIN_NAME = 'galien'
