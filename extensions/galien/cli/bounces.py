"""``make rebonds``: the hard bounces of a mailbox of delivery reports, added to the list.

A mailbox (mbox file or Maildir folder) that received the letter's delivery
reports is read; every address reported as a permanent failure joins the
bounced list (``rebonds.txt`` beside the unsubscribed list), which ``make send``
leaves out. Temporary failures are counted, with their status, not added.

A standard report (RFC 3464, Postfix's and Exchange's) is judged by each
recipient's ``Status`` alone (RFC 3463: 5.x.x permanent, 4.x.x temporary):
its ``Action`` may say « failed » for a temporary cause, such as 4.4.7, a
message that expired in a queue. Other reports are left to ``flufl.bounce``.
"""

from __future__ import annotations

import email
import mailbox
import re
from dataclasses import dataclass, field
from email import policy
from typing import TYPE_CHECKING

from flufl.bounce import all_failures

from galien.cli.subscribers import add_to_list, address_key

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import Message
    from pathlib import Path


#: An enhanced status code (RFC 3463): class, subject, detail.
STATUS = re.compile(r'([245])\.\d{1,3}\.\d{1,3}')


class MailboxError(Exception):
    """A path that is neither an mbox file nor a Maildir folder."""


@dataclass
class BounceScan:
    messages: int = 0
    reports: int = 0
    permanent: set[str] = field(default_factory=set)
    #: address -> the status of its temporary failure (``4.4.7``), or '' if none was given.
    temporary: dict[str, str] = field(default_factory=dict)


def messages_of(path: Path) -> Iterator[Message]:
    """Each message of the mbox file or Maildir folder at ``path``."""
    box: mailbox.Mailbox[mailbox.Message]
    if path.is_dir():
        if not (path / 'cur').is_dir() and not (path / 'new').is_dir():
            raise MailboxError(f'{path} : dossier sans cur/ ni new/, ce n’est pas un Maildir')
        box = mailbox.Maildir(path, factory=None, create=False)
    elif path.is_file():
        box = mailbox.mbox(path, create=False)
    else:
        raise MailboxError(f'{path} : boîte aux lettres introuvable')
    for key in box.iterkeys():
        with box.get_file(key) as stream:
            yield email.message_from_bytes(stream.read(), policy=policy.compat32)


def delivery_statuses(message: Message) -> list[tuple[str, str]] | None:
    """Each recipient of an RFC 3464 report with its status; ``None`` for another message."""
    for part in message.walk():
        if part.get_content_type() != 'message/delivery-status':
            continue
        found = []
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            if isinstance(block, str):
                continue
            recipient = str(block.get('Final-Recipient') or block.get('Original-Recipient') or '')
            status = STATUS.search(str(block.get('Status') or ''))
            if recipient and status:
                address = recipient.partition(';')[2].strip().strip('<>')
                found.append((address, status[0]))
        return found
    return None


def scan_mailbox(path: Path) -> BounceScan:
    scan = BounceScan()
    for message in messages_of(path):
        scan.messages += 1
        statuses = delivery_statuses(message)
        if statuses is None:
            temporary, permanent = all_failures(message)
            statuses = [(a.decode(errors='replace'), '5') for a in permanent]
            statuses += [(a.decode(errors='replace'), '4') for a in temporary]
        failures = [(address_key(a), s) for a, s in statuses if s[0] in '45' and '@' in a]
        if failures:
            scan.reports += 1
        for address, status in failures:
            if status.startswith('5'):
                scan.permanent.add(address)
            else:
                scan.temporary[address] = status if '.' in status else ''
    for address in scan.permanent:
        scan.temporary.pop(address, None)
    return scan


def record_bounces(mailbox_path: Path, bounced_path: Path) -> tuple[BounceScan, list[str]]:
    """Scan the mailbox and add its hard bounces to ``bounced_path``."""
    scan = scan_mailbox(mailbox_path)
    added = add_to_list(bounced_path, scan.permanent, 'Adresses inconnues (rebonds)')
    return scan, added
