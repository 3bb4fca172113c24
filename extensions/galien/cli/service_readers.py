"""The subscription service's readers, asked through its own command, never imported.

``ABONNES=service`` (the database of ``GALIEN_ABONNES_DB``) or ``ABONNES=`` a
database URL (``postgresql://…``, ``sqlite:///…``) starts ``python -m abonnements
sendlink`` in the project's folder: a child process that reads the service's
database and answers one JSON line per question (the protocol is documented in
``abonnements/sendlink.py``). The letter's code stays free of Django.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from galien.cli.readers import CsvReaders, Standing
from galien.cli.send_errors import SendRefusedError
from galien.cli.service_journal import ServiceJournal
from galien.cli.subscribers import Subscribers

if TYPE_CHECKING:
    from collections.abc import Mapping

    from galien.cli.journal import SendJournal
    from galien.cli.readers import ReaderList

#: ``ABONNES=service``: the service's own database setting.
SERVICE = 'service'
DATABASE_SCHEMES = frozenset({'postgresql', 'postgres', 'sqlite'})


def is_service(spec: str) -> bool:
    return spec == SERVICE or urlsplit(spec).scheme in DATABASE_SCHEMES


class ServiceReaders:
    """The confirmed readers of the subscription service."""

    def __init__(self, database: str, project: Path, environ: Mapping[str, str]) -> None:
        env = dict(environ)
        if database:
            env['GALIEN_ABONNES_DB'] = database
        self.name = 'service d’abonnement'
        try:
            self.process = subprocess.Popen(
                [sys.executable, '-m', 'abonnements', 'sendlink'],
                cwd=project,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding='utf-8',
            )
        except OSError as error:
            raise SendRefusedError(f'service d’abonnement injoignable ({error})') from error

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps(request) + '\n')
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except OSError as error:
            line = ''
            reason = str(error)
        else:
            reason = 'il s’est arrêté'
        if not line:
            raise SendRefusedError(
                f'service d’abonnement : pas de réponse ({reason}) ; '
                'make abonnements installe le service, GALIEN_ABONNES_DB nomme sa base'
            )
        reply: dict[str, Any] = json.loads(line)
        if 'error' in reply:
            raise SendRefusedError(f'service d’abonnement : {reply["error"]}')
        return reply

    def read(self) -> Subscribers:
        """The readers; refused unless the service's public address is ``https:``.

        Its links go into every message, and the one-click header only holds an
        ``https:`` address (RFC 8058): a service still at its laptop address would
        give readers a link nobody serves.
        """
        reply = self.ask({'op': 'list'})
        url = str(reply.get('url', ''))
        if not url.startswith('https://'):
            raise SendRefusedError(
                f'GALIEN_ABONNES_URL vaut « {url} » : l’adresse publique https: du service '
                'd’abonnement (ex. https://galien.oscarlambret.fr/abonnement/) est nécessaire '
                'pour les liens de désinscription'
            )
        addresses = [str(a) for a in reply['readers']]
        return Subscribers(addresses=addresses, where=dict.fromkeys(addresses, 'service'))

    def standing(self, address: str) -> Standing:
        reply = self.ask({'op': 'check', 'address': address})
        return Standing(receives=bool(reply['send']), unsubscribe=str(reply['unsubscribe']))

    def bounced(self, addresses: list[str]) -> int:
        return int(self.ask({'op': 'bounced', 'addresses': addresses})['marked'])

    def journal(self) -> SendJournal | None:
        """The journal in the service's database, this run's alone while it lasts."""
        journal = ServiceJournal(self.ask)
        journal.lock()
        return journal

    def one_click_probe(self) -> str:
        return str(self.ask({'op': 'probe'})['url'])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def reader_list(spec: str, project: Path, environ: Mapping[str, str]) -> ReaderList:
    """``ABONNES=``: a CSV file, ``service``, or the service's database URL."""
    if is_service(spec):
        return ServiceReaders('' if spec == SERVICE else spec, project, environ)
    return CsvReaders(Path(spec))
