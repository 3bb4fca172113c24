"""The subscriber list as the centre has it, and the addresses always left out.

An Excel export (``;``, Windows-1252) or a UTF-8 file (with or without BOM,
``,`` or ``;``); the address column is found by its header. Each address is
checked without DNS (``email-validator``): an invalid one is reported with its
line and skipped, the same address twice (any case) is kept once. Only the
addresses are kept: nothing else about a subscriber is needed to send.

An internationalised domain is kept as its A-label (``xn--…``, IDNA 2008), the
form the envelope and ``To:`` carry, so that a look-alike Unicode domain is never
shown and the journal and the lists compare one spelling. An internationalised
local part stays as written: only a relay announcing SMTPUTF8 can carry it.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import idna
from email_validator import EmailNotValidError, validate_email

if TYPE_CHECKING:
    from pathlib import Path

#: Headers of the address column (lower case, without accents).
ADDRESS_HEADERS = frozenset(
    {
        'email',
        'e-mail',
        'mail',
        'courriel',
        'adresse',
        'adresse email',
        'adresse e-mail',
        'adresse mail',
        'adresse courriel',
        'adresse electronique',
        'mel',
        'e-mel',
    }
)


class SubscriberError(Exception):
    """A list that cannot be read at all (missing, unreadable, no address column)."""


@dataclass
class Subscribers:
    """Addresses to write to, in the list's order, and what was refused and why."""

    addresses: list[str] = field(default_factory=list)
    #: ``abonnes.csv:12: …`` for each invalid address.
    invalid: list[str] = field(default_factory=list)
    #: ``abonnes.csv:14`` for each line repeating an address already listed.
    duplicates: list[str] = field(default_factory=list)
    #: ``abonnes.csv:12`` for each address kept, to name it in a message.
    where: dict[str, str] = field(default_factory=dict)


def normalised_header(name: str) -> str:
    """``« Adresse Électronique »`` -> ``adresse electronique``."""
    decomposed = unicodedata.normalize('NFKD', name.strip().strip('\ufeff'))
    plain = ''.join(c for c in decomposed if not unicodedata.combining(c))
    return ' '.join(plain.casefold().replace('_', ' ').split())


def is_address_header(name: str) -> bool:
    return normalised_header(name) in ADDRESS_HEADERS


def decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped) if it is, else Windows-1252 as Excel writes it in France."""
    try:
        return data.decode('utf-8-sig')
    except UnicodeDecodeError:
        return data.decode('cp1252', errors='replace')


def dialect_of(text: str) -> str:
    """``;`` or ``,``: whichever the header line has more of."""
    first = text.splitlines()[0] if text else ''
    return ';' if first.count(';') >= first.count(',') and ';' in first else ','


def a_label_domain(address: str) -> str:
    """``m@exämple.net`` -> ``m@xn--exmple-cua.net``; an address IDNA refuses is kept as is."""
    local, at, domain = address.strip().rpartition('@')
    if not at or domain.isascii():
        return address.strip()
    try:
        return f'{local}@{idna.encode(domain, uts46=True).decode("ascii")}'
    except idna.IDNAError:
        return address.strip()


def address_key(address: str) -> str:
    """How the journal and the lists compare addresses: any case, either domain spelling."""
    return a_label_domain(address).casefold()


def unicode_key(address: str) -> str:
    """The key an address had when journals kept domains in Unicode (``exämple.net``)."""
    local, _, domain = address_key(address).rpartition('@')
    try:
        return f'{local}@{idna.decode(domain)}'.casefold()
    except idna.IDNAError:
        return address_key(address)


def is_international(address: str) -> bool:
    """A local part beyond ASCII: only a relay announcing SMTPUTF8 can carry it (RFC 6531)."""
    return not address.rpartition('@')[0].isascii()


def checked_address(value: str) -> str:
    """The address, normalised, its domain an A-label; raises on an invalid one."""
    result = validate_email(value.strip(), check_deliverability=False)
    return f'{result.local_part}@{result.ascii_domain}'


def read_subscribers(path: Path, label: str | None = None) -> Subscribers:
    """Read the list at ``path``; ``label`` names it in messages (default: its name)."""
    label = label or path.name
    try:
        text = decode(path.read_bytes())
    except OSError as error:
        raise SubscriberError(f'{label} : fichier illisible ({error.strerror})') from error
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=dialect_of(text))
    header = next(reader, [])
    columns = [i for i, name in enumerate(header) if is_address_header(name)]
    if not columns:
        raise SubscriberError(
            f"{label}:1: aucune colonne d'adresses (en-tête « email », « e-mail », "
            f'« courriel », « mail » ou « adresse ») parmi : {", ".join(header) or "(vide)"}'
        )
    column = columns[0]
    result = Subscribers()
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        value = row[column].strip() if column < len(row) else ''
        if not value:
            result.invalid.append(f'{label}:{line}: adresse absente')
            continue
        try:
            address = checked_address(value)
        except EmailNotValidError as error:
            result.invalid.append(f'{label}:{line}: adresse invalide « {value} » : {error}')
            continue
        if address_key(address) in seen:
            result.duplicates.append(f'{label}:{line}')
            continue
        seen.add(address_key(address))
        result.addresses.append(address)
        result.where[address] = f'{label}:{line}'
    return result


def read_address_list(path: Path, label: str = '') -> set[str]:
    """Addresses of a file listing one per line, or a CSV: every cell holding an ``@``.

    A file that is absent, unreadable, or that has lines but not one address
    (a CSV without an address column, the wrong file) raises: a list of readers
    to leave out must never be taken for an empty one by accident.
    """
    label = label or str(path)
    try:
        text = decode(path.read_bytes())
    except FileNotFoundError as error:
        raise SubscriberError(f'{label} : fichier introuvable') from error
    except OSError as error:
        raise SubscriberError(f'{label} : fichier illisible ({error.strerror})') from error
    found = set()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith('#')]
    for line in lines:
        for cell in line.replace(';', ',').split(','):
            cell = cell.strip().strip('"').strip()
            if '@' in cell:
                found.add(address_key(cell))
    if lines and not found:
        raise SubscriberError(
            f"{label} : aucune adresse (ni une par ligne, ni une colonne d'adresses) "
            f'parmi {len(lines)} ligne(s)'
        )
    return found


def bounced_list_of(unsubscribed: Path) -> Path:
    """The companion list of bounced addresses: ``rebonds.txt`` next to the unsubscribed one."""
    return unsubscribed.with_name('rebonds.txt')


def add_to_list(path: Path, addresses: set[str], heading: str) -> list[str]:
    """Append the addresses ``path`` does not hold yet; return those added, sorted."""
    new = sorted(addresses - (read_address_list(path) if path.exists() else set()))
    if new:
        path.parent.mkdir(parents=True, exist_ok=True)
        starting = not path.exists()
        with path.open('a', encoding='utf-8') as stream:
            if starting:
                stream.write(f'# {heading}\n')
            stream.writelines(f'{address}\n' for address in new)
    return new
