"""``make send``'s journal in the service's database: the ``journal-*`` requests of ``sendlink``.

The same states as the file journal of ``galien/cli/journal.py`` (RFC 1047:
``sending`` is committed before the body leaves, so a run cut off there leaves
the reader *uncertain*, never sent again unasked). Each write is its own
committed transaction when its answer goes back: ``make send`` waits for it
before the body leaves. One send at a time: :func:`lock` holds a lock for the
life of the ``sendlink`` process (a PostgreSQL advisory lock, or a file lock
beside the SQLite database), so a killed run frees it with its process.
"""

from __future__ import annotations

import contextlib
import fcntl
import time
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from abonnements.models import Delivery, DeliveryState

#: PostgreSQL advisory lock key of ``make send`` (any constant the service uses for nothing else).
ADVISORY_KEY = 0x47616C69656E  # 'Galien' in ASCII
#: How long a new run waits for the lock: a killed run's ``sendlink`` is ending.
LOCK_WAIT = 10.0
STATES = frozenset(DeliveryState.values)


class Held:
    """This process's hold on the lock: a flag, and the SQLite lock file kept open."""

    locked = False
    files: list[IO[str]] = []


def durable() -> None:
    """On SQLite, each commit on disk before its answer (the web's WAL default says NORMAL)."""
    if connection.vendor == 'sqlite':
        with connection.cursor() as cursor:
            cursor.execute('PRAGMA synchronous=FULL')


def try_lock() -> bool:
    if connection.vendor == 'postgresql':
        with connection.cursor() as cursor:
            cursor.execute('SELECT pg_try_advisory_lock(%s)', [ADVISORY_KEY])
            return bool(cursor.fetchone()[0])
    path = Path(str(connection.settings_dict['NAME']) + '.envoi.lock')
    handle = path.open('w')
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return False
    Held.files.append(handle)
    return True


def lock(wait: float = LOCK_WAIT) -> dict[str, Any]:
    """Take the send lock for this process's life; ``locked`` false if another run has it."""
    if Held.locked:
        return {'locked': True}
    deadline = time.monotonic() + wait
    while not try_lock():
        if time.monotonic() >= deadline:
            return {'locked': False}
        time.sleep(0.2)
    Held.locked = True
    return {'locked': True}


def interrupted(numero: int) -> dict[str, Any]:
    """Rows a cut-off run left ``sending`` become ``uncertain``; their addresses."""
    with transaction.atomic():
        rows = Delivery.objects.select_for_update().filter(
            numero=numero, state=DeliveryState.SENDING
        )
        addresses = list(rows.values_list('address', flat=True))
        rows.update(state=DeliveryState.UNCERTAIN, updated_at=timezone.now())
    return {'addresses': addresses}


def deliveries(numero: int) -> dict[str, Any]:
    rows = Delivery.objects.filter(numero=numero).values_list('address', 'state', 'code', 'reply')
    return {'deliveries': [list(row) for row in rows]}


def state_of(numero: int, address: str) -> dict[str, Any]:
    state = (
        Delivery.objects.filter(numero=numero, address=address)
        .values_list('state', flat=True)
        .first()
    )
    return {'state': state or ''}


def enqueue(numero: int, addresses: list[str]) -> dict[str, Any]:
    """The run's readers as ``queued``; those already known keep their state."""
    now = timezone.now()
    with transaction.atomic():
        created = Delivery.objects.bulk_create(
            [
                Delivery(numero=numero, address=a, state=DeliveryState.QUEUED, updated_at=now)
                for a in addresses
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
    return {'queued': len(created)}


def set_state(numero: int, address: str, state: str, fields: dict[str, Any]) -> dict[str, Any]:
    code = fields.get('code')
    Delivery.objects.filter(numero=numero, address=address).update(
        state=state,
        code=code if isinstance(code, int) and 0 < code < 1000 else None,
        reply=str(fields.get('reply') or '')[:2000],
        queue_id=str(fields.get('queue_id') or '')[:100],
        attempts=F('attempts') + (1 if state == DeliveryState.SENDING else 0),
        updated_at=timezone.now(),
    )
    return {'ok': True}


def answer(op: str, request: dict[str, Any]) -> dict[str, Any] | None:
    """The journal's requests; None when ``op`` is not one of them or is malformed."""
    numero = request.get('numero')
    if op == 'journal-lock':
        wait = request.get('wait', LOCK_WAIT)
        if not isinstance(wait, int | float) or isinstance(wait, bool):
            return None
        return lock(wait) if 0 <= wait <= LOCK_WAIT else None
    if not isinstance(numero, int) or isinstance(numero, bool) or numero < 0:
        return None
    address = request.get('address')
    if op == 'journal-interrupted':
        return interrupted(numero)
    if op == 'journal-deliveries':
        return deliveries(numero)
    if op == 'journal-enqueue' and isinstance(request.get('addresses'), list):
        return enqueue(numero, [str(a)[:254] for a in request['addresses']])
    if not isinstance(address, str) or len(address) > 254:
        return None
    if op == 'journal-state':
        return state_of(numero, address)
    if op == 'journal-set' and request.get('state') in STATES:
        return set_state(numero, address, str(request['state']), request)
    return None


def release() -> None:
    """Free the SQLite file lock (PostgreSQL's goes with the connection)."""
    for handle in Held.files:
        with contextlib.suppress(OSError):
            handle.close()
    Held.files.clear()
    Held.locked = False
