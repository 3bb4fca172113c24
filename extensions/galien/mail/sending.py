"""What ``make send`` needs from the e-mail edition: its settings and each reader's message.

The builder writes one letter per issue; sending turns it into one message per
reader, with that reader alone in ``To``, a ``Message-ID`` made from the issue
and the address (a message sent again after a crash keeps its identity), the
list headers of RFC 2369 and RFC 8058 (``List-Id``, ``List-Unsubscribe``, one
click when an ``https:`` address is given) and a visible unsubscribe line in
both parts. Nothing is added to follow the reader: no pixel, no rewritten link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, parseaddr
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from sphinx.util import logging

from galien.core.config import MAIL, add_settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: Where the letter's footer takes the reader's unsubscribe line (letter.html).
UNSUBSCRIBE_MARKER = '<!--galien:desinscription-->'
#: Replaced, in a ``galien_unsubscribe`` address, by the reader's address (URL-encoded).
ADDRESS_FIELD = '{adresse}'
#: Headers a DKIM signature covers: those a reader or a filter trusts.
SIGNED_HEADERS = (
    'From',
    'To',
    'Subject',
    'Date',
    'Message-ID',
    'Reply-To',
    'List-Id',
    'List-Unsubscribe',
    'List-Unsubscribe-Post',
    'MIME-Version',
    'Content-Type',
)
#: Headers written whole (an address in List-Unsubscribe must not be encoded).
POLICY = SMTP.clone(max_line_length=998, cte_type='7bit')
#: The same for a reader whose local part is not ASCII: headers in UTF-8 (RFC 6532),
#: sent only over a relay that announces SMTPUTF8.
UTF8_POLICY = POLICY.clone(utf8=True)
#: Bodies in quoted-printable lines of at most 76 characters (RFC 2045 §6.7), which no
#: relay re-encodes (a re-encoded body breaks DKIM).
BODY_POLICY = SMTP.clone(max_line_length=76, cte_type='7bit')

UNSUBSCRIBE_TEXT = 'Pour ne plus recevoir cette lettre : {links}'
UNSUBSCRIBE_HTML = (
    '<p class="galien-pied-desinscription" style="margin: 8px 0 0; font-size: 12px; '
    'color: #c5d5e2;">Vous recevez Galien parce que vous y êtes abonné(e) ({address}). '
    'Pour ne plus la recevoir : {links}.</p>'
)
UNSUBSCRIBE_LINK = (
    '<a href="{href}" style="color: #ffffff; text-decoration: underline;">{label}</a>'
)


@dataclass(frozen=True)
class Sender:
    """The list's identity, from ``conf.py``: who sends, where replies and refusals go."""

    from_: str
    reply_to: str
    list_id: str
    unsubscribe: tuple[str, ...]
    dkim_selector: str = ''
    dkim_domain: str = ''

    @property
    def from_address(self) -> str:
        """The bare address of ``galien_email_from`` (the SMTP envelope's sender)."""
        return parseaddr(self.from_)[1]

    @property
    def domain(self) -> str:
        return self.from_address.rpartition('@')[2].lower()


def sender_of(config: Config) -> Sender:
    """The :class:`Sender` that ``conf.py`` describes, the list id defaulted from its domain."""
    from_ = str(config.galien_email_from or '').strip()
    domain = parseaddr(from_)[1].rpartition('@')[2].lower()
    list_id = str(config.galien_list_id or '').strip() or (f'galien.{domain}' if domain else '')
    return Sender(
        from_=from_,
        reply_to=str(config.galien_email_reply_to or '').strip(),
        list_id=list_id.strip('<>'),
        unsubscribe=tuple(str(a).strip() for a in config.galien_unsubscribe or ()),
        dkim_selector=str(config.galien_dkim_selector or '').strip(),
        dkim_domain=str(config.galien_dkim_domain or '').strip() or domain,
    )


def unsubscribe_addresses(sender: Sender, address: str) -> list[str]:
    """Each configured unsubscribe address, ``{adresse}`` replaced by the reader's."""
    return [u.replace(ADDRESS_FIELD, quote(address, safe='@')) for u in sender.unsubscribe]


def message_id(numero: int, address: str, domain: str, salt: str = '') -> str:
    """``<galien-020.…@domain>``: the same for the same issue and reader, unique otherwise."""
    digest = hashlib.sha256(f'{numero}\n{address.casefold()}\n{salt}'.encode()).hexdigest()
    return f'<galien-{numero:03d}.{digest[:24]}@{domain or "galien.invalid"}>'


def personal_parts(html: str, text: str, address: str, links: list[str]) -> tuple[str, str]:
    """The letter's two parts with the reader's unsubscribe line, visible in both."""
    labels = {'mailto': 'par e-mail', 'https': 'en un clic', 'http': 'en ligne'}
    html_links = ' ou '.join(
        UNSUBSCRIBE_LINK.format(
            href=escape(link), label=labels.get(urlsplit(link).scheme, 'se désinscrire')
        )
        for link in links
    )
    line = UNSUBSCRIBE_HTML.format(address=escape(address), links=html_links)
    if UNSUBSCRIBE_MARKER in html:
        html = html.replace(UNSUBSCRIBE_MARKER, line, 1)
    else:  # a template of one's own without the marker: the line still shows, last
        html = html.replace('</body>', f'{line}\n</body>', 1)
    text = f'{text.rstrip()}\n\n{UNSUBSCRIBE_TEXT.format(links=" ou ".join(links))}\n'
    return html, text


def personal_message(
    *,
    sender: Sender,
    numero: int,
    subject: str,
    html: str,
    text: str,
    address: str,
    test: bool = False,
    date: str | None = None,
    own_unsubscribe: str = '',
) -> EmailMessage:
    """One reader's message: the letter, their address alone in ``To``, the list headers.

    ``own_unsubscribe``: the reader's one-click address at the subscription service; it
    replaces the configured web addresses (the ``mailto:`` ones stay).
    """
    links = unsubscribe_addresses(sender, address)
    if own_unsubscribe:
        links = [own_unsubscribe, *(link for link in links if link.startswith('mailto:'))]
    html, text = personal_parts(html, text, address, links)
    message = EmailMessage(policy=POLICY if address.isascii() else UTF8_POLICY)
    message['From'] = sender.from_
    # Built from its parts: parsing would refuse an internationalised local part.
    local, _, domain = address.rpartition('@')
    message['To'] = Address(username=local, domain=domain)
    if sender.reply_to:
        message['Reply-To'] = sender.reply_to
    message['Subject'] = f'[TEST] {subject}' if test else subject
    message['Date'] = date or formatdate(localtime=True)
    # A test copy is a message of its own, even to a subscriber's address.
    salt = formatdate() if test else ''
    message['Message-ID'] = message_id(numero, address, sender.domain, salt)
    message['List-Id'] = f'Galien <{sender.list_id}>'
    if links:
        message['List-Unsubscribe'] = ', '.join(f'<{link}>' for link in links)
        if any(link.startswith('https:') for link in links):
            message['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
    message['MIME-Version'] = '1.0'
    message.make_alternative()
    message.attach(body_part(text, 'plain'))
    message.attach(body_part(html, 'html'))
    return message


def body_part(content: str, subtype: str) -> EmailMessage:
    """One part of the letter, in quoted-printable lines of at most 76 characters."""
    part = EmailMessage(policy=BODY_POLICY)
    part.set_content(content, subtype=subtype, charset='utf-8', cte='quoted-printable')
    del part['MIME-Version']  # the message's own header says it, once
    return part


def dkim_sign(data: bytes, sender: Sender, private_key: bytes) -> bytes:
    """``data`` with a DKIM signature (relaxed/relaxed) over :data:`SIGNED_HEADERS`."""
    import dkim

    headers = [name.lower().encode() for name in SIGNED_HEADERS]
    signature: bytes = dkim.sign(
        data,
        sender.dkim_selector.encode(),
        sender.dkim_domain.encode(),
        private_key,
        canonicalize=(b'relaxed', b'relaxed'),
        include_headers=headers,
    )
    return signature + data


def setup(app: Sphinx) -> None:
    add_settings(app, MAIL)
