"""Who is written to this run: the subscribers less the lists and the journal's record.

The lists of readers left out must never be taken for empty by accident: a
``DESINSCRITS=`` that names no file, or a file without addresses, is a refusal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien.cli.journal import FAILED, SENDING, SENT, UNCERTAIN, is_temporary
from galien.cli.send_console import Plan
from galien.cli.send_errors import SendRefusedError
from galien.cli.subscribers import (
    SubscriberError,
    address_key,
    bounced_list_of,
    read_address_list,
    unicode_key,
)

if TYPE_CHECKING:
    from pathlib import Path

    from galien.cli.journal import Delivery


def left_out_lists(
    unsubscribed: Path | None, project: Path
) -> tuple[tuple[set[str], set[str]], list[str]]:
    """The unsubscribed and bounced addresses, and a line saying which lists were read.

    ``DESINSCRITS=`` names a file that must exist; the default ``desinscrits.txt``
    and the bounce list beside it may be absent, and the summary says so.
    """
    path = unsubscribed or project / 'desinscrits.txt'
    bounced_path = bounced_list_of(path)
    lists = []
    found: list[set[str]] = []
    for list_path, explicit, name in (
        (path, unsubscribed is not None, 'désinscrits'),
        (bounced_path, False, 'rebonds'),
    ):
        if not explicit and not list_path.exists():
            lists.append(f'Liste des {name} : aucune ({list_path} absent)')
            found.append(set())
            continue
        try:
            addresses = read_address_list(list_path)
        except SubscriberError as error:
            option = 'DESINSCRITS' if name == 'désinscrits' else 'liste des rebonds'
            raise SendRefusedError(f'{option} : {error}') from error
        lists.append(f'Liste des {name} : {len(addresses)} adresse(s) dans {list_path}')
        found.append(addresses)
    return (found[0], found[1]), lists


def plan_run(
    addresses: list[str],
    unsubscribed: set[str],
    bounced: set[str],
    known: dict[str, Delivery],
    resend: str,
) -> Plan:
    """Who gets a message this run, and why each other subscriber does not."""
    plan = Plan()
    for address in addresses:
        key = address_key(address)
        delivery = known.get(key)
        if delivery is None:  # a journal written before domains were kept as A-labels
            delivery = known.get(unicode_key(address))
        if key in unsubscribed:
            plan.unsubscribed.append(address)
        elif key in bounced:
            plan.bounced.append(address)
        elif delivery is None or delivery.state not in (SENT, FAILED, UNCERTAIN, SENDING):
            plan.to_send.append(address)
        elif delivery.state == SENT:
            plan.already.append(address)
        elif delivery.state == FAILED and is_temporary(delivery):
            plan.to_send.append(address)
            plan.retried += 1
        elif delivery.state == FAILED:
            plan.failed_before.append((address, delivery))
        elif resend == 'incertains':
            plan.to_send.append(address)
        else:
            plan.uncertain.append(address)
    return plan
