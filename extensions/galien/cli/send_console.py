"""What ``make send`` says on the console: the summary before, the report after.

Every ending of a run goes through :func:`print_report`, so that the editor always
reads the same lines: sent, failed, uncertain, not sent, and where the journal is.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from galien.cli.journal import Delivery


@dataclass
class Plan:
    """Who gets a message this run, and why each other subscriber does not."""

    to_send: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    bounced: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed_before: list[tuple[str, Delivery]] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    #: Internationalised local parts that this relay cannot carry (no SMTPUTF8).
    international: list[str] = field(default_factory=list)
    retried: int = 0


@dataclass
class Report:
    """How the run went, reader by reader; printed at the end, however it ends."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    bounced: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    #: Readers who left the list while the run was going: not written to.
    unsubscribed: list[str] = field(default_factory=list)
    #: Readers of this run not written to because it stopped: the next run continues.
    unsent: list[str] = field(default_factory=list)
    #: Why the run stopped before its end, in one French line ('' if it did not).
    stopped: str = ''


@dataclass
class Summary:
    """What the summary names besides the plan."""

    numero: int
    subject: str
    list_name: str
    relay: str
    rate: float
    invalid: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)
    lists: list[str] = field(default_factory=list)


def duration(count: int, rate: float) -> str:
    if rate <= 0:
        return 'sans attente entre les messages (DEBIT=0)'
    minutes = round(count / rate)
    if minutes < 1:
        return "moins d'une minute"
    hours, minutes = divmod(minutes, 60)
    return f'environ {hours} h {minutes:02d} min' if hours else f'environ {minutes} min'


def print_summary(summary: Summary, plan: Plan, out: TextIO) -> None:
    for line in summary.invalid:
        print(line, file=out)
    total = (
        len(plan.to_send)
        + len(plan.unsubscribed)
        + len(plan.bounced)
        + len(plan.already)
        + len(plan.failed_before)
        + len(plan.uncertain)
        + len(plan.international)
    )
    print(f'Numéro {summary.numero} : « {summary.subject} »', file=out)
    line = f'Abonnés : {total} adresse(s) dans {summary.list_name}'
    extra = []
    if summary.invalid:
        extra.append(f'{len(summary.invalid)} invalide(s), ignorée(s)')
    if summary.duplicates:
        extra.append(f'{len(summary.duplicates)} en double ({", ".join(summary.duplicates)})')
    print(line + (f' ({" ; ".join(extra)})' if extra else ''), file=out)
    for described in summary.lists:
        print(described, file=out)
    left = [
        (plan.unsubscribed, 'désinscrit(s)'),
        (plan.bounced, 'adresse(s) inconnue(s) (rebonds)'),
        (plan.already, 'déjà servi(s) pour ce numéro'),
        ([a for a, _ in plan.failed_before], 'en échec définitif lors d’un envoi précédent'),
        (plan.uncertain, 'incertain(s) (RENVOYER=incertains pour leur écrire)'),
        (plan.international, 'adresse(s) internationale(s) que le relais ne prend pas'),
    ]
    parts = [f'{len(group)} {label}' for group, label in left if group]
    print(f'Laissés de côté : {", ".join(parts) if parts else "aucun"}', file=out)
    if summary.interrupted:
        print(
            f'Envoi précédent interrompu : {len(summary.interrupted)} incertain(s) : '
            + ', '.join(summary.interrupted),
            file=out,
        )
    for address, delivery in plan.failed_before:
        print(f'  échec précédent : {address} : {delivery.code} {delivery.reply}', file=out)
    for address in plan.uncertain:
        print(f'  incertain : {address}', file=out)
    for address in plan.international:
        where = summary.where.get(address, address)
        print(
            f"{where}: adresse internationale « {address} » : le relais ne l'accepte pas "
            '(il n’annonce pas SMTPUTF8)',
            file=out,
        )
    retried = (
        f' (dont {plan.retried} nouvel essai après un échec temporaire)' if plan.retried else ''
    )
    print(f'À envoyer : {len(plan.to_send)}{retried}', file=out)
    print(f'Relais : {summary.relay}', file=out)
    if plan.to_send and summary.relay:
        rate = f'{summary.rate:g} message(s) par minute, ' if summary.rate > 0 else ''
        print(f'Débit : {rate}{duration(len(plan.to_send), summary.rate)}', file=out)


def confirmed(confirm: str, count: int, out: TextIO) -> bool:
    """``CONFIRMER=oui``, or « oui » typed on a terminal."""
    if confirm.strip().lower() == 'oui':
        return True
    if not sys.stdin.isatty():
        print(
            f'Envoi refusé : confirmez avec CONFIRMER=oui (pas de terminal pour demander '
            f'« Envoyer à {count} abonnés ? »)',
            file=out,
        )
        return False
    try:
        answer = input(f'Envoyer à {count} abonnés ? [oui/non] ').strip().lower()
    except EOFError:
        answer = ''
    if answer in ('oui', 'o'):
        return True
    print('Envoi annulé : rien n’a été envoyé.', file=out)
    return False


def progress_bar(total: int) -> Callable[..., None]:
    """On a terminal, ``[#####-----] 120/2000 envoyés, 1880 restants``; else nothing."""
    if not sys.stderr.isatty():
        return lambda done, final=False: None

    def show(done: int, final: bool = False) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = '#' * filled + '-' * (width - filled)
        end = '\n' if final else ''
        sys.stderr.write(f'\r[{bar}] {done}/{total} envoyés, {total - done} restants{end}')
        sys.stderr.flush()

    return show


def print_report(
    report: Report, new_bounces: list[str], bounced_path: Path, journal_path: str, out: TextIO
) -> None:
    if report.stopped:
        print(f'Envoi arrêté : {report.stopped}.', file=out)
    print(f'Envoyés : {len(report.sent)}', file=out)
    print(f'Échecs : {len(report.failed)}', file=out)
    for address, reason in report.failed:
        print(f'  {address} : {reason}', file=out)
    if new_bounces:
        print(
            f'Adresses inconnues ajoutées à {bounced_path} (laissées de côté le mois prochain) : '
            + ', '.join(new_bounces),
            file=out,
        )
    if report.unsubscribed:
        print(f'Désabonnés pendant l’envoi : {len(report.unsubscribed)}', file=out)
    print(f'Incertains : {len(report.uncertain)}', file=out)
    for address in report.uncertain:
        print(f'  {address} (reçu ou non : vérifiez, puis RENVOYER=incertains)', file=out)
    if report.unsent:
        print(
            f'Non envoyés : {len(report.unsent)} (relancez make send : il reprend là où '
            'celui-ci s’est arrêté)',
            file=out,
        )
    print(f'Journal : {journal_path}', file=out)
