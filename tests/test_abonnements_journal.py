"""``make send ABONNES=<the service>`` keeps its journal in the service's database.

A send started from CI runs in a fresh checkout each time: no ``.galien/``. So
the journal of each reader's SMTP transaction lives in the service's table, and
the next run, from another folder, continues where the last one stopped: nobody
is written to twice, the reader whose message may have been delivered (RFC 1047)
is named and left alone, the rest are served. On SQLite and on PostgreSQL, with
an aiosmtpd relay that drops the connection after the end of data, then goes
down, and with a run killed (``kill -9``) while a reply is awaited.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from test_abonnements_send import (  # noqa: F401 (fixtures)
    certificate,
    cluster,
    import_readers,
    relay_server,
    service,
)

from abonnements_service import PROJECT
from galien.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    from abonnements_service import Service
    from smtp_server import Server

pytestmark = pytest.mark.abonnements


def checkout(tmp_path: Path, rootdir: Path, name: str) -> Path:
    """A fresh copy of the project, as CI clones it: no ``.galien/``, no ``_build/``."""
    return shutil.copytree(rootdir / 'test-send', tmp_path / name / 'lettre')


def send_from(project: Path, database: str, *arguments: str) -> list[str]:
    """``python -m galien send`` without ``JOURNAL=``: the journal is the service's."""
    return [
        'send', '--numero', '20', '--project', str(project),
        '--build-dir', str(project.parent / '_build'),
        '--desinscrits', str(project.parent.parent / 'desinscrits.txt'),
        '--abonnes', database, '--confirmer', 'oui', '--attente', '0.01', '--debit', '0',
        *arguments,
    ]  # fmt: skip


def journal_of(running: Service) -> dict[str, str]:
    [reply] = running.ask({'op': 'journal-deliveries', 'numero': 20})
    return {address: state for address, state, _code, _reply in reply['deliveries']}


@pytest.fixture
def readers(service: Service, tmp_path: Path) -> list[str]:  # noqa: F811
    (tmp_path / 'desinscrits.txt').write_text('# Désinscrits\n', encoding='utf-8')
    addresses = [f'lecteur{n:02d}.{service.port}@chu-lille.fr' for n in range(12)]
    import_readers(service, addresses)
    return addresses


def test_a_cut_send_continues_from_a_fresh_checkout(
    service: Service,  # noqa: F811 (the fixtures above)
    relay_server: Server,  # noqa: F811
    readers: list[str],
    tmp_path: Path,
    rootdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = service.environ['GALIEN_ABONNES_DB']
    handler = relay_server.handler
    maybe = readers[3]
    # The relay keeps lecteur03's message, then hangs up before its reply: maybe delivered.
    handler.faults[maybe] = ['store-drop']
    # At lecteur07 it goes down for good: the run stops there.
    handler.rcpt_faults[readers[7]] = ['down']

    first = checkout(tmp_path, rootdir, 'ci-1')
    try:
        status = main(send_from(first, database))
    finally:
        handler.refuse_connections = 0
    output = capsys.readouterr().out
    assert status == 3, output
    assert 'Envoi arrêté' in output and f'  {maybe} (reçu ou non' in output
    assert 'Journal : base du service d’abonnement' in output
    assert not (first / '.galien').exists()
    states = journal_of(service)
    assert states[maybe] == 'uncertain'
    assert [states[a] for a in readers[:3] + readers[4:7]] == ['sent'] * 6
    assert {states[a] for a in readers[7:]} == {'queued'}
    assert [len(handler.received_by(a)) for a in readers] == [1] * 7 + [0] * 5

    # The next CI job: another checkout, the same service.
    second = checkout(tmp_path, rootdir, 'ci-2')
    status = main(send_from(second, database))
    output = capsys.readouterr().out
    assert status == 2, output  # done, one reader left uncertain
    assert 'À envoyer : 5' in output and 'Envoyés : 5' in output
    assert f'incertain : {maybe}' in output
    assert [len(handler.received_by(a)) for a in readers] == [1] * 12
    assert journal_of(service) == {**dict.fromkeys(readers, 'sent'), maybe: 'uncertain'}

    third = checkout(tmp_path, rootdir, 'ci-3')
    assert main(send_from(third, database)) == 2
    assert 'Rien à envoyer' in capsys.readouterr().out
    assert [len(handler.received_by(a)) for a in readers] == [1] * 12
    for folder in (first, second, third):
        assert not (folder / '.galien').exists()


def test_a_killed_send_leaves_its_reader_uncertain_in_the_service(
    service: Service,  # noqa: F811 (the fixtures above)
    relay_server: Server,  # noqa: F811
    readers: list[str],
    tmp_path: Path,
    rootdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = service.environ['GALIEN_ABONNES_DB']
    handler = relay_server.handler
    stuck = readers[5]
    # The relay takes lecteur05's message, then is slow to say so: the kill falls there.
    handler.slow[stuck] = 30
    first = checkout(tmp_path, rootdir, 'ci-1')
    process = subprocess.Popen(
        [sys.executable, '-m', 'galien', *send_from(first, database)],
        env={**os.environ, 'PYTHONPATH': f'{os.environ["PYTHONPATH"]}:{PROJECT / "extensions"}'},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while not handler.received_by(stuck):
        assert process.poll() is None, process.communicate()[0].decode()
        assert time.monotonic() < deadline, 'the run never reached lecteur05'
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    handler.slow.clear()
    # Written before the body left, in the service's database: « sending ».
    assert journal_of(service)[stuck] == 'sending'

    second = checkout(tmp_path, rootdir, 'ci-2')
    status = main(send_from(second, database))
    output = capsys.readouterr().out
    assert status == 2, output
    assert f'Envoi précédent interrompu : 1 incertain(s) : {stuck}' in output
    assert 'À envoyer : 6' in output and 'Envoyés : 6' in output
    assert [len(handler.received_by(a)) for a in readers] == [1] * 12
    assert journal_of(service)[stuck] == 'uncertain'

    # Asked explicitly, the uncertain reader alone is written to again.
    third = checkout(tmp_path, rootdir, 'ci-3')
    assert main(send_from(third, database, '--renvoyer', 'incertains')) == 0
    assert 'Envoyés : 1' in capsys.readouterr().out
    assert len(handler.received_by(stuck)) == 2
    assert journal_of(service)[stuck] == 'sent'


def test_one_send_at_a_time_on_the_service(service: Service) -> None:  # noqa: F811
    """A second ``sendlink`` cannot take the send lock while the first holds it."""
    holder = subprocess.Popen(
        [sys.executable, '-m', 'abonnements', 'sendlink'],
        env=service.environ,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.write('{"op": "journal-lock"}\n')
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == '{"locked": true}'
        # Asked not to wait the 10 s a killed run's ``sendlink`` may need to end.
        [refused] = service.ask({'op': 'journal-lock', 'wait': 0})
        assert refused == {'locked': False}
    finally:
        holder.communicate('')
    [taken] = service.ask({'op': 'journal-lock'})
    assert taken == {'locked': True}


def test_malformed_journal_requests_are_answered_with_an_error(service: Service) -> None:  # noqa: F811
    replies = service.ask(
        {'op': 'journal-set', 'numero': 20, 'address': 'a@b.fr', 'state': 'delivered'},
        {'op': 'journal-set', 'numero': '20', 'address': 'a@b.fr', 'state': 'sent'},
        {'op': 'journal-state', 'numero': 20, 'address': 'a' * 300},
        {'op': 'journal-enqueue', 'numero': 20, 'addresses': 'a@b.fr'},
        {'op': 'journal-lock', 'wait': 3600},
        {'op': 'journal-lock', 'wait': '0'},
    )
    assert all('error' in reply for reply in replies), replies
    assert service.ask({'op': 'journal-deliveries', 'numero': 20})[0] == {'deliveries': []}
