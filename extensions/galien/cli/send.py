"""``make send``: deliver one issue to the subscriber list, exactly once per reader.

The issue's e-mail is built first, through Sphinx, and nothing is sent if that
build warns about it. Then each reader gets a message of their own over the
centre's SMTP relay (:mod:`galien.mail.sending` makes it), one SMTP transaction
per reader, recorded in the journal (:mod:`galien.cli.journal`) before and after.
A second run continues where the first stopped; a reader whose transaction was
cut by a crash is *uncertain*: named, and not written to again unless asked.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
import shutil
import smtplib
import ssl
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from email_validator import EmailNotValidError
from sphinx.util.docutils import docutils_namespace, patch_docutils

from galien.cli.journal import (
    FAILED,
    SENDING,
    SENT,
    UNCERTAIN,
    Delivery,
    Journal,
    is_temporary,
)
from galien.cli.subscribers import (
    SubscriberError,
    add_to_list,
    address_key,
    bounced_list_of,
    checked_address,
    read_address_list,
    read_subscribers,
)
from galien.core.registry import galien_domain, issue_title
from galien.core.urls import issue_file_stem
from galien.mail.builder import MAX_MESSAGE_BYTES
from galien.mail.sending import Sender, dkim_sign, personal_message, sender_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.application import Sphinx

#: Messages per minute unless ``DEBIT=`` says otherwise: Exchange Online's limit per mailbox.
DEFAULT_RATE = 30
#: Tries for one reader within a run (4xx replies, lost connections), waits doubling.
ATTEMPTS = 4
DEFAULT_WAIT = 5.0
#: Where the journal is kept unless ``JOURNAL=`` says otherwise: not in _build/, not in git.
DEFAULT_JOURNAL = Path('.galien') / 'envois.sqlite3'
#: A placeholder address still in html_baseurl: every link of the letter would be dead.
PLACEHOLDER_HOSTS = ('example.org', 'example.com', 'example.net')
SECURITIES = ('starttls', 'tls', 'none')
DEFAULT_PORTS = {'starttls': 587, 'tls': 465, 'none': 25}
#: An enhanced status code 5.1.x: the address does not exist (RFC 3463).
USER_UNKNOWN = re.compile(r'\b5\.1\.\d{1,3}\b')
QUEUE_ID = re.compile(r'(?:queued as|id=|queued)\s*:?\s*<?([\w.@-]+)>?', re.IGNORECASE)
ANSI = re.compile(r'\x1b\[[0-9;]*m')


class SendRefusedError(Exception):
    """A reason not to send: one French line for the editor."""


class RelayDownError(Exception):
    """The relay cannot be reached any more: stop, the journal says where."""


@dataclass(frozen=True)
class Relay:
    host: str
    port: int
    user: str
    password: str
    security: str

    def describe(self) -> str:
        who = f', utilisateur {self.user}' if self.user else ', sans authentification'
        return f'{self.host}:{self.port} ({self.security}{who})'


@dataclass
class Options:
    """What ``make send`` was given."""

    numero: int
    project: Path
    build_dir: Path
    subscribers: Path | None = None
    unsubscribed: Path | None = None
    journal: Path | None = None
    test: str = ''
    simulation: bool = False
    confirm: str = ''
    rate: float = DEFAULT_RATE
    resend: str = ''
    wait: float = DEFAULT_WAIT


@dataclass
class Letter:
    """The built issue: what every reader's message is made from."""

    numero: int
    subject: str
    html: str
    text: str


@dataclass
class Report:
    """How the run went, reader by reader; printed at the end."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    bounced: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    stopped: str = ''


def relay_from_environment(environ: dict[str, str] | os._Environ[str]) -> Relay:
    """The relay from ``GALIEN_SMTP_*`` only: never from a file of the repository."""
    security = environ.get('GALIEN_SMTP_SECURITY', 'starttls').strip().lower() or 'starttls'
    if security not in SECURITIES:
        raise SendRefusedError(
            f'GALIEN_SMTP_SECURITY vaut « {security} » : starttls (par défaut), tls ou none'
        )
    host = environ.get('GALIEN_SMTP_HOST', '').strip()
    if not host:
        raise SendRefusedError(
            "GALIEN_SMTP_HOST n'est pas défini : l'adresse du relais SMTP du centre"
        )
    raw_port = environ.get('GALIEN_SMTP_PORT', '').strip()
    if raw_port and not raw_port.isdigit():
        raise SendRefusedError(f'GALIEN_SMTP_PORT vaut « {raw_port} » : un numéro de port')
    return Relay(
        host=host,
        port=int(raw_port) if raw_port else DEFAULT_PORTS[security],
        user=environ.get('GALIEN_SMTP_USER', ''),
        password=environ.get('GALIEN_SMTP_PASSWORD', ''),
        security=security,
    )


# -- the issue's e-mail, built and checked ---------------------------------------


def build_letter(options: Options, out: TextIO) -> tuple[Letter, Sender]:
    """Build the e-mail edition through Sphinx and check the issue can be sent."""
    warnings = io.StringIO()
    print(f"Construction de l'e-mail du numéro {options.numero}…", file=out)
    # As sphinx-build does: docutils' registries patched for this build only.
    with patch_docutils(options.project), docutils_namespace():
        return _build_letter(options, warnings)


def _build_letter(options: Options, warnings: io.StringIO) -> tuple[Letter, Sender]:
    from sphinx.application import Sphinx

    outdir = options.build_dir / 'email'
    app = Sphinx(
        srcdir=options.project,
        confdir=options.project,
        outdir=outdir,
        # A reading of its own, from scratch: every warning of the issue is seen again.
        doctreedir=options.build_dir / 'send' / 'doctrees',
        buildername='email',
        status=None,
        warning=warnings,
        freshenv=True,
        keep_going=True,
    )
    sender = check_config(app)
    app.build()
    domain = galien_domain(app.env)
    if domain.draft_of(options.numero) is not None:
        raise SendRefusedError(
            f'le numéro {options.numero} est un brouillon (« brouillon: oui » dans son '
            'en-tête) : écrivez « brouillon: non » quand il est validé'
        )
    issue = domain.by_numero.get(options.numero)
    if issue is None:
        raise SendRefusedError(
            f"le numéro {options.numero} n'existe pas : aucun fichier "
            f'{app.config.galien_issues_dir}/{options.numero:03d}.md'
        )
    source = str(app.env.doc2path(issue.docname))
    own = issue_warnings(ANSI.sub('', warnings.getvalue()), source, app)
    if own:
        for line in own:
            print(line, file=sys.stderr)
        raise SendRefusedError(
            f"l'e-mail du numéro {options.numero} a {len(own)} avertissement(s) : "
            'corrigez-les (make email) avant de l’envoyer'
        )
    stem = issue_file_stem(issue.numero)
    eml = outdir / f'{stem}.eml'
    size = eml.stat().st_size
    if size > MAX_MESSAGE_BYTES:
        raise SendRefusedError(
            f"l'e-mail du numéro {options.numero} pèse {size // 1024} Ko, plus de "
            f'{MAX_MESSAGE_BYTES // 1024} Ko : Gmail le couperait'
        )
    title = issue_title(app.env, issue, plain=True)
    letter = Letter(
        numero=issue.numero,
        subject=title,
        html=(outdir / f'{stem}.html').read_text(encoding='utf-8'),
        text=(outdir / f'{stem}.txt').read_text(encoding='utf-8'),
    )
    return letter, sender


def check_config(app: Sphinx) -> Sender:
    """Refuse a configuration whose messages would be wrong or undeliverable."""
    baseurl = str(app.config.html_baseurl or '')
    if not baseurl or any(host in baseurl for host in PLACEHOLDER_HOSTS):
        raise SendRefusedError(
            f'html_baseurl vaut « {baseurl} » dans conf.py : donnez l’adresse réelle du site, '
            'sinon tous les liens de la lettre seraient morts'
        )
    sender = sender_of(app.config)
    if not sender.from_address or '@' not in sender.from_address:
        raise SendRefusedError(
            "galien_email_from n'est pas défini dans conf.py "
            "(ex. galien_email_from = 'Galien <galien@oscarlambret.fr>')"
        )
    if not sender.unsubscribe:
        raise SendRefusedError(
            'galien_unsubscribe est vide dans conf.py : chaque message doit permettre de se '
            "désinscrire (ex. ['mailto:galien-desinscription@oscarlambret.fr'])"
        )
    wrong = [u for u in sender.unsubscribe if not u.startswith(('mailto:', 'https:'))]
    if wrong:
        raise SendRefusedError(
            f'galien_unsubscribe : {wrong[0]} doit commencer par mailto: ou https:'
        )
    return sender


def issue_warnings(log: str, source: str, app: Sphinx) -> list[str]:
    """The build's warnings about this issue, or about no document in particular."""
    others = {str(app.env.doc2path(d)) for d in app.env.found_docs} - {source}
    found = []
    for line in log.splitlines():
        if 'WARNING' not in line and 'ERROR' not in line:
            continue
        if any(line.startswith(f'{path}:') for path in others):
            continue
        found.append(line.replace(f'{app.srcdir}{os.sep}', ''))
    return found


# -- one connection, one transaction per reader -----------------------------------


def connect(relay: Relay) -> smtplib.SMTP:
    """Open the relay as configured; a relay without the TLS asked for is refused."""
    context = ssl.create_default_context()
    try:
        if relay.security == 'tls':
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                relay.host, relay.port, context=context, timeout=60
            )
        else:
            smtp = smtplib.SMTP(relay.host, relay.port, timeout=60)
        smtp.ehlo()
        if relay.security == 'starttls':
            if not smtp.has_extn('starttls'):
                smtp.close()
                raise SendRefusedError(
                    f'le relais {relay.host}:{relay.port} ne propose pas STARTTLS : rien n’est '
                    'envoyé en clair (GALIEN_SMTP_SECURITY=none seulement pour un relais local)'
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        if relay.user:
            smtp.login(relay.user, relay.password)
    except ssl.SSLError as error:
        raise SendRefusedError(
            f'TLS refusé par le relais {relay.host}:{relay.port} : {error}'
        ) from error
    except smtplib.SMTPAuthenticationError as error:
        raise SendRefusedError(
            f'le relais refuse l’utilisateur {relay.user} : {error.smtp_code} '
            f'{text_of(error.smtp_error)}'
        ) from error
    return smtp


def transaction(smtp: smtplib.SMTP, sender: str, address: str, data: bytes) -> tuple[int, str]:
    """MAIL, RCPT, DATA for one reader; the relay's last reply."""
    code, reply = smtp.mail(sender)
    if code == 250:
        code, reply = smtp.rcpt(address)
        if code in (250, 251):
            try:
                code, reply = smtp.data(data)
            except smtplib.SMTPDataError as error:
                return error.smtp_code, text_of(error.smtp_error)
            if code == 250:
                return code, text_of(reply)
    if code != 421:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.rset()
    return code, text_of(reply)


def text_of(reply: bytes | str) -> str:
    return reply.decode(errors='replace') if isinstance(reply, bytes) else reply


class Connection:
    """The run's connection to the relay, reopened when the relay drops it."""

    def __init__(self, relay: Relay, wait: float) -> None:
        self.relay = relay
        self.wait = wait
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.smtp is not None:
            return self.smtp
        for attempt in range(ATTEMPTS):
            try:
                self.smtp = connect(self.relay)
                return self.smtp
            except (OSError, smtplib.SMTPException) as error:
                last = error
                time.sleep(self.wait * 2**attempt)
        raise RelayDownError(
            f'le relais {self.relay.host}:{self.relay.port} ne répond pas ({last})'
        )

    def drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(Exception):
                self.smtp.close()
        self.smtp = None

    def quit(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(Exception):
                self.smtp.quit()
        self.smtp = None


def deliver(
    connection: Connection, from_address: str, address: str, data: bytes
) -> tuple[int | None, str]:
    """Send one message, retrying 4xx replies and lost connections with growing waits."""
    code: int | None = None
    reply = ''
    for attempt in range(ATTEMPTS):
        smtp = connection.open()
        try:
            code, reply = transaction(smtp, from_address, address, data)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            code, reply = None, f'connexion perdue ({error or type(error).__name__})'
            connection.drop()
        if code is not None and (code < 400 or code >= 500):
            return code, reply
        if code == 421:
            connection.drop()
        if attempt < ATTEMPTS - 1:
            time.sleep(connection.wait * 2**attempt)
    return code, reply


class Pace:
    """At most ``rate`` messages a minute."""

    def __init__(self, rate: float) -> None:
        self.interval = 60.0 / rate
        self.next = time.monotonic()

    def wait(self) -> None:
        delay = self.next - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.next = max(self.next, time.monotonic()) + self.interval


# -- the run ---------------------------------------------------------------------


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


def duration(count: int, rate: float) -> str:
    minutes = round(count / rate)
    if minutes < 1:
        return "moins d'une minute"
    hours, minutes = divmod(minutes, 60)
    return f'environ {hours} h {minutes:02d} min' if hours else f'environ {minutes} min'


def make_message(
    letter: Letter, sender: Sender, address: str, key: bytes | None, test: bool = False
) -> bytes:
    message = personal_message(
        sender=sender,
        numero=letter.numero,
        subject=letter.subject,
        html=letter.html,
        text=letter.text,
        address=address,
        test=test,
    )
    data = message.as_bytes()
    return dkim_sign(data, sender, key) if key else data


def dkim_key(sender: Sender, environ: dict[str, str] | os._Environ[str]) -> bytes | None:
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


def run(options: Options, environ: dict[str, str] | os._Environ[str], out: TextIO) -> int:
    """The whole of ``make send``; returns the exit status."""
    relay = None if options.simulation else relay_from_environment(environ)
    if options.rate <= 0:
        raise SendRefusedError(f'DEBIT vaut {options.rate:g} : un nombre de messages par minute')
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

    subscribers = None
    if not options.test:
        assert options.subscribers is not None
        try:
            subscribers = read_subscribers(options.subscribers)
        except SubscriberError as error:
            raise SendRefusedError(str(error)) from error

    letter, sender = build_letter(options, out)
    key = dkim_key(sender, environ)
    sample = make_message(letter, sender, test_address if options.test else 'x@example.fr', key)
    if len(sample) > MAX_MESSAGE_BYTES:
        raise SendRefusedError(
            f'le message pèse {len(sample) // 1024} Ko avec ses en-têtes, plus de '
            f'{MAX_MESSAGE_BYTES // 1024} Ko : Gmail le couperait'
        )
    if options.test:
        return send_test(options, letter, sender, key, relay, test_address, out)
    assert subscribers is not None

    unsubscribed_path = options.unsubscribed or options.project / 'desinscrits.txt'
    bounced_path = bounced_list_of(unsubscribed_path)
    unsubscribed = read_address_list(unsubscribed_path)
    bounced = read_address_list(bounced_path)
    journal_path = options.journal or options.project / DEFAULT_JOURNAL
    with single_run(journal_path):
        return send_issue(
            options,
            letter,
            sender,
            key,
            relay,
            subscribers.addresses,
            (subscribers.invalid, subscribers.duplicates),
            unsubscribed,
            bounced,
            journal_path,
            bounced_path,
            out,
        )


def send_test(
    options: Options,
    letter: Letter,
    sender: Sender,
    key: bytes | None,
    relay: Relay | None,
    address: str,
    out: TextIO,
) -> int:
    data = make_message(letter, sender, address, key, test=True)
    print(f'Test : « [TEST] {letter.subject} » à {address} seulement', file=out)
    if relay is None:
        folder = simulation_folder(options)
        (folder / '0001.eml').write_bytes(data)
        (folder / 'resume.txt').write_text(f'TEST\t{address}\t0001.eml\n', encoding='utf-8')
        print(f'Simulation : rien envoyé, le message est dans {folder}', file=out)
        return 0
    print(f'Relais : {relay.describe()}', file=out)
    connection = Connection(relay, options.wait)
    try:
        code, reply = deliver(connection, sender.from_address, address, data)
    finally:
        connection.quit()
    if code == 250:
        print(f'Envoyé à {address} : {reply}', file=out)
        return 0
    print(f'Échec pour {address} : {code or ""} {reply}'.strip(), file=out)
    return 2


def simulation_folder(options: Options) -> Path:
    folder = options.build_dir / 'send' / f'{options.numero:03d}'
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def send_issue(
    options: Options,
    letter: Letter,
    sender: Sender,
    key: bytes | None,
    relay: Relay | None,
    addresses: list[str],
    problems: tuple[list[str], list[str]],
    unsubscribed: set[str],
    bounced: set[str],
    journal_path: Path,
    bounced_path: Path,
    out: TextIO,
) -> int:
    invalid, duplicates = problems
    for line in invalid:
        print(line, file=out)
    journal = None
    if not options.simulation or journal_path.exists():
        journal = Journal(journal_path)
    try:
        interrupted = (
            []
            if journal is None or options.simulation
            else (journal.mark_interrupted(letter.numero))
        )
        known = journal.deliveries(letter.numero) if journal else {}
        plan = plan_run(addresses, unsubscribed, bounced, known, options.resend)
        print_summary(options, letter, relay, plan, invalid, duplicates, interrupted, out)
        if not plan.to_send:
            print(
                f'Rien à envoyer : chaque abonné a reçu le numéro {letter.numero} ou est '
                'laissé de côté (voir ci-dessus).',
                file=out,
            )
            print(f'Journal : {journal_path}', file=out)
            return 2 if plan.uncertain else 0
        if options.simulation:
            return simulate(options, letter, sender, key, plan.to_send, out)
        assert relay is not None and journal is not None
        if not confirmed(options, len(plan.to_send), out):
            return 1
        connection = Connection(relay, options.wait)
        connection.open()  # a relay without TLS is refused before anything is recorded
        journal.enqueue(letter.numero, [address_key(a) for a in plan.to_send])
        report = Report(uncertain=list(plan.uncertain))
        try:
            send_all(options, letter, sender, key, connection, journal, plan.to_send, report, out)
        finally:
            connection.quit()
        new_bounces = add_to_list(
            bounced_path, set(map(address_key, report.bounced)), 'Adresses inconnues (rebonds)'
        )
        print_report(report, new_bounces, bounced_path, journal_path, out)
        return 2 if report.failed or report.uncertain or report.stopped else 0
    finally:
        if journal is not None:
            journal.close()


@dataclass
class Plan:
    to_send: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    bounced: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed_before: list[tuple[str, Delivery]] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    retried: int = 0


def plan_run(
    addresses: list[str],
    unsubscribed: set[str],
    bounced: set[str],
    known: dict[str, Delivery],
    resend: str,
) -> Plan:
    """Who gets a message this run, and why each other subscriber does not."""
    plan = Plan()
    for address in addresses:
        key = address_key(address)
        delivery = known.get(key)
        if key in unsubscribed:
            plan.unsubscribed.append(address)
        elif key in bounced:
            plan.bounced.append(address)
        elif delivery is None or delivery.state not in (SENT, FAILED, UNCERTAIN, SENDING):
            plan.to_send.append(address)
        elif delivery.state == SENT:
            plan.already.append(address)
        elif delivery.state == FAILED and is_temporary(delivery):
            plan.to_send.append(address)
            plan.retried += 1
        elif delivery.state == FAILED:
            plan.failed_before.append((address, delivery))
        elif resend == 'incertains':
            plan.to_send.append(address)
        else:
            plan.uncertain.append(address)
    return plan


def print_summary(
    options: Options,
    letter: Letter,
    relay: Relay | None,
    plan: Plan,
    invalid: list[str],
    duplicates: list[str],
    interrupted: list[str],
    out: TextIO,
) -> None:
    assert options.subscribers is not None
    total = (
        len(plan.to_send)
        + len(plan.unsubscribed)
        + len(plan.bounced)
        + len(plan.already)
        + len(plan.failed_before)
        + len(plan.uncertain)
    )
    print(f'Numéro {letter.numero} : « {letter.subject} »', file=out)
    line = f'Abonnés : {total} adresse(s) dans {options.subscribers.name}'
    extra = []
    if invalid:
        extra.append(f'{len(invalid)} invalide(s), ignorée(s)')
    if duplicates:
        extra.append(f'{len(duplicates)} en double ({", ".join(duplicates)})')
    print(line + (f' ({" ; ".join(extra)})' if extra else ''), file=out)
    left = [
        (plan.unsubscribed, 'désinscrit(s)'),
        (plan.bounced, 'adresse(s) inconnue(s) (rebonds)'),
        (plan.already, 'déjà servi(s) pour ce numéro'),
        ([a for a, _ in plan.failed_before], 'en échec définitif lors d’un envoi précédent'),
        (plan.uncertain, 'incertain(s) (RENVOYER=incertains pour leur écrire)'),
    ]
    parts = [f'{len(group)} {label}' for group, label in left if group]
    print(f'Laissés de côté : {", ".join(parts) if parts else "aucun"}', file=out)
    if interrupted:
        print(
            f'Envoi précédent interrompu : {len(interrupted)} incertain(s) : '
            + ', '.join(interrupted),
            file=out,
        )
    for address, delivery in plan.failed_before:
        print(f'  échec précédent : {address} : {delivery.code} {delivery.reply}', file=out)
    for address in plan.uncertain:
        print(f'  incertain : {address}', file=out)
    retried = (
        f' (dont {plan.retried} nouvel essai après un échec temporaire)' if plan.retried else ''
    )
    print(f'À envoyer : {len(plan.to_send)}{retried}', file=out)
    if relay is not None:
        print(f'Relais : {relay.describe()}', file=out)
    else:
        print('Relais : aucun (SIMULATION=1)', file=out)
    if plan.to_send and relay is not None:
        print(
            f'Débit : {options.rate:g} message(s) par minute, '
            f'{duration(len(plan.to_send), options.rate)}',
            file=out,
        )


def confirmed(options: Options, count: int, out: TextIO) -> bool:
    """``CONFIRMER=oui``, or « oui » typed on a terminal."""
    if options.confirm.strip().lower() == 'oui':
        return True
    if not sys.stdin.isatty():
        print(
            f'Envoi refusé : confirmez avec CONFIRMER=oui (pas de terminal pour demander '
            f'« Envoyer à {count} abonnés ? »)',
            file=out,
        )
        return False
    answer = input(f'Envoyer à {count} abonnés ? [oui/non] ').strip().lower()
    if answer in ('oui', 'o'):
        return True
    print('Envoi annulé : rien n’a été envoyé.', file=out)
    return False


def simulate(
    options: Options,
    letter: Letter,
    sender: Sender,
    key: bytes | None,
    addresses: list[str],
    out: TextIO,
) -> int:
    folder = simulation_folder(options)
    lines = []
    for index, address in enumerate(addresses, 1):
        name = f'{index:04d}.eml'
        (folder / name).write_bytes(make_message(letter, sender, address, key))
        lines.append(f'{address}\t{name}\n')
    (folder / 'resume.txt').write_text(
        f'Numéro {letter.numero} : {letter.subject}\n{len(addresses)} message(s)\n'
        + ''.join(lines),
        encoding='utf-8',
    )
    print(
        f'Simulation : rien envoyé ; {len(addresses)} message(s) écrit(s) dans {folder}',
        file=out,
    )
    return 0


def send_all(
    options: Options,
    letter: Letter,
    sender: Sender,
    key: bytes | None,
    connection: Connection,
    journal: Journal,
    addresses: list[str],
    report: Report,
    out: TextIO,
) -> None:
    pace = Pace(options.rate)
    progress = progress_bar(len(addresses))
    for done, address in enumerate(addresses):
        progress(done)
        data = make_message(letter, sender, address, key)
        pace.wait()
        try:
            connection.open()
        except RelayDownError as error:
            report.stopped = str(error)
            break
        journal.set_state(letter.numero, address_key(address), SENDING)
        try:
            code, reply = deliver(connection, sender.from_address, address, data)
        except RelayDownError as error:
            # Reconnecting failed after the transaction began: nobody knows.
            journal.set_state(letter.numero, address_key(address), UNCERTAIN, reply=str(error))
            report.uncertain.append(address)
            report.stopped = str(error)
            break
        if code == 250:
            match = QUEUE_ID.search(reply)
            journal.set_state(
                letter.numero,
                address_key(address),
                SENT,
                code=code,
                reply=reply,
                queue_id=match[1] if match else '',
            )
            report.sent.append(address)
            continue
        journal.set_state(letter.numero, address_key(address), FAILED, code=code, reply=reply)
        report.failed.append((address, f'{code or ""} {reply}'.strip()))
        if code is not None and code >= 500 and USER_UNKNOWN.search(reply):
            report.bounced.append(address)
    progress(len(report.sent) + len(report.failed), final=True)


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
    report: Report, new_bounces: list[str], bounced_path: Path, journal_path: Path, out: TextIO
) -> None:
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
    print(f'Incertains : {len(report.uncertain)}', file=out)
    for address in report.uncertain:
        print(f'  {address} (reçu ou non : vérifiez, puis RENVOYER=incertains)', file=out)
    if report.stopped:
        print(f'Envoi arrêté : {report.stopped} ; relancez make send pour continuer.', file=out)
    print(f'Journal : {journal_path}', file=out)


def refuse(error: SendRefusedError) -> int:
    print(f'make send : {error}', file=sys.stderr)
    return 1
