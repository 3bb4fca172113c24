"""The existing list (Excel/CSV export) into the table, and the table out as CSV."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from abonnements.cells import exported
from abonnements.forms import normalised_address
from abonnements.models import Method, Status, Subscriber, Suppression

if TYPE_CHECKING:
    from collections.abc import Iterable

ADDRESS_HEADERS = frozenset(
    {'email', 'e-mail', 'mail', 'courriel', 'adresse', 'adresse email', 'adresse e-mail',
     'adresse mail', 'adresse courriel', 'adresse electronique', 'mel'}
)  # fmt: skip
NAME_HEADERS = frozenset({'nom', 'name', 'nom complet'})


@dataclass
class ImportReport:
    added: int = 0
    known: int = 0
    erased: int = 0
    invalid: list[str] = field(default_factory=list)


def header_key(name: str) -> str:
    plain = unicodedata.normalize('NFKD', name.strip().strip('\ufeff'))
    plain = ''.join(c for c in plain if not unicodedata.combining(c))
    return ' '.join(plain.casefold().replace('_', ' ').split())


def decode(data: bytes) -> str:
    try:
        return data.decode('utf-8-sig')
    except UnicodeDecodeError:
        return data.decode('cp1252', errors='replace')


def import_csv(data: bytes) -> ImportReport:
    """Each new valid address becomes « importé », its consent dated today."""
    text = decode(data)
    first = text.splitlines()[0] if text else ''
    delimiter = ';' if first.count(';') >= first.count(',') and ';' in first else ','
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=delimiter)
    header = [header_key(h) for h in next(reader, [])]
    columns = [i for i, h in enumerate(header) if h in ADDRESS_HEADERS]
    if not columns:
        raise ValueError('aucune colonne d’adresses (email, courriel, adresse…)')
    names = [i for i, h in enumerate(header) if h in NAME_HEADERS]
    report = ImportReport()
    now = timezone.now()
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        value = row[columns[0]] if columns[0] < len(row) else ''
        try:
            address = normalised_address(value)
        except ValidationError:
            report.invalid.append(f'ligne {reader.line_num} : « {value[:80]} »')
            continue
        if Suppression.holds(address):
            report.erased += 1
            continue
        name = row[names[0]].strip()[:150] if names and names[0] < len(row) else ''
        subscriber, created = Subscriber.objects.get_or_create(
            email_key=address.casefold(),
            defaults={
                'email': address,
                'name': name,
                'status': Status.IMPORTED,
                'consent_at': now,
                'consent_method': Method.IMPORT,
                'consent_version': 'liste existante',
            },
        )
        if created:
            subscriber.events.create(kind=Status.IMPORTED, detail='import de la liste existante')
            report.added += 1
        else:
            report.known += 1
    return report


EXPORT_FIELDS = ('email', 'name', 'status', 'consent_at', 'consent_version', 'consent_method',
                 'created_at', 'confirmed_at', 'unsubscribed_at')  # fmt: skip


def export_csv(subscribers: Iterable[Subscriber]) -> str:
    """``;``-separated, one reader a line, the fields the README lists."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';')
    writer.writerow(EXPORT_FIELDS)
    for subscriber in subscribers:
        writer.writerow([exported(getattr(subscriber, name)) for name in EXPORT_FIELDS])
    return out.getvalue()
