"""The ready-to-send draft: one MIME message holding both parts of the letter.

No SMTP here: the committee opens the ``.eml`` in its mail client, adds the
recipients and sends it. ``X-Unsent`` asks Outlook to open it as a draft.
The message has no ``Date`` or ``Message-ID``: the mail client gives them when
it sends. Its MIME boundary is derived from the parts, not drawn at random as
:mod:`email` does, so that the same letter gives the same ``.eml`` bytes.
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.policy import SMTP


def build_message(subject: str, html: str, text: str) -> EmailMessage:
    """``multipart/alternative``: the text part first, the preferred HTML last.

    The SMTP policy writes CRLF lines and encodes the non-ASCII subject, as
    every client expects of a message file.
    """
    message = EmailMessage(policy=SMTP)
    message['Subject'] = subject
    message['X-Unsent'] = '1'
    message.set_content(text, subtype='plain', charset='utf-8')
    message.add_alternative(html, subtype='html', charset='utf-8')
    message.set_boundary(boundary(subject, html, text))
    return message


def boundary(*parts: str) -> str:
    """A boundary in :mod:`email`'s shape, from a digest of ``parts``.

    A digest's digits never occur in a text by chance; like :mod:`email`, the
    number is changed until no line of the parts starts with it.
    """
    digest = hashlib.sha256('\0'.join(parts).encode('utf-8')).digest()
    number = int.from_bytes(digest[:8]) % 10**19
    while True:
        candidate = f'{"=" * 15}{number:019d}=='
        if not any(f'--{candidate}' in part for part in parts):
            return candidate
        number = (number + 1) % 10**19
