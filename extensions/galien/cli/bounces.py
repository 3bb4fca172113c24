"""``make rebonds``: the hard bounces of a mailbox of delivery reports, added to the list.

A mailbox (mbox file or Maildir folder) that received the letter's delivery
reports is read with ``flufl.bounce``; every address it reports as a permanent
failure joins the bounced list (``rebonds.txt`` beside the unsubscribed list),
which ``make send`` leaves out. Temporary failures are counted, not added.
"""

from __future__ import annotations

import email
import mailbox
from dataclasses import dataclass, field
from email import policy
from typing import TYPE_CHECKING

from flufl.bounce import all_failures

from galien.cli.subscribers import add_to_list, address_key

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import Message
    from pathlib import Path


class MailboxError(Exception):
    """A path that is neither an mbox file nor a Maildir folder."""


@dataclass
class BounceScan:
    messages: int = 0
    reports: int = 0
    permanent: set[str] = field(default_factory=set)
    temporary: set[str] = field(default_factory=set)


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


def scan_mailbox(path: Path) -> BounceScan:
    scan = BounceScan()
    for message in messages_of(path):
        scan.messages += 1
        temporary, permanent = all_failures(message)
        if temporary or permanent:
            scan.reports += 1
        scan.permanent |= {address_key(a.decode(errors='replace')) for a in permanent}
        scan.temporary |= {address_key(a.decode(errors='replace')) for a in temporary}
    scan.temporary -= scan.permanent
    return scan


def record_bounces(mailbox_path: Path, bounced_path: Path) -> tuple[BounceScan, list[str]]:
    """Scan the mailbox and add its hard bounces to ``bounced_path``."""
    scan = scan_mailbox(mailbox_path)
    added = add_to_list(bounced_path, scan.permanent, 'Adresses inconnues (rebonds)')
    return scan, added
