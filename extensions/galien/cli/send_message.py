"""Each reader's message, made from the built letter, signed when a key is given.

Writing one reader's message may fail for that reader alone (an address the
headers cannot carry): :data:`MESSAGE_ERRORS` is what the run catches to record
that reader as failed and go on.
"""

from __future__ import annotations

import email.errors
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from galien.cli.send_errors import SendRefusedError
from galien.mail.sending import Sender, dkim_sign, personal_message

if TYPE_CHECKING:
    from collections.abc import Mapping

    from galien.cli.send_letter import Letter

#: What writing one reader's message may raise: that reader fails, the run goes on.
MESSAGE_ERRORS = (ValueError, TypeError, UnicodeError, LookupError, email.errors.MessageError)


@dataclass
class Mailing:
    """What each reader's message is made from and sent with."""

    letter: Letter
    sender: Sender
    key: bytes | None

    def message(self, address: str, test: bool = False, unsubscribe: str = '') -> bytes:
        """``unsubscribe``: the reader's own one-click address, from the subscription service."""
        built = personal_message(
            sender=self.sender,
            numero=self.letter.numero,
            subject=self.letter.subject,
            html=self.letter.html,
            text=self.letter.text,
            address=address,
            test=test,
            own_unsubscribe=unsubscribe,
        )
        data = built.as_bytes()
        return dkim_sign(data, self.sender, self.key) if self.key else data

    def sample(self, address: str) -> bytes:
        """One message written before the run: a key that cannot sign is refused here."""
        import dkim

        try:
            return self.message(address)
        except dkim.DKIMException as error:
            raise SendRefusedError(
                f'GALIEN_DKIM_KEY : la clé ne permet pas de signer ({error})'
            ) from error


def dkim_key(sender: Sender, environ: Mapping[str, str]) -> bytes | None:
    """The private key named by ``GALIEN_DKIM_KEY``, if signing is configured."""
    path = environ.get('GALIEN_DKIM_KEY', '').strip()
    if not path:
        return None
    if not sender.dkim_selector or not sender.dkim_domain:
        raise SendRefusedError(
            'GALIEN_DKIM_KEY est défini mais galien_dkim_selector (ou galien_dkim_domain) '
            'manque dans conf.py'
        )
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise SendRefusedError(
            f'GALIEN_DKIM_KEY : clé illisible {path} ({error.strerror})'
        ) from error
