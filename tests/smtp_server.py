"""A real SMTP server for the sending tests: aiosmtpd on a free port of 127.0.0.1.

It records every message it accepts and can be told, per recipient, to refuse
(``550``), to answer a temporary error (``451``, ``421`` and hang up), to drop
the connection at ``RCPT TO`` (nothing transmitted) or after the end of data,
with or without keeping the message (the ambiguous case of RFC 1047), or to be
slow to answer. It can announce SMTPUTF8 or not, and refuse connections (close
them at once) a number of times before accepting them again.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from dataclasses import dataclass, field
from email import policy
from typing import TYPE_CHECKING, Any

from aiosmtpd.controller import Controller

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import EmailMessage


@dataclass
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    mail_options: list[str] = field(default_factory=list)
    #: When the server took it (``time.monotonic()``).
    at: float = field(default_factory=time.monotonic)

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Handler:
    """The server's behaviour: what to answer each recipient, and what it received."""

    delivered: list[Delivered] = field(default_factory=list)
    #: recipient -> reply to RCPT TO, every time (``550 5.1.1 …``).
    refuse: dict[str, str] = field(default_factory=dict)
    #: recipient -> faults after the end of data, one per try: ``'451 …'``, ``'421 …'``,
    #: ``'drop'`` (hang up, message not kept) or ``'store-drop'`` (kept, then hang up).
    faults: dict[str, list[str]] = field(default_factory=dict)
    #: recipient -> faults at RCPT TO, one per try: ``'drop'`` hangs up before any data,
    #: ``'down'`` hangs up and refuses every connection after (the relay went down).
    rcpt_faults: dict[str, list[str]] = field(default_factory=dict)
    #: Connections still to close at once, before the greeting is read.
    refuse_connections: int = 0
    #: recipient -> seconds to wait, after recording the message, before answering.
    slow: dict[str, float] = field(default_factory=dict)
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received_by(self, address: str) -> list[Delivered]:
        with self.lock:
            return [d for d in self.delivered if address in d.rcpt_tos]

    def count(self) -> int:
        with self.lock:
            return len(self.delivered)

    async def handle_EHLO(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        pending = self.rcpt_faults.get(address)
        fault = pending.pop(0) if pending else ''
        if fault in ('drop', 'down'):
            if fault == 'down':
                with self.lock:
                    self.refuse_connections = 1_000_000
            server.transport.abort()
            return '451 never seen'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        recipient = envelope.rcpt_tos[0]
        pending = self.faults.get(recipient)
        if pending:
            fault = pending.pop(0)
            if fault == 'drop':
                server.transport.abort()
                return '451 never seen'
            if fault == 'store-drop':
                self.keep(envelope)
                server.transport.abort()
                return '451 never seen'
            if fault.startswith('421'):
                await server.push(fault)
                server.transport.close()
                return fault
            return fault
        number = self.keep(envelope)
        if recipient in self.slow:
            await asyncio.sleep(self.slow[recipient])
        return f'250 2.0.0 Ok: queued as Q{number:05d}'

    def keep(self, envelope: Any) -> int:
        """Record the message as received; its number."""
        with self.lock:
            self.delivered.append(
                Delivered(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    bytes(envelope.content),
                    list(envelope.mail_options),
                )
            )
            return len(self.delivered)


class RefusingController(Controller):
    """A controller whose server hangs up at once while its handler says to refuse."""

    def factory(self) -> Any:
        server = super().factory()
        handler: Handler = self.handler
        greet = server.connection_made

        def connection_made(transport: Any) -> None:
            with handler.lock:
                refusing = handler.refuse_connections > 0
                handler.refuse_connections -= refusing
            if refusing:
                transport.abort()
                return
            greet(transport)

        server.connection_made = connection_made
        return server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return int(probe.getsockname()[1])


class Server:
    """An aiosmtpd controller around a :class:`Handler`, started and stopped by the test."""

    def __init__(self, smtputf8: bool = True) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = RefusingController(
            self.handler, hostname='127.0.0.1', port=self.port, enable_SMTPUTF8=smtputf8
        )

    def environment(self, security: str = 'none') -> dict[str, str]:
        """The ``GALIEN_SMTP_*`` variables pointing at this server."""
        variables = {'GALIEN_SMTP_HOST': '127.0.0.1', 'GALIEN_SMTP_PORT': str(self.port)}
        if security:
            variables['GALIEN_SMTP_SECURITY'] = security
        return variables


def running_server(smtputf8: bool = True) -> Iterator[Server]:
    """Start a server, yield it, stop it (the body of a fixture)."""
    server = Server(smtputf8)
    server.controller.start()
    try:
        yield server
    finally:
        server.controller.stop()
