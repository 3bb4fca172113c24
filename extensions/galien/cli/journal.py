"""The sending journal: who has received which issue, kept through crashes and restarts.

One SQLite row per (issue, recipient), committed before and after each step of
the SMTP transaction that matters, so that a killed run leaves an exact record:
``queued`` while nothing of the message has left (the envelope may be under
way: a crash there delivered nothing), ``sending`` committed just before the
message's body and its end-of-data marker leave, then ``sent`` (with the relay's
reply and queue id), ``failed`` (with the SMTP code) or ``uncertain`` (no reply
after the end of data) right after; a deferred try goes back to ``queued``. A row
still ``sending`` when the next run opens the journal was cut off after the
body left: it becomes ``uncertain`` and is not sent again unless asked. Only the address, the state
and the relay's answer are stored.

:class:`Journal` keeps it in a file (``.galien/envois.sqlite3``); with
``ABONNES=service`` it lives in the service's database
(:mod:`galien.cli.service_journal`), so a run from CI, in a fresh checkout,
continues where the last one stopped. Both are a :class:`SendJournal`.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

QUEUED = 'queued'
SENDING = 'sending'
SENT = 'sent'
FAILED = 'failed'
UNCERTAIN = 'uncertain'
STATES = (QUEUED, SENDING, SENT, FAILED, UNCERTAIN)

SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    numero INTEGER NOT NULL,
    address TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'uncertain')),
    code INTEGER,
    reply TEXT NOT NULL DEFAULT '',
    queue_id TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    updated TEXT NOT NULL,
    PRIMARY KEY (numero, address)
)
"""


@dataclass(frozen=True)
class Delivery:
    address: str
    state: str
    code: int | None
    reply: str


class JournalError(Exception):
    """A journal that can no longer be read or written (its service stopped answering)."""


#: What a journal may raise once open: the run stops and says so.
JOURNAL_ERRORS = (sqlite3.Error, OSError, JournalError)


class SendJournal(Protocol):
    """What ``make send`` records, wherever it is kept."""

    #: How the report names it.
    where: str

    def mark_interrupted(self, numero: int) -> list[str]: ...

    def deliveries(self, numero: int) -> dict[str, Delivery]: ...

    def state_of(self, numero: int, address: str) -> str: ...

    def enqueue(self, numero: int, addresses: Iterable[str]) -> None: ...

    def set_state(
        self,
        numero: int,
        address: str,
        state: str,
        *,
        code: int | None = None,
        reply: str = '',
        queue_id: str = '',
    ) -> None: ...


def now() -> str:
    return datetime.now(UTC).isoformat(timespec='seconds')


def is_temporary(delivery: Delivery) -> bool:
    """A failure worth trying again next run: a 4xx reply or a lost connection."""
    return delivery.state == FAILED and (delivery.code is None or 400 <= delivery.code < 500)


class Journal:
    """The journal file; each change is its own committed transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: every statement below is durable when it returns.
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute('PRAGMA journal_mode=WAL')
        self.db.execute('PRAGMA synchronous=FULL')
        self.db.execute(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def mark_interrupted(self, numero: int) -> list[str]:
        """Rows a killed run left ``sending`` become ``uncertain``; return their addresses."""
        with closing(self.db.cursor()) as cursor:
            rows = cursor.execute(
                'SELECT address FROM deliveries WHERE numero = ? AND state = ?',
                (numero, SENDING),
            ).fetchall()
            cursor.execute(
                'UPDATE deliveries SET state = ?, updated = ? WHERE numero = ? AND state = ?',
                (UNCERTAIN, now(), numero, SENDING),
            )
        return [row[0] for row in rows]

    def deliveries(self, numero: int) -> dict[str, Delivery]:
        rows = self.db.execute(
            'SELECT address, state, code, reply FROM deliveries WHERE numero = ?', (numero,)
        ).fetchall()
        return {row[0]: Delivery(*row) for row in rows}

    def state_of(self, numero: int, address: str) -> str:
        row = self.db.execute(
            'SELECT state FROM deliveries WHERE numero = ? AND address = ?', (numero, address)
        ).fetchone()
        return str(row[0]) if row else ''

    def enqueue(self, numero: int, addresses: Iterable[str]) -> None:
        """Record the run's recipients as ``queued`` (those already known keep their state)."""
        stamp = now()
        self.db.execute('BEGIN')
        self.db.executemany(
            'INSERT OR IGNORE INTO deliveries (numero, address, state, updated) '
            'VALUES (?, ?, ?, ?)',
            [(numero, address, QUEUED, stamp) for address in addresses],
        )
        self.db.execute('COMMIT')

    def set_state(
        self,
        numero: int,
        address: str,
        state: str,
        *,
        code: int | None = None,
        reply: str = '',
        queue_id: str = '',
    ) -> None:
        attempt = 1 if state == SENDING else 0
        self.db.execute(
            'UPDATE deliveries SET state = ?, code = ?, reply = ?, queue_id = ?, '
            'attempts = attempts + ?, updated = ? WHERE numero = ? AND address = ?',
            (state, code, reply, queue_id, attempt, now(), numero, address),
        )
