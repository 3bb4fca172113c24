"""The subscription service as the tests run it: a real server process on a real database.

:func:`postgresql_cluster` starts a throwaway PostgreSQL cluster (Debian's
``postgresql`` package: ``initdb`` into a temporary folder, ``pg_ctl`` on a free
port of 127.0.0.1, as the ``postgres`` user when the tests run as root, since
PostgreSQL refuses to run as root). :class:`Service` migrates a database and
serves it with the production server (waitress), its confirmations going to an
aiosmtpd server.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smtp_server import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

PROJECT = Path(__file__).resolve().parent.parent
SECRET_KEY = 'clé-de-test-' + 'x' * 50
POSTGRES_BINARIES = sorted(Path('/usr/lib/postgresql').glob('*/bin'))


def as_postgres(command: list[str]) -> list[str]:
    """Run as ``postgres`` when root (PostgreSQL refuses root), else as oneself."""
    if os.getuid() == 0:
        return ['runuser', '-u', 'postgres', '--', *command]
    return command


@contextlib.contextmanager
def postgresql_cluster() -> Iterator[str]:
    """A PostgreSQL cluster of its own; yields the URL of its ``postgres`` database."""
    if not POSTGRES_BINARIES:
        raise RuntimeError('PostgreSQL absent : apt-get install postgresql (make test le fait)')
    binaries = POSTGRES_BINARIES[-1]
    folder = Path(tempfile.mkdtemp(prefix='galien-pg-'))
    if os.getuid() == 0:
        user = pwd.getpwnam('postgres')
        os.chown(folder, user.pw_uid, user.pw_gid)
    data = folder / 'data'
    port = free_port()
    subprocess.run(
        as_postgres([str(binaries / 'initdb'), '-D', str(data), '-U', 'galien', '-A', 'trust',
                     '-E', 'UTF8', '--locale', 'C.UTF-8']),
        check=True, capture_output=True,
    )  # fmt: skip
    options = f'-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off'
    subprocess.run(
        as_postgres([str(binaries / 'pg_ctl'), '-D', str(data), '-o', options, '-w',
                     '-l', str(folder / 'log'), 'start']),
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f'postgresql://galien@127.0.0.1:{port}/postgres'
    finally:
        subprocess.run(
            as_postgres([str(binaries / 'pg_ctl'), '-D', str(data), '-m', 'fast', 'stop']),
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def new_database(cluster_url: str, name: str) -> str:
    """A fresh database in the cluster; its URL."""
    import psycopg

    with psycopg.connect(cluster_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return cluster_url.rsplit('/', 1)[0] + f'/{name}'


class Service:
    """``python -m abonnements serve`` on a free port, on the database ``db``."""

    def __init__(self, db: str, smtp_port: int, home: Path, **extra: str) -> None:
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}/'
        #: The address readers are given (a test's TLS front sets it): the service's own here.
        self.public_url = self.url
        self.environ = {
            **{k: v for k, v in os.environ.items() if not k.startswith('GALIEN_')},
            'PYTHONPATH': str(PROJECT),
            'XDG_DATA_HOME': str(home),
            'GALIEN_ABONNES_DB': db,
            'GALIEN_ABONNES_SECRET_KEY': SECRET_KEY,
            'GALIEN_ABONNES_URL': self.url,
            'GALIEN_ABONNES_SMTP_HOST': '127.0.0.1',
            'GALIEN_ABONNES_SMTP_PORT': str(smtp_port),
            'GALIEN_ABONNES_SMTP_SECURITE': 'aucune',
            'GALIEN_ABONNES_FROM': 'Galien <galien@oscarlambret.fr>',
            'GALIEN_ABONNES_PROXY': '1',
            'GALIEN_ABONNES_LIMITES': '3,20',
            **extra,
        }
        self.home = home
        self.process: subprocess.Popen[bytes] | None = None

    def log_text(self) -> str:
        path = self.home / 'service.log'
        return path.read_text(errors='replace') if path.exists() else ''

    def home_file(self, name: str, text: str) -> Path:
        path = self.home / name
        path.write_text(text, encoding='utf-8')
        return path

    def manage(self, *arguments: str, stdin: str = '') -> str:
        result = subprocess.run(
            [sys.executable, '-m', 'abonnements', *arguments],
            env=self.environ, cwd=PROJECT, input=stdin.encode(), capture_output=True,
            check=False,
        )  # fmt: skip
        if result.returncode:
            raise RuntimeError(result.stderr.decode(errors='replace'))
        return result.stdout.decode()

    def start(self) -> None:
        self.manage('migrate', '--verbosity', '0')
        self.log = (self.home / 'service.log').open('ab')
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'abonnements', 'serve', '--listen', f'127.0.0.1:{self.port}'],
            env=self.environ, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=self.log,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.url + 'sante/', timeout=2) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.2)
        self.stop()
        log = (self.home / 'service.log').read_text(errors='replace')
        raise RuntimeError(f'le service ne répond pas :\n{log[-3000:]}')

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
            self.log.close()

    def ask(self, *requests: dict[str, Any]) -> list[dict[str, Any]]:
        """What ``make send`` asks, through ``python -m abonnements sendlink``."""
        lines = ''.join(json.dumps(r) + '\n' for r in requests)
        return [json.loads(line) for line in self.manage('sendlink', stdin=lines).splitlines()]

    def readers(self) -> list[str]:
        return list(self.ask({'op': 'list'})[0]['readers'])


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, 'pas de jeton CSRF dans la page'
    return match[1]


LINK = re.compile(r'(http://127\.0\.0\.1:\d+/\S+/)')


def link_in(text: str) -> str:
    match = LINK.search(text)
    assert match, text
    return match[1]
