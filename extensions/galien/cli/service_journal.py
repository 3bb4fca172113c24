"""The send journal kept in the subscription service's database, asked through ``sendlink``.

``make send ABONNES=service`` (without ``JOURNAL=``) records each reader's
transaction there rather than in ``.galien/``: the same states, asked and
written one JSON line at a time through the service's own command (the
requests ``journal-…`` of ``abonnements/sendlink.py``), never by importing
Django. Each write is committed by the service before its answer comes back,
so ``sending`` is in the database before the body leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from galien.cli.journal import Delivery, JournalError
from galien.cli.send_errors import SendRefusedError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    Ask = Callable[[dict[str, Any]], dict[str, Any]]


class ServiceJournal:
    """A :class:`~galien.cli.journal.SendJournal` in the service's table « journal des envois »."""

    where = 'base du service d’abonnement (table « journal des envois »)'

    def __init__(self, ask: Ask) -> None:
        self._ask = ask

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            return self._ask(request)
        except SendRefusedError as error:
            raise JournalError(str(error)) from error

    def lock(self) -> None:
        """One run at a time on this database; the lock goes with the ``sendlink`` process."""
        if not self.ask({'op': 'journal-lock'})['locked']:
            raise SendRefusedError(
                'un autre envoi utilise déjà le journal du service d’abonnement : attendez sa fin'
            )

    def mark_interrupted(self, numero: int) -> list[str]:
        reply = self.ask({'op': 'journal-interrupted', 'numero': numero})
        return [str(a) for a in reply['addresses']]

    def deliveries(self, numero: int) -> dict[str, Delivery]:
        reply = self.ask({'op': 'journal-deliveries', 'numero': numero})
        return {
            str(address): Delivery(str(address), str(state), code, str(text))
            for address, state, code, text in reply['deliveries']
        }

    def state_of(self, numero: int, address: str) -> str:
        reply = self.ask({'op': 'journal-state', 'numero': numero, 'address': address})
        return str(reply['state'])

    def enqueue(self, numero: int, addresses: Iterable[str]) -> None:
        self.ask({'op': 'journal-enqueue', 'numero': numero, 'addresses': list(addresses)})

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
        self.ask(
            {
                'op': 'journal-set',
                'numero': numero,
                'address': address,
                'state': state,
                'code': code,
                'reply': reply,
                'queue_id': queue_id,
            }
        )
