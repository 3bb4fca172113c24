"""``make send``: deliver one issue to the subscriber list, exactly once per reader.

The issue's e-mail is built first, in a child process without secrets
(:mod:`galien.cli.send_letter`), and nothing is sent if that build warns about
it. Then each reader gets a message of their own over the centre's relay
(:mod:`galien.cli.send_relay`), one SMTP transaction per reader
(:mod:`galien.cli.send_transaction`), recorded in the journal
(:mod:`galien.cli.journal`) before and after. A second run continues where the
first stopped; a reader whose message may have been delivered is *uncertain*:
named, and not written to again unless asked. Every ending, a signal included,
prints the report (:mod:`galien.cli.send_console`). Who is written to comes from
:mod:`galien.cli.send_plan`, each reader's message from :mod:`galien.cli.send_message`.
This module holds the run itself: its order, and what each ending records.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from email_validator import EmailNotValidError

from galien.cli.journal import (
    FAILED,
    JOURNAL_ERRORS,
    QUEUED,
    SENDING,
    SENT,
    UNCERTAIN,
    Journal,
)
from galien.cli.readers import Standing
from galien.cli.send_console import (
    Report,
    Summary,
    confirmed,
    print_report,
    print_summary,
    progress_bar,
)
from galien.cli.send_errors import (
    DONE,
    INCOMPLETE,
    REFUSED,
    STOPPED,
    RelayDownError,
    SendRefusedError,
    Stopped,
    ignore_signals,
    signals_stop_the_run,
)
from galien.cli.send_letter import build_in_child
from galien.cli.send_message import MESSAGE_ERRORS, Mailing, dkim_key
from galien.cli.send_plan import left_out_lists, plan_run
from galien.cli.send_relay import Connection, Pace, Relay, relay_from_environment
from galien.cli.send_transaction import Outcome, Result, deliver
from galien.cli.send_unsubscribe import check_one_click
from galien.cli.subscribers import (
    SubscriberError,
    Subscribers,
    add_to_list,
    address_key,
    bounced_list_of,
    checked_address,
    is_international,
)
from galien.mail.builder import MAX_MESSAGE_BYTES

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator, Mapping

    from galien.cli.journal import SendJournal
    from galien.cli.readers import ReaderList
    from galien.cli.send_console import Plan


#: Messages per minute unless ``DEBIT=`` says otherwise: Exchange Online's limit per mailbox.
DEFAULT_RATE = 30.0
DEFAULT_WAIT = 5.0
#: Where the journal is kept unless ``JOURNAL=`` says otherwise: not in _build/, not in git.
DEFAULT_JOURNAL = Path('.galien') / 'envois.sqlite3'
#: An enhanced status code 5.1.x: the address does not exist (RFC 3463).
USER_UNKNOWN = re.compile(r'\b5\.1\.\d{1,3}\b')
QUEUE_ID = re.compile(r'(?:queued as|id=|queued)\s*:?\s*<?([\w.@-]+)>?', re.IGNORECASE)


@dataclass
class Options:
    """What ``make send`` was given."""

    numero: int
    project: Path
    build_dir: Path
    #: The readers: a CSV file or the subscription service (:mod:`galien.cli.readers`).
    subscribers: ReaderList | None = None
    unsubscribed: Path | None = None
    journal: Path | None = None
    test: str = ''
    simulation: bool = False
    confirm: str = ''
    #: Messages per minute; 0 for as fast as the relay takes them.
    rate: float = DEFAULT_RATE
    resend: str = ''
    wait: float = DEFAULT_WAIT


@contextlib.contextmanager
def single_run(journal_path: Path) -> Iterator[None]:
    """One ``make send`` at a time on a journal: two would mail the same readers."""
    journal_path.parent.mkdir(parents=True, exist_ok=True)
    with journal_path.with_name(journal_path.name + '.lock').open('w') as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise SendRefusedError(
                f'un autre envoi utilise déjà le journal {journal_path} : attendez sa fin'
            ) from error
        yield


@contextlib.contextmanager
def opened_journal(options: Options) -> Iterator[SendJournal | None]:
    """The run's journal, this run's alone: the service's with ``ABONNES=service``, else a file.

    ``JOURNAL=`` names a file whatever the list. A simulation reads the file only
    if it exists (None otherwise), and never writes.
    """
    if options.journal is None and options.subscribers is not None:
        kept = options.subscribers.journal()
        if kept is not None:
            yield kept
            return
    path = options.journal or options.project / DEFAULT_JOURNAL
    with single_run(path):
        if options.simulation and not path.exists():
            yield None
            return
        journal = Journal(path)
        try:
            yield journal
        finally:
            journal.close()


def run(options: Options, environ: Mapping[str, str] | os._Environ[str], out: TextIO) -> int:
    """The whole of ``make send``; returns the exit status (the guide lists them)."""
    with signals_stop_the_run():
        try:
            return checked_run(options, environ, out)
        except Stopped as stop:
            ignore_signals()
            print(
                f'Envoi interrompu ({stop.what}) avant le premier message : rien n’a été envoyé.',
                file=out,
            )
            return stop.status
        finally:
            if options.subscribers is not None:
                options.subscribers.close()


def checked_run(options: Options, environ: Mapping[str, str], out: TextIO) -> int:
    relay = None if options.simulation else relay_from_environment(environ)
    if options.rate < 0:
        raise SendRefusedError(
            f'DEBIT vaut {options.rate:g} : un nombre de messages par minute (0 : sans attente)'
        )
    test_address = ''
    subscribers = None
    if options.test:
        try:
            test_address = checked_address(options.test)
        except EmailNotValidError as error:
            raise SendRefusedError(
                f'TEST : adresse invalide « {options.test} » : {error}'
            ) from error
    elif options.subscribers is None:
        raise SendRefusedError(
            'ABONNES= manque : le fichier CSV des abonnés (ex. ABONNES=abonnes.csv)'
        )
    else:
        try:
            subscribers = options.subscribers.read()
        except SubscriberError as error:
            raise SendRefusedError(str(error)) from error
    leave_out, lists = left_out_lists(options.unsubscribed, options.project)

    letter, sender = build_in_child(
        options.numero, options.project, options.build_dir, environ, out
    )
    mailing = Mailing(letter, sender, dkim_key(sender, environ))
    sample = mailing.sample(test_address or 'x@example.fr')
    if len(sample) > MAX_MESSAGE_BYTES:
        raise SendRefusedError(
            f'le message pèse {len(sample) // 1024} Ko avec ses en-têtes, plus de '
            f'{MAX_MESSAGE_BYTES // 1024} Ko : Gmail le couperait'
        )
    # The service's one-click address, tested with a signed token of nobody.
    probes = []
    if options.subscribers is not None and not options.test:
        probes = [link for link in [options.subscribers.one_click_probe()] if link]
    check_one_click(sender.unsubscribe, environ.get('GALIEN_ABONNES_URL', '').strip(), probes, out)
    if options.test:
        return send_test(options, mailing, relay, test_address, out)
    assert subscribers is not None
    with opened_journal(options) as journal:
        return send_issue(options, mailing, relay, subscribers, leave_out, lists, journal, out)


def send_test(
    options: Options, mailing: Mailing, relay: Relay | None, address: str, out: TextIO
) -> int:
    data = mailing.message(address, test=True)
    print(f'Test : « [TEST] {mailing.letter.subject} » à {address} seulement', file=out)
    if relay is None:
        folder = simulation_folder(options)
        (folder / '0001.eml').write_bytes(data)
        (folder / 'resume.txt').write_text(f'TEST\t{address}\t0001.eml\n', encoding='utf-8')
        print(f'Simulation : rien envoyé, le message est dans {folder}', file=out)
        return DONE
    print(f'Relais : {relay.describe()}', file=out)
    connection = Connection(relay, options.wait)
    try:
        utf8 = is_international(address)
        if utf8 and not connection.smtputf8():
            raise SendRefusedError(
                f"TEST : adresse internationale « {address} » : le relais ne l'accepte pas "
                '(il n’annonce pas SMTPUTF8)'
            )
        result = deliver(
            connection,
            mailing.sender.from_address,
            address,
            data,
            utf8=utf8,
            before_body=lambda: None,
            not_delivered=lambda: None,
        )
    except RelayDownError as error:
        print(f'Échec pour {address} : {error}', file=out)
        return STOPPED
    except Stopped as stop:
        ignore_signals()
        connection.drop()
        print(
            f'Test interrompu ({stop.what}) : la copie à {address} est peut-être partie, '
            'vérifiez avant de la demander à nouveau.',
            file=out,
        )
        return stop.status
    finally:
        connection.quit()
    if result.outcome is Outcome.SENT:
        print(f'Envoyé à {address} : {result.reply}', file=out)
        return DONE
    if result.outcome is Outcome.UNCERTAIN:
        print(f'Incertain pour {address} : {result.reply} (reçu ou non : vérifiez)', file=out)
    else:
        print(f'Échec pour {address} : {result.describe()}', file=out)
    return INCOMPLETE


def simulation_folder(options: Options) -> Path:
    folder = options.build_dir / 'send' / f'{options.numero:03d}'
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def send_issue(
    options: Options,
    mailing: Mailing,
    relay: Relay | None,
    subscribers: Subscribers,
    leave_out: tuple[set[str], set[str]],
    lists: list[str],
    journal: SendJournal | None,
    out: TextIO,
) -> int:
    unsubscribed, bounced = leave_out
    interrupted = (
        [] if journal is None or options.simulation else journal.mark_interrupted(options.numero)
    )
    known = journal.deliveries(options.numero) if journal else {}
    plan = plan_run(subscribers.addresses, unsubscribed, bounced, known, options.resend)
    summary = Summary(
        numero=options.numero,
        subject=mailing.letter.subject,
        list_name=options.subscribers.name if options.subscribers else '',
        relay=relay.describe() if relay else 'aucun (SIMULATION=1)',
        rate=options.rate,
        invalid=subscribers.invalid,
        duplicates=subscribers.duplicates,
        interrupted=interrupted,
        where=subscribers.where,
        lists=lists,
    )
    if options.simulation:
        print_summary(summary, plan, out)
        return simulate(options, mailing, plan.to_send, out)
    assert relay is not None and journal is not None
    connection = Connection(relay, options.wait)
    try:
        return send_with_relay(options, mailing, connection, journal, plan, summary, out)
    finally:
        connection.quit()


def send_with_relay(
    options: Options,
    mailing: Mailing,
    connection: Connection,
    journal: SendJournal,
    plan: Plan,
    summary: Summary,
    out: TextIO,
) -> int:
    """Connect, say what will happen, ask, send; print the report however it ends."""
    journal_path = journal.where
    bounced_path = bounced_list_of(options.unsubscribed or options.project / 'desinscrits.txt')
    try:
        # A relay without TLS is refused, and SMTPUTF8 known, before anything is recorded.
        utf8 = connection.smtputf8() if plan.to_send else True
    except RelayDownError as error:
        print_summary(summary, plan, out)
        report = Report(uncertain=list(plan.uncertain), unsent=list(plan.to_send))
        report.stopped = f'{error} ; rien n’a été envoyé, relancez make send plus tard'
        print_report(report, [], bounced_path, journal_path, out)
        return STOPPED
    if not utf8:
        plan.international = [a for a in plan.to_send if is_international(a)]
        plan.to_send = [a for a in plan.to_send if not is_international(a)]
    print_summary(summary, plan, out)
    report = Report(uncertain=list(plan.uncertain))
    report.failed += [
        (a, "adresse internationale : le relais ne l'accepte pas") for a in plan.international
    ]
    if not plan.to_send:
        print(
            f'Rien à envoyer : chaque abonné a reçu le numéro {options.numero} ou est '
            'laissé de côté (voir ci-dessus).',
            file=out,
        )
        print(f'Journal : {journal_path}', file=out)
        return INCOMPLETE if plan.uncertain or plan.international else DONE
    if not confirmed(options.confirm, len(plan.to_send), out):
        return REFUSED
    journal.enqueue(options.numero, [address_key(a) for a in plan.to_send])
    status = DONE
    current: list[str] = []
    try:
        send_all(options, mailing, connection, journal, plan.to_send, report, current)
    except (RelayDownError, SendRefusedError) as error:
        # Down, or no longer the relay it was (TLS, login) when it was opened again.
        report.stopped = str(error)
        status = STOPPED
    except JOURNAL_ERRORS as error:
        report.stopped = f'le journal {journal_path} ne peut plus être écrit ({error})'
        status = STOPPED
    except Stopped as stop:
        ignore_signals()
        report.stopped = f'interrompu ({stop.what})'
        status = stop.status
    if status != DONE:
        # Maybe in the middle of a transaction: hang up rather than say QUIT into DATA.
        connection.drop()
        settle_unfinished(options.numero, journal, plan.to_send, current, report)
        report.stopped += ' ; relancez make send pour continuer'
    try:
        new_bounces = add_to_list(
            bounced_path, set(map(address_key, report.bounced)), 'Adresses inconnues (rebonds)'
        )
    except OSError as error:
        print(f'Liste des rebonds {bounced_path} non mise à jour : {error}', file=out)
        new_bounces = []
    if report.bounced and options.subscribers is not None:
        try:
            options.subscribers.bounced(report.bounced)
        except SendRefusedError as error:
            print(f'Rebonds non enregistrés dans {options.subscribers.name} : {error}', file=out)
    print_report(report, new_bounces, bounced_path, journal_path, out)
    if status == DONE and (report.failed or report.uncertain):
        return INCOMPLETE
    return status


def settle_unfinished(
    numero: int, journal: SendJournal, addresses: list[str], current: list[str], report: Report
) -> None:
    """After a stop: the reader in hand is uncertain if its body had left; the rest unsent."""
    done = {*report.sent, *(a for a, _ in report.failed), *report.uncertain}
    for address in addresses:
        if address in done:
            continue
        state = QUEUED
        if current and address == current[0]:
            try:
                state = journal.state_of(numero, address_key(address))
            except JOURNAL_ERRORS:
                state = SENDING  # unknown: when in doubt, uncertain
        if state == SENDING:
            with contextlib.suppress(*JOURNAL_ERRORS):
                journal.set_state(numero, address_key(address), UNCERTAIN, reply='arrêt')
            report.uncertain.append(address)
        else:
            report.unsent.append(address)


def simulate(options: Options, mailing: Mailing, addresses: list[str], out: TextIO) -> int:
    folder = simulation_folder(options)
    lines = []
    for index, address in enumerate(addresses, 1):
        name = f'{index:04d}.eml'
        try:
            (folder / name).write_bytes(mailing.message(address))
        except MESSAGE_ERRORS as error:
            print(f'{address} : message impossible à écrire ({error})', file=out)
            continue
        lines.append(f'{address}\t{name}\n')
    (folder / 'resume.txt').write_text(
        f'Numéro {mailing.letter.numero} : {mailing.letter.subject}\n{len(lines)} message(s)\n'
        + ''.join(lines),
        encoding='utf-8',
    )
    print(
        f'Simulation : rien envoyé ; {len(lines)} message(s) écrit(s) dans {folder}',
        file=out,
    )
    return DONE


def send_all(
    options: Options,
    mailing: Mailing,
    connection: Connection,
    journal: SendJournal,
    addresses: list[str],
    report: Report,
    current: list[str],
) -> None:
    """Each reader in turn; ``current`` holds the one in hand, for a stop to settle."""
    numero = mailing.letter.numero
    pace = Pace(options.rate)
    progress = progress_bar(len(addresses))
    for done, address in enumerate(addresses):
        progress(done)
        key = address_key(address)
        current[:] = [address]
        pace.wait()
        # Asked just before the message: an unsubscription during the run is honoured.
        standing = options.subscribers.standing(address) if options.subscribers else Standing(True)
        if not standing.receives:
            report.unsubscribed.append(address)
            continue
        try:
            data = mailing.message(address, unsubscribe=standing.unsubscribe)
        except MESSAGE_ERRORS as error:
            reply = f'message impossible à écrire pour cette adresse ({error})'
            journal.set_state(numero, key, FAILED, code=None, reply=reply)
            report.failed.append((address, reply))
            continue
        result = deliver(
            connection,
            mailing.sender.from_address,
            address,
            data,
            utf8=is_international(address),
            before_body=lambda key=key: journal.set_state(numero, key, SENDING),  # type: ignore[misc]
            not_delivered=lambda key=key: journal.set_state(numero, key, QUEUED),  # type: ignore[misc]
        )
        record(numero, journal, address, result, report)
    current.clear()
    progress(len(addresses), final=True)


def record(numero: int, journal: SendJournal, address: str, result: Result, report: Report) -> None:
    """The transaction's end, in the journal and in the report."""
    key = address_key(address)
    if result.outcome is Outcome.SENT:
        match = QUEUE_ID.search(result.reply)
        journal.set_state(
            numero,
            key,
            SENT,
            code=result.code,
            reply=result.reply,
            queue_id=match[1] if match else '',
        )
        report.sent.append(address)
    elif result.outcome is Outcome.UNCERTAIN:
        journal.set_state(numero, key, UNCERTAIN, reply=result.reply)
        report.uncertain.append(address)
    else:
        journal.set_state(numero, key, FAILED, code=result.code, reply=result.reply)
        report.failed.append((address, result.describe()))
        if result.outcome is Outcome.REFUSED and USER_UNKNOWN.search(result.reply):
            report.bounced.append(address)


def refuse(error: SendRefusedError) -> int:
    print(f'make send : {error}', file=sys.stderr)
    return REFUSED
