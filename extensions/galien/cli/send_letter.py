"""The issue's e-mail, built for ``make send`` in a child process that holds no secret.

The sources of an issue may come from outside the committee; ``conf.py`` and
the extensions run while they are read. So the build runs in a child process
(``python -m galien lettre``) whose environment has no ``GALIEN_SMTP_*`` or
``GALIEN_DKIM_*`` variable, and hands back what sending needs as JSON: the
subject, the two parts' paths, the list's identity and the issue's warnings,
collected through Sphinx's logging rather than read back from its text output.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import SphinxError
from sphinx.util.docutils import docutils_namespace, patch_docutils
from sphinx.util.logging import NAMESPACE, WarningLogRecordTranslator, WarningSuppressor

from galien.cli.send_errors import SendRefusedError, Stopped
from galien.cli.send_relay import without_secrets
from galien.core.registry import galien_domain
from galien.core.titles import issue_title
from galien.core.urls import issue_file_stem
from galien.mail.builder import MAX_MESSAGE_BYTES
from galien.mail.sending import Sender, sender_of

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO

    from sphinx.application import Sphinx

#: A placeholder address still in html_baseurl: every link of the letter would be dead.
PLACEHOLDER_HOSTS = ('example.org', 'example.com', 'example.net')


@dataclass
class Letter:
    """The built issue: what every reader's message is made from."""

    numero: int
    subject: str
    html: str
    text: str


class StartWarnings(logging.Handler):
    """The extension's warnings while Sphinx starts (``conf.py``'s values, checked by
    ``core/config.py``), caught on the extension's own loggers, which Sphinx leaves in place.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        location = getattr(record, 'location', None)
        message = record.getMessage()
        self.messages.append(f'{location}: {message}' if isinstance(location, str) else message)


class IssueWarnings(logging.Handler):
    """Sphinx's warnings as records, kept when they are about the issue or no document."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(logging.WARNING)
        self.addFilter(WarningSuppressor(app))
        self.addFilter(WarningLogRecordTranslator(app))
        self.messages: list[tuple[str | None, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((getattr(record, 'location', None), record.getMessage()))

    def about(self, app: Sphinx, source: str) -> list[str]:
        others = {str(app.env.doc2path(d)) for d in app.env.found_docs} - {source}
        return [
            message.replace(f'{app.srcdir}/', '')
            for location, message in self.messages
            if not (location and location.split(':')[0] in others)
        ]


def build_in_child(
    numero: int, project: Path, build_dir: Path, environ: Mapping[str, str], out: TextIO
) -> tuple[Letter, Sender]:
    """Build the letter in a child process without secrets; refuse what it refused."""
    print(f"Construction de l'e-mail du numéro {numero}…", file=out, flush=True)
    result = build_dir / 'send' / f'lettre-{numero:03d}.json'
    result.parent.mkdir(parents=True, exist_ok=True)
    result.unlink(missing_ok=True)
    command = [sys.executable, '-m', 'galien', 'lettre', '--numero', str(numero)]
    command += ['--project', str(project), '--build-dir', str(build_dir), '--resultat', str(result)]
    # A process group of its own: Ctrl-C on the terminal reaches this process alone, which
    # ends the build itself (subprocess.run kills it) and prints the one-line report.
    completed = subprocess.run(
        command,
        env=child_environment(environ),
        stdout=subprocess.DEVNULL,
        check=False,
        process_group=0,
    )
    if -completed.returncode in (signal.SIGINT, signal.SIGTERM):
        raise Stopped(-completed.returncode)
    if completed.returncode < 0:
        raise SendRefusedError(
            f"la construction de l'e-mail du numéro {numero} a été tuée "
            f'({signal.Signals(-completed.returncode).name}) : relancez make send'
        )
    try:
        answer: dict[str, Any] = json.loads(result.read_text(encoding='utf-8'))
    except (OSError, ValueError) as error:
        raise SendRefusedError(
            f"la construction de l'e-mail du numéro {numero} a échoué "
            f'(code {completed.returncode}) : voir les messages ci-dessus'
        ) from error
    for line in answer.get('avertissements', []):
        print(line, file=sys.stderr)
    if answer.get('refus'):
        raise SendRefusedError(str(answer['refus']))
    # The parts are read where this process expects them, never at paths the child names.
    stem = build_dir / 'email' / issue_file_stem(numero)
    try:
        letter = Letter(
            numero=numero,
            subject=str(answer['sujet']),
            html=stem.with_suffix('.html').read_text(encoding='utf-8'),
            text=stem.with_suffix('.txt').read_text(encoding='utf-8'),
        )
    except (OSError, KeyError, UnicodeError) as error:
        raise SendRefusedError(
            f"l'e-mail du numéro {numero} est introuvable ou illisible après sa construction "
            f'({error})'
        ) from error
    try:
        fields = answer['expediteur']
        sender = Sender(**{**fields, 'unsubscribe': tuple(fields['unsubscribe'])})
    except (KeyError, TypeError) as error:
        raise SendRefusedError(
            f"la construction de l'e-mail du numéro {numero} n'a pas donné l'expéditeur ({error})"
        ) from error
    return letter, sender


def child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without secrets, where ``python -m galien`` finds this very package."""
    child = without_secrets(environ)
    package_parent = str(Path(__file__).resolve().parents[2])
    child['PYTHONPATH'] = os.pathsep.join(
        p for p in (package_parent, child.get('PYTHONPATH', '')) if p
    )
    return child


def child_main(numero: int, project: Path, build_dir: Path, result: Path) -> int:
    """``python -m galien lettre``: build, check, and write the answer for the parent."""
    warnings: list[str] = []
    answer: dict[str, Any]
    try:
        with patch_docutils(project), docutils_namespace():
            answer = build_letter(numero, project, build_dir, warnings)
    except SendRefusedError as error:
        answer = {'refus': str(error), 'avertissements': warnings}
    except SphinxError as error:
        answer = {
            'refus': f"la construction de l'e-mail du numéro {numero} a échoué : {error}",
            'avertissements': warnings,
        }
    result.write_text(json.dumps(answer, ensure_ascii=False), encoding='utf-8')
    return 0


def build_letter(
    numero: int, project: Path, build_dir: Path, warnings: list[str]
) -> dict[str, Any]:
    from sphinx.application import Sphinx

    outdir = build_dir / 'email'
    start = StartWarnings()
    extension_logger = logging.getLogger(f'{NAMESPACE}.galien')
    extension_logger.addHandler(start)
    try:
        app = Sphinx(
            srcdir=project,
            confdir=project,
            outdir=outdir,
            # A reading of its own, from scratch: every warning of the issue is seen again.
            doctreedir=build_dir / 'send' / 'doctrees',
            buildername='email',
            status=None,
            warning=io.StringIO(),
            freshenv=True,
            keep_going=True,
        )
    finally:
        extension_logger.removeHandler(start)
    warnings += [line.replace(f'{project}/', '') for line in start.messages]
    collected = IssueWarnings(app)
    logging.getLogger(NAMESPACE).addHandler(collected)
    sender = check_config(app)
    app.build()
    domain = galien_domain(app.env)
    if domain.draft_of(numero) is not None:
        raise SendRefusedError(
            f'le numéro {numero} est un brouillon (« brouillon: oui » dans son '
            'en-tête) : écrivez « brouillon: non » quand il est validé'
        )
    issue = domain.by_numero.get(numero)
    if issue is None:
        raise SendRefusedError(
            f"le numéro {numero} n'existe pas : aucun fichier "
            f'{app.config.galien_issues_dir}/{numero:03d}.md'
        )
    warnings += collected.about(app, str(app.env.doc2path(issue.docname)))
    if warnings:
        raise SendRefusedError(
            f"l'e-mail du numéro {numero} a {len(warnings)} avertissement(s) : "
            'corrigez-les (make email) avant de l’envoyer'
        )
    stem = issue_file_stem(issue.numero)
    size = (outdir / f'{stem}.eml').stat().st_size
    if size > MAX_MESSAGE_BYTES:
        raise SendRefusedError(
            f"l'e-mail du numéro {numero} pèse {size // 1024} Ko, plus de "
            f'{MAX_MESSAGE_BYTES // 1024} Ko : Gmail le couperait'
        )
    return {
        'sujet': issue_title(app.env, issue, plain=True),
        'expediteur': dataclasses.asdict(sender),
    }


def check_config(app: Sphinx) -> Sender:
    """Refuse a configuration whose messages would be wrong or undeliverable.

    ``core/config.py`` has already checked the values' shapes (a wrong one is
    replaced by its default and warned about); what is left is what sending needs.
    """
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
            'galien_unsubscribe est vide dans conf.py (ou ne contient aucune adresse '
            'mailto: ou https:) : chaque message doit permettre de se désinscrire '
            "(ex. ['mailto:galien-desinscription@oscarlambret.fr'])"
        )
    return sender
