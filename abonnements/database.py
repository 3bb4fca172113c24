"""The database from one setting: ``GALIEN_ABONNES_DB``, a path or a URL.

Empty: an SQLite file under ``$XDG_DATA_HOME/galien`` (``~/.local/share/galien``),
outside the repository and outside ``_build/``. A path or ``sqlite:///path``:
that SQLite file. ``postgresql://user:password@host:port/name``: PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from collections.abc import Mapping


def default_sqlite_path(environ: Mapping[str, str]) -> Path:
    base = environ.get('XDG_DATA_HOME') or str(Path.home() / '.local' / 'share')
    return Path(base) / 'galien' / 'abonnes.sqlite3'


def sqlite_settings(path: Path) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': str(path),
        # Concurrent writers (the service and a running make send) wait, not fail.
        'OPTIONS': {
            'timeout': 20,
            'transaction_mode': 'IMMEDIATE',
            'init_command': 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;',
        },
    }


def postgresql_settings(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': unquote(parts.path.lstrip('/')),
        'USER': unquote(parts.username or ''),
        'PASSWORD': unquote(parts.password or ''),
        'HOST': parts.hostname or '',
        'PORT': str(parts.port or ''),
        'OPTIONS': options,
        'CONN_MAX_AGE': 60,
        'CONN_HEALTH_CHECKS': True,
    }


def database_settings(value: str, environ: Mapping[str, str]) -> dict[str, Any]:
    """Django's ``DATABASES['default']`` for ``GALIEN_ABONNES_DB``."""
    value = value.strip()
    if not value:
        return sqlite_settings(default_sqlite_path(environ))
    scheme = urlsplit(value).scheme
    if scheme in ('postgres', 'postgresql'):
        return postgresql_settings(value)
    if scheme == 'sqlite':
        return sqlite_settings(Path(unquote(urlsplit(value).path)))
    if scheme and len(scheme) > 1:
        raise ValueError(f'GALIEN_ABONNES_DB : schéma inconnu « {scheme} »')
    return sqlite_settings(Path(value).expanduser())
