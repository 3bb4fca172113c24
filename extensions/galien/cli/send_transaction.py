"""One reader's SMTP transaction as a small state machine, with its retries.

SMTP is ambiguous after the end of data (RFC 1047; RFC 5321 §4.1.1.4, §6.1):
once the final ``.`` has left, a lost or late reply means "maybe delivered".
So a transaction knows which step it reached. Before the end of data, a
refusal, a 4xx or a lost connection means nothing was delivered: the message
may be tried again (:attr:`Outcome.DEFERRED`) or not at all
(:attr:`Outcome.REFUSED`). After it, only a reply decides; without one the
reader is :attr:`Outcome.UNCERTAIN` and the message is never sent again by
this code. ``before_body`` runs just before the body leaves, so that the
journal says "sending" exactly when a crash would leave the reader uncertain.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import time
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from galien.cli.send_relay import ATTEMPTS, text_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from galien.cli.send_relay import Connection

#: A line of the message starting with a dot (RFC 5321 §4.5.2: doubled on the wire).
LEADING_DOT = re.compile(rb'^\.', re.MULTILINE)


class Step(Enum):
    """How far the transaction went: the last command sent."""

    MAIL = 'MAIL FROM'
    RCPT = 'RCPT TO'
    DATA = 'DATA'
    BODY = 'message'
    #: The end-of-data marker has left: from here a lost reply means "maybe delivered".
    REPLY = 'fin du message'


class Outcome(Enum):
    SENT = 'sent'
    #: A 5xx reply: nothing delivered, and trying again would not help.
    REFUSED = 'refused'
    #: A 4xx reply or a lost connection before the end of data: nothing delivered.
    DEFERRED = 'deferred'
    #: The end of data left and no reply came back: delivered or not, nobody knows.
    UNCERTAIN = 'uncertain'


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    step: Step
    code: int | None = None
    reply: str = ''

    def describe(self) -> str:
        return f'{self.code or ""} {self.reply}'.strip()


def judged(code: int, reply: bytes | str, step: Step) -> Result:
    """A reply that is not the one hoped for: 5xx refuses, anything else defers."""
    outcome = Outcome.REFUSED if 500 <= code < 600 else Outcome.DEFERRED
    return Result(outcome, step, code, text_of(reply))


def lost(step: Step, error: BaseException) -> Result:
    """The connection failed at ``step``: uncertain after the end of data, else deferred."""
    reason = str(error) or type(error).__name__
    if step is Step.REPLY:
        return Result(
            Outcome.UNCERTAIN, step, None, f'pas de réponse après la fin du message ({reason})'
        )
    return Result(
        Outcome.DEFERRED, step, None, f'connexion perdue à l’étape {step.value} ({reason})'
    )


def wire_data(data: bytes) -> bytes:
    """The message as DATA carries it: CRLF lines, leading dots doubled, then ``.``."""
    body = data.replace(b'\r\n', b'\n').replace(b'\r', b'\n').replace(b'\n', b'\r\n')
    body = LEADING_DOT.sub(b'..', body)
    if not body.endswith(b'\r\n'):
        body += b'\r\n'
    return body + b'.\r\n'


def transmit(
    smtp: smtplib.SMTP,
    sender: str,
    recipient: str,
    data: bytes,
    *,
    utf8: bool,
    data_timeout: float,
    before_body: Callable[[], None],
) -> Result:
    """MAIL, RCPT, DATA and the message, step by step; never raises for the relay's doing."""
    step = Step.MAIL
    try:
        code, reply = smtp.mail(sender, mail_options(smtp, utf8=utf8))
        if code != 250:
            return rejected(smtp, judged(code, reply, step))
        step = Step.RCPT
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            return rejected(smtp, judged(code, reply, step))
        step = Step.DATA
        smtp.putcmd('data')
        code, reply = smtp.getreply()
        if code != 354:
            return rejected(smtp, judged(code, reply, step))
        payload = wire_data(data)
        try:
            before_body()
        except BaseException:
            smtp.close()  # in DATA mode, nothing can be said: the relay drops the message
            raise
        step = Step.BODY
        smtp.send(payload)
        # ``send`` returned: the end-of-data marker is with the relay (or on its way).
        step = Step.REPLY
        if smtp.sock is not None:
            smtp.sock.settimeout(data_timeout)
        code, reply = smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        smtp.close()
        return lost(step, error)
    except UnicodeError as error:  # an address the session cannot write: nothing was sent
        rejected(smtp, Result(Outcome.REFUSED, step))
        return Result(Outcome.REFUSED, step, None, f'adresse impossible à écrire ({error})')
    finally:
        if smtp.sock is not None:
            smtp.sock.settimeout(smtp.timeout)
    if code == 250:
        return Result(Outcome.SENT, step, code, text_of(reply))
    return rejected(smtp, judged(code, reply, step))


def mail_options(smtp: smtplib.SMTP, *, utf8: bool) -> list[str]:
    """``SMTPUTF8`` for an internationalised address (RFC 6531), with 8BITMIME if announced."""
    if not utf8:
        return []
    return ['SMTPUTF8', 'BODY=8BITMIME'] if smtp.has_extn('8bitmime') else ['SMTPUTF8']


def rejected(smtp: smtplib.SMTP, result: Result) -> Result:
    """Reset the transaction after a refusal, unless the relay is closing (421)."""
    if result.code != 421:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.rset()
    return result


def deliver(
    connection: Connection,
    sender: str,
    recipient: str,
    data: bytes,
    *,
    utf8: bool,
    before_body: Callable[[], None],
    not_delivered: Callable[[], None],
) -> Result:
    """Send one message, trying a deferred one again with growing waits; never an uncertain one.

    ``connection.open()`` may raise :class:`RelayDownError`: nothing was then
    transmitted in the attempt that needed it.
    """
    result: Result | None = None
    for attempt in range(ATTEMPTS):
        smtp = connection.open()
        result = transmit(
            smtp,
            sender,
            recipient,
            data,
            utf8=utf8,
            data_timeout=connection.relay.data_timeout,
            before_body=before_body,
        )
        if result.outcome is Outcome.UNCERTAIN:
            connection.drop()
            return result
        if result.outcome is not Outcome.DEFERRED:
            return result
        not_delivered()
        if result.code is None or result.code == 421:
            connection.drop()
        if attempt < ATTEMPTS - 1:
            time.sleep(connection.wait * 2**attempt)
    assert result is not None
    return result
