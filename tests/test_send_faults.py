"""``make send`` through faults: refusals, temporary errors, lost connections, a kill -9.

The SMTP server is real (aiosmtpd, tests/smtp_server.py); it answers chosen
recipients with 550, 552, 451 or 421, or hangs up in the middle of ``DATA``.
Nobody is written to twice, nobody is skipped without being named.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from test_send import send, send_arguments, write_list

from conftest import PROJECT_DIR, TESTS_DIR
from smtp_server import Server, running_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytest_plugins = ['test_send']


@pytest.fixture
def server() -> Iterator[Server]:
    yield from running_server()


def subscriber_list(path: Path, addresses: list[str]) -> Path:
    return write_list(path, 'email\n' + ''.join(f'{a}\n' for a in addresses), 'utf-8')


def journal_states(work: Path) -> dict[str, tuple[str, int | None]]:
    with sqlite3.connect(work / 'journal' / 'envois.sqlite3') as db:
        rows = db.execute('SELECT address, state, code FROM deliveries').fetchall()
    return {address: (state, code) for address, state, code in rows}


def test_refusals_temporary_errors_and_dropped_connections(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    handler = relay.handler
    handler.refuse['inconnu@chu-lille.fr'] = '550 5.1.1 <inconnu@chu-lille.fr>: user unknown'
    handler.refuse['pleine@chu-lille.fr'] = '552 5.2.2 mailbox full'
    handler.faults['lent@chu-lille.fr'] = ['451 4.3.0 try again later']
    handler.faults['ferme@chu-lille.fr'] = ['421 4.4.2 closing connection']
    # Cut before any data: nothing was transmitted, so the message is sent again.
    handler.rcpt_faults['coupe@chu-lille.fr'] = ['drop']
    # Busy through every try of this run: a temporary failure, tried again next run.
    handler.faults['occupe@chu-lille.fr'] = ['451 4.7.1 busy'] * 4
    readers = [
        'premier@chu-lille.fr',
        'inconnu@chu-lille.fr',
        'lent@chu-lille.fr',
        'ferme@chu-lille.fr',
        'pleine@chu-lille.fr',
        'coupe@chu-lille.fr',
        'occupe@chu-lille.fr',
        'dernier@chu-lille.fr',
    ]
    subscribers = subscriber_list(work / 'abonnes.csv', readers)

    first = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert first == 2, output
    received = {a: len(handler.received_by(a)) for a in readers}
    assert received == {
        'premier@chu-lille.fr': 1,
        'inconnu@chu-lille.fr': 0,
        'lent@chu-lille.fr': 1,
        'ferme@chu-lille.fr': 1,
        'pleine@chu-lille.fr': 0,
        'coupe@chu-lille.fr': 1,
        'occupe@chu-lille.fr': 0,
        'dernier@chu-lille.fr': 1,
    }
    # The 421 and the cut connection were followed by new connections.
    assert handler.connections >= 3
    assert 'Envoyés : 5' in output and 'Échecs : 3' in output
    assert 'inconnu@chu-lille.fr : 550 5.1.1 <inconnu@chu-lille.fr>: user unknown' in output
    assert 'pleine@chu-lille.fr : 552 5.2.2 mailbox full' in output
    assert 'occupe@chu-lille.fr : 451 4.7.1 busy' in output
    states = journal_states(work)
    assert states['inconnu@chu-lille.fr'] == ('failed', 550)
    assert states['occupe@chu-lille.fr'] == ('failed', 451)
    assert states['coupe@chu-lille.fr'] == ('sent', 250)
    # The unknown address joins the bounced list, left out next month; a full box does not.
    bounced = (work / 'rebonds.txt').read_text(encoding='utf-8')
    assert 'inconnu@chu-lille.fr' in bounced and 'pleine' not in bounced

    second = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert second == 0, output
    assert 'À envoyer : 1 (dont 1 nouvel essai après un échec temporaire)' in output
    assert '5 déjà servi(s)' in output and '1 adresse(s) inconnue(s) (rebonds)' in output
    assert 'échec précédent : pleine@chu-lille.fr : 552' in output
    assert {a: len(handler.received_by(a)) for a in readers} == {
        **received,
        'occupe@chu-lille.fr': 1,
    }

    third = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out
    assert third == 0 and 'Rien à envoyer' in output
    assert handler.count() == 6


def test_kill_9_in_the_middle_then_again_then_nothing(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sending process dies mid-transaction; the next run names the reader uncertain."""
    work = project.parent
    handler = relay.handler
    readers = [f'lecteur{n:02d}@chu-lille.fr' for n in range(1, 31)]
    stuck = 'lecteur12@chu-lille.fr'
    # The server takes lecteur12's message, then is slow to say so: the kill falls there.
    handler.slow[stuck] = 30
    subscribers = subscriber_list(work / 'abonnes.csv', readers)
    command = [
        sys.executable,
        '-m',
        'galien',
        *send_arguments(project),
        '--abonnes',
        str(subscribers),
        '--debit',
        '60000',
        '--confirmer',
        'oui',
    ]
    environment = {
        'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
        'PATH': '/usr/bin:/bin',
        'LANG': 'C.UTF-8',
        **relay.environment(),
    }
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 90
    while not handler.received_by(stuck):
        assert process.poll() is None, process.communicate()[0].decode()
        assert time.monotonic() < deadline, 'the run never reached lecteur12'
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert handler.count() == 12
    handler.slow.clear()

    second = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert second == 2, output
    assert f'Envoi précédent interrompu : 1 incertain(s) : {stuck}' in output
    assert 'À envoyer : 18' in output and 'Envoyés : 18' in output
    assert f'  {stuck} (reçu ou non : vérifiez, puis RENVOYER=incertains)' in output
    # Exactly one message each, the uncertain reader included (the server had it).
    assert {a: len(handler.received_by(a)) for a in readers} == dict.fromkeys(readers, 1)
    assert journal_states(work)[stuck] == ('uncertain', None)

    third = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out
    assert third == 2, output
    assert 'Rien à envoyer' in output and f'incertain : {stuck}' in output
    assert handler.count() == 30

    # Asked explicitly, the uncertain reader alone is written to again.
    fourth = send(
        project, '--abonnes', str(subscribers), '--confirmer', 'oui', '--renvoyer', 'incertains'
    )
    output = capsys.readouterr().out
    assert fourth == 0, output
    assert 'Envoyés : 1' in output
    assert len(handler.received_by(stuck)) == 2 and handler.count() == 31
    assert journal_states(work)[stuck] == ('sent', 250)
