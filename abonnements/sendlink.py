"""What ``make send`` asks the service, one JSON object a line on stdin, one answer on stdout.

The letter's command line (``galien.cli.service_readers``) starts
``python -m abonnements sendlink`` and never imports Django. Requests:

``{"op": "list"}``
    ``{"readers": ["a@b.fr", …], "url": "https://…/"}``: the confirmed and imported
    readers, and the service's public address (``GALIEN_ABONNES_URL``).
``{"op": "check", "address": "a@b.fr"}``
    ``{"send": true, "unsubscribe": "https://…/desinscription/<token>/"}``, read
    from the database at that moment: an unsubscription is honoured at once.
``{"op": "bounced", "addresses": [...]}``
    ``{"marked": n}``: hard bounces become « rebond ».
``{"op": "probe"}``
    ``{"url": "https://…/desinscription/<token>/"}``: a validly signed one-click
    address of nobody, which ``make send`` POSTs to before the run: the public
    address must answer 200 (the proxy passes the POST, the keys match).
``{"op": "journal-…", "numero": 20, …}``
    The send journal in this database (:mod:`abonnements.journal`): ``journal-lock``
    (``wait``: seconds to wait for another run's lock, 0 to 10, 10 by default),
    ``journal-interrupted``, ``journal-deliveries``, ``journal-state``,
    ``journal-enqueue`` (``addresses``), ``journal-set`` (``address``, ``state``,
    ``code``, ``reply``, ``queue_id``).

A malformed request gets ``{"error": "…"}``.
"""

from __future__ import annotations

import json
import uuid
from typing import IO, Any

from django.conf import settings

from abonnements import journal
from abonnements.mails import link, unsubscribe_link
from abonnements.models import RECEIVING, Status, Subscriber, Suppression, address_key
from abonnements.tokens import unsubscribe_token


def readers() -> list[str]:
    return list(
        Subscriber.objects.filter(status__in=RECEIVING)
        .order_by('created_at', 'pk')
        .values_list('email', flat=True)
    )


def check(address: str) -> dict[str, Any]:
    subscriber = Subscriber.objects.filter(email_key=address_key(address)).first()
    if subscriber is None or not subscriber.receives or Suppression.holds(address):
        return {'send': False, 'unsubscribe': ''}
    return {'send': True, 'unsubscribe': unsubscribe_link(subscriber)}


def bounced(addresses: list[str]) -> dict[str, Any]:
    marked = 0
    for address in addresses:
        subscriber = Subscriber.objects.filter(email_key=address_key(address)).first()
        if subscriber is not None and subscriber.set_status(Status.BOUNCED, 'make rebonds'):
            marked += 1
    return {'marked': marked}


def answer(request: dict[str, Any]) -> dict[str, Any]:
    op = request.get('op')
    if op == 'list':
        return {'readers': readers(), 'url': settings.PUBLIC_URL}
    if op == 'check' and isinstance(request.get('address'), str):
        return check(request['address'])
    if op == 'bounced' and isinstance(request.get('addresses'), list):
        return bounced([str(a) for a in request['addresses']])
    if op == 'probe':
        return {'url': link('desinscription', unsubscribe_token(uuid.uuid4()))}
    reply = journal.answer(op, request) if isinstance(op, str) else None
    if reply is not None:
        return reply
    return {'error': f'requête inconnue ou incomplète : {op!r}'}


def serve(stdin: IO[str], stdout: IO[str]) -> None:
    """Answer until ``make send`` closes the pipe (or dies): its send lock goes then."""
    journal.durable()
    try:
        answer_lines(stdin, stdout)
    finally:
        journal.release()


def answer_lines(stdin: IO[str], stdout: IO[str]) -> None:
    for line in stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            reply = answer(request) if isinstance(request, dict) else {'error': 'objet attendu'}
        except json.JSONDecodeError as error:
            reply = {'error': f'JSON invalide : {error}'}
        stdout.write(json.dumps(reply, ensure_ascii=False) + '\n')
        stdout.flush()
