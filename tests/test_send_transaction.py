"""The SMTP transaction's state machine, driven directly against a real aiosmtpd relay.

Before the end of data, whatever happens, nothing was delivered (refused or
deferred, and ``before_body`` not yet called when it was before DATA's 354);
after it, a reply decides, and without one the outcome is uncertain.
"""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

import pytest

from galien.cli.send_relay import Connection, Relay
from galien.cli.send_transaction import Outcome, Step, deliver, transmit, wire_data
from smtp_server import Server, running_server

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.fast


MESSAGE = (
    b'From: galien@oscarlambret.test\r\nTo: lecteur@chu-lille.fr\r\nSubject: N 20\r\n\r\n'
    b'.une ligne qui commence par un point\r\n..et deux\r\nfin'
)
READER = 'lecteur@chu-lille.fr'


@pytest.fixture
def server() -> Iterator[Server]:
    yield from running_server()


class Steps:
    """What ``before_body`` and ``not_delivered`` were told, in order."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def body(self) -> None:
        self.calls.append('sending')

    def back(self) -> None:
        self.calls.append('queued')


def run_one(server: Server, timeout: float = 600.0) -> tuple[Outcome, Step, int | None, list[str]]:
    steps = Steps()
    smtp = smtplib.SMTP('127.0.0.1', server.port, timeout=10)
    try:
        smtp.ehlo()
        result = transmit(
            smtp,
            'galien@oscarlambret.test',
            READER,
            MESSAGE,
            utf8=False,
            data_timeout=timeout,
            before_body=steps.body,
        )
    finally:
        smtp.close()
    return result.outcome, result.step, result.code, steps.calls


def test_a_message_accepted_is_sent_and_its_dots_arrive_intact(server: Server) -> None:
    assert run_one(server) == (Outcome.SENT, Step.REPLY, 250, ['sending'])
    (delivered,) = server.handler.delivered
    assert delivered.data.replace(b'\r\n', b'\n') == MESSAGE.replace(b'\r\n', b'\n') + b'\n'


def test_refused_at_rcpt_is_refused_before_anything_left(server: Server) -> None:
    server.handler.refuse[READER] = '550 5.1.1 user unknown'
    assert run_one(server) == (Outcome.REFUSED, Step.RCPT, 550, [])


def test_cut_at_rcpt_is_deferred_not_uncertain(server: Server) -> None:
    server.handler.rcpt_faults[READER] = ['drop']
    assert run_one(server) == (Outcome.DEFERRED, Step.RCPT, None, [])


def test_a_4xx_reply_to_the_end_of_data_is_deferred(server: Server) -> None:
    server.handler.faults[READER] = ['451 4.3.0 try again']
    assert run_one(server) == (Outcome.DEFERRED, Step.REPLY, 451, ['sending'])


@pytest.mark.parametrize('fault', ['drop', 'store-drop'])
def test_cut_after_the_end_of_data_is_uncertain(server: Server, fault: str) -> None:
    server.handler.faults[READER] = [fault]
    assert run_one(server) == (Outcome.UNCERTAIN, Step.REPLY, None, ['sending'])
    assert server.handler.count() == (1 if fault == 'store-drop' else 0)


def test_no_reply_within_the_data_timeout_is_uncertain(server: Server) -> None:
    server.handler.slow[READER] = 2.0
    assert run_one(server, timeout=0.3) == (Outcome.UNCERTAIN, Step.REPLY, None, ['sending'])


def relay_of(server: Server) -> Relay:
    return Relay('127.0.0.1', server.port, '', '', 'none')


def test_deliver_tries_a_deferred_message_again(server: Server) -> None:
    server.handler.faults[READER] = ['451 4.3.0 busy', '421 4.4.2 closing']
    steps = Steps()
    connection = Connection(relay_of(server), wait=0.01)
    try:
        result = deliver(
            connection,
            'galien@oscarlambret.test',
            READER,
            MESSAGE,
            utf8=False,
            before_body=steps.body,
            not_delivered=steps.back,
        )
    finally:
        connection.quit()
    assert result.outcome is Outcome.SENT
    assert steps.calls == ['sending', 'queued', 'sending', 'queued', 'sending']
    assert server.handler.count() == 1


def test_deliver_never_tries_an_uncertain_message_again(server: Server) -> None:
    server.handler.faults[READER] = ['store-drop']
    steps = Steps()
    connection = Connection(relay_of(server), wait=0.01)
    try:
        result = deliver(
            connection,
            'galien@oscarlambret.test',
            READER,
            MESSAGE,
            utf8=False,
            before_body=steps.body,
            not_delivered=steps.back,
        )
    finally:
        connection.quit()
    assert result.outcome is Outcome.UNCERTAIN and steps.calls == ['sending']
    assert server.handler.count() == 1


def test_wire_data_doubles_leading_dots_and_ends_with_the_marker() -> None:
    assert wire_data(b'a\n.b\r\nc') == b'a\r\n..b\r\nc\r\n.\r\n'
