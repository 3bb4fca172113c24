"""The ready-to-send draft: one MIME message holding both parts of the letter.

No SMTP here: the committee opens the ``.eml`` in its mail client, adds the
recipients and sends it. ``X-Unsent`` asks Outlook to open it as a draft.
"""

from __future__ import annotations

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
    return message
