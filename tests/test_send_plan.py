"""``send_plan``: who gets a message this run, without a relay or a journal file.

:func:`~galien.cli.send_plan.plan_run` sorts each subscriber into exactly one
place, and Hypothesis checks it for any list and any record of earlier runs:
a reader left out is never written to, a message already delivered is never
sent again, an uncertain one only when the editor asks (``RENVOYER=incertains``).
:func:`~galien.cli.send_plan.left_out_lists` refuses a list that names no file
or holds no address, never taking it for an empty one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from galien.cli.journal import FAILED, QUEUED, SENDING, SENT, UNCERTAIN, Delivery
from galien.cli.send_errors import SendRefusedError
from galien.cli.send_plan import left_out_lists, plan_run
from galien.cli.subscribers import address_key

if TYPE_CHECKING:
    from pathlib import Path

    from galien.cli.send_console import Plan

pytestmark = pytest.mark.fast


def places(plan: Plan) -> list[list[str]]:
    return [
        plan.to_send,
        plan.unsubscribed,
        plan.bounced,
        plan.already,
        [address for address, _delivery in plan.failed_before],
        plan.uncertain,
    ]


def test_each_state_of_the_journal_has_its_place():
    known = {
        'envoye@a.fr': Delivery('envoye@a.fr', SENT, 250, 'OK'),
        'differe@a.fr': Delivery('differe@a.fr', FAILED, 451, 'plus tard'),
        'refuse@a.fr': Delivery('refuse@a.fr', FAILED, 550, 'inconnu'),
        'incertain@a.fr': Delivery('incertain@a.fr', UNCERTAIN, None, ''),
        'coupe@a.fr': Delivery('coupe@a.fr', SENDING, None, ''),
        'attente@a.fr': Delivery('attente@a.fr', QUEUED, None, ''),
    }
    addresses = ['Nouveau@A.fr', *known, 'parti@a.fr', 'rebond@a.fr']
    plan = plan_run(addresses, {'parti@a.fr'}, {'rebond@a.fr'}, known, resend='')
    assert places(plan) == [
        ['Nouveau@A.fr', 'differe@a.fr', 'attente@a.fr'],
        ['parti@a.fr'],
        ['rebond@a.fr'],
        ['envoye@a.fr'],
        ['refuse@a.fr'],
        ['incertain@a.fr', 'coupe@a.fr'],
    ]
    assert plan.retried == 1
    again = plan_run(addresses, set(), set(), known, resend='incertains')
    assert again.to_send[-2:] == ['parti@a.fr', 'rebond@a.fr']
    assert {'incertain@a.fr', 'coupe@a.fr'} <= set(again.to_send) and again.uncertain == []


def test_a_journal_with_unicode_domains_is_still_read():
    """Journals kept domains in Unicode before they were kept as A-labels."""
    known = {'m@exämple.net': Delivery('m@exämple.net', SENT, 250, 'OK')}
    plan = plan_run(['M@xn--exmple-cua.net'], set(), set(), known, resend='')
    assert plan.already == ['M@xn--exmple-cua.net'] and plan.to_send == []


def test_the_lists_left_out(tmp_path: Path):
    (found, lists) = left_out_lists(None, tmp_path)
    assert found == (set(), set())
    assert lists[0].startswith('Liste des désinscrits : aucune (')
    (tmp_path / 'desinscrits.txt').write_text('# partis\nParti@A.fr\n', encoding='utf-8')
    (tmp_path / 'rebonds.txt').write_text('nom;courriel\nX;rebond@a.fr\n', encoding='utf-8')
    (found, lists) = left_out_lists(None, tmp_path)
    assert found == ({'parti@a.fr'}, {'rebond@a.fr'})
    with pytest.raises(SendRefusedError, match=r'DESINSCRITS : .*introuvable'):
        left_out_lists(tmp_path / 'absent.txt', tmp_path)
    (tmp_path / 'mauvais.csv').write_text('nom;ville\nA;Lille\n', encoding='utf-8')
    with pytest.raises(SendRefusedError, match='aucune adresse'):
        left_out_lists(tmp_path / 'mauvais.csv', tmp_path)


addresses = st.lists(
    st.from_regex(r'[a-zA-Z0-9._-]{1,8}@(a|b|exämple)\.(fr|net)', fullmatch=True),
    max_size=30,
    unique_by=address_key,
)
states = st.sampled_from([SENT, FAILED, UNCERTAIN, SENDING, QUEUED])
codes = st.sampled_from([None, 250, 421, 451, 550, 554])


@settings(max_examples=100, deadline=None)
@given(
    subscribers=addresses,
    data=st.data(),
    resend=st.sampled_from(['', 'incertains']),
)
def test_every_subscriber_has_exactly_one_place(subscribers, data, resend):
    draw = data.draw
    unsubscribed = {address_key(a) for a in subscribers if draw(st.booleans())}
    bounced = {address_key(a) for a in subscribers if draw(st.booleans())}
    known = {
        address_key(a): Delivery(a, draw(states), draw(codes), '')
        for a in subscribers
        if draw(st.booleans())
    }
    plan = plan_run(subscribers, unsubscribed, bounced, known, resend)
    placed = [address for place in places(plan) for address in place]
    assert sorted(placed) == sorted(subscribers)
    for address in plan.to_send:
        key = address_key(address)
        assert key not in unsubscribed and key not in bounced
        delivery = known.get(key)
        assert delivery is None or delivery.state != SENT
        if delivery is not None and delivery.state in (UNCERTAIN, SENDING):
            assert resend == 'incertains'
        if delivery is not None and delivery.state == FAILED:
            assert delivery.code is None or 400 <= delivery.code < 500
    assert set(map(address_key, plan.unsubscribed)) == unsubscribed
    assert plan.retried == sum(
        1 for a in plan.to_send if (d := known.get(address_key(a))) and d.state == FAILED
    )
