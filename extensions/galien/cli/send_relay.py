"""The centre's SMTP relay: its settings (``GALIEN_SMTP_*`` only) and the run's connection.

The settings come from the environment and never from a file of the repository;
a relay that does not offer the TLS asked for is refused before anything is
sent. The connection is reopened when the relay drops it, with growing waits,
and the messages are paced to the rate the relay allows.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from galien.cli.send_errors import RelayDownError, SendRefusedError

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

SECURITIES = ('starttls', 'tls', 'none')
DEFAULT_PORTS = {'starttls': 587, 'tls': 465, 'none': 25}
#: Seconds to wait for the relay's greeting and for each reply before the end of data
#: (RFC 5321 §4.5.3.2 allows 5 minutes for each; a relay that slow is as good as down).
COMMAND_TIMEOUT = 60.0
#: Seconds to wait for the reply to the end of data: RFC 5321 §4.5.3.2's 10 minutes.
DATA_TIMEOUT = 600.0
#: Connection attempts before the relay is said to be down, waits doubling.
ATTEMPTS = 4
#: Names of the variables that hold the relay's and the signature's secrets.
SECRET_PREFIXES = ('GALIEN_SMTP_', 'GALIEN_DKIM_')


@dataclass(frozen=True)
class Relay:
    host: str
    port: int
    user: str
    password: str
    security: str
    data_timeout: float = DATA_TIMEOUT

    def describe(self) -> str:
        who = f', utilisateur {self.user}' if self.user else ', sans authentification'
        return f'{self.host}:{self.port} ({self.security}{who})'


def relay_from_environment(environ: Mapping[str, str] | os._Environ[str]) -> Relay:
    """The relay from ``GALIEN_SMTP_*`` only: never from a file of the repository."""
    security = environ.get('GALIEN_SMTP_SECURITY', 'starttls').strip().lower() or 'starttls'
    if security not in SECURITIES:
        raise SendRefusedError(
            f'GALIEN_SMTP_SECURITY vaut « {security} » : starttls (par défaut), tls ou none'
        )
    host = environ.get('GALIEN_SMTP_HOST', '').strip()
    if not host:
        raise SendRefusedError(
            "GALIEN_SMTP_HOST n'est pas défini : l'adresse du relais SMTP du centre"
        )
    raw_port = environ.get('GALIEN_SMTP_PORT', '').strip()
    if raw_port and not raw_port.isdigit():
        raise SendRefusedError(f'GALIEN_SMTP_PORT vaut « {raw_port} » : un numéro de port')
    raw_timeout = environ.get('GALIEN_SMTP_DATA_TIMEOUT', '').strip()
    try:
        data_timeout = float(raw_timeout) if raw_timeout else DATA_TIMEOUT
    except ValueError:
        data_timeout = -1.0
    if data_timeout <= 0:
        raise SendRefusedError(
            f'GALIEN_SMTP_DATA_TIMEOUT vaut « {raw_timeout} » : un nombre de secondes '
            '(600 par défaut, RFC 5321)'
        )
    return Relay(
        host=host,
        port=int(raw_port) if raw_port else DEFAULT_PORTS[security],
        user=environ.get('GALIEN_SMTP_USER', ''),
        password=environ.get('GALIEN_SMTP_PASSWORD', ''),
        security=security,
        data_timeout=data_timeout,
    )


def without_secrets(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` less every ``GALIEN_SMTP_*`` and ``GALIEN_DKIM_*`` variable."""
    return {k: v for k, v in environ.items() if not k.startswith(SECRET_PREFIXES)}


def connect(relay: Relay) -> smtplib.SMTP:
    """Open the relay as configured; a relay without the TLS asked for is refused."""
    context = ssl.create_default_context()
    try:
        if relay.security == 'tls':
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                relay.host, relay.port, context=context, timeout=COMMAND_TIMEOUT
            )
        else:
            smtp = smtplib.SMTP(relay.host, relay.port, timeout=COMMAND_TIMEOUT)
        smtp.ehlo()
        if relay.security == 'starttls':
            if not smtp.has_extn('starttls'):
                smtp.close()
                raise SendRefusedError(
                    f'le relais {relay.host}:{relay.port} ne propose pas STARTTLS : rien n’est '
                    'envoyé en clair (GALIEN_SMTP_SECURITY=none seulement pour un relais local)'
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        if relay.user:
            smtp.login(relay.user, relay.password)
    except ssl.SSLError as error:
        raise SendRefusedError(
            f'TLS refusé par le relais {relay.host}:{relay.port} : {error}'
        ) from error
    except smtplib.SMTPAuthenticationError as error:
        raise SendRefusedError(
            f'le relais refuse l’utilisateur {relay.user} : {error.smtp_code} '
            f'{text_of(error.smtp_error)}'
        ) from error
    return smtp


def text_of(reply: bytes | str) -> str:
    return reply.decode(errors='replace') if isinstance(reply, bytes) else reply


class Connection:
    """The run's connection to the relay, reopened when the relay drops it."""

    def __init__(self, relay: Relay, wait: float) -> None:
        self.relay = relay
        self.wait = wait
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        """The open connection, or a new one; :class:`RelayDownError` after every attempt."""
        if self.smtp is not None:
            return self.smtp
        last: Exception | None = None
        for attempt in range(ATTEMPTS):
            try:
                self.smtp = connect(self.relay)
                return self.smtp
            except (OSError, smtplib.SMTPException) as error:
                last = error
                if attempt < ATTEMPTS - 1:
                    time.sleep(self.wait * 2**attempt)
        raise RelayDownError(
            f'le relais {self.relay.host}:{self.relay.port} ne répond pas ({last})'
        )

    def smtputf8(self) -> bool:
        """Whether the relay announces SMTPUTF8 (RFC 6531); opens the connection to know."""
        return self.open().has_extn('smtputf8')

    def drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(Exception):
                self.smtp.close()
        self.smtp = None

    def quit(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(Exception):
                self.smtp.quit()
        self.smtp = None


class Pace:
    """At most ``rate`` messages a minute; no wait at all for a rate of 0."""

    def __init__(self, rate: float) -> None:
        self.interval = 60.0 / rate if rate > 0 else 0.0
        self.next = time.monotonic()

    def wait(self) -> None:
        delay = self.next - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.next = max(self.next, time.monotonic()) + self.interval
