"""``make send`` against relays that misbehave: exactly once, or said to be uncertain.

Real aiosmtpd relays on 127.0.0.1 (tests/smtp_server.py): one that keeps a
message then hangs up before its reply, one slower than the timeout after the
end of data, one that refuses connections for a while, one that is down, with
and without SMTPUTF8; a run stopped by SIGINT or SIGTERM; lists that are not
there; and the letter's build, which must see none of the relay's secrets.
"""

from __future__ import annotations

import json
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
from galien.cli import main
from smtp_server import Server, running_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytest_plugins = ['test_send']

READERS = [f'lecteur{n}@chu-lille.fr' for n in range(1, 7)]


@pytest.fixture
def server() -> Iterator[Server]:
    yield from running_server()


def subscriber_list(work: Path, addresses: list[str]) -> Path:
    return write_list(
        work / 'abonnes.csv', 'email\n' + ''.join(f'{a}\n' for a in addresses), 'utf-8'
    )


def journal_states(work: Path) -> dict[str, str]:
    with sqlite3.connect(work / 'journal' / 'envois.sqlite3') as db:
        return dict(db.execute('SELECT address, state FROM deliveries').fetchall())


def copies(relay: Server, addresses: list[str]) -> dict[str, int]:
    return {a: len(relay.handler.received_by(a)) for a in addresses}


def test_a_message_kept_then_cut_before_the_reply_is_uncertain_and_never_resent(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """RFC 1047: the relay has the message, the client never hears so."""
    work = project.parent
    relay.handler.faults[READERS[1]] = ['store-drop']
    relay.handler.faults[READERS[4]] = ['store-drop']
    subscribers = subscriber_list(work, READERS)

    first = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert first == 2, output
    assert 'Envoyés : 4' in output and 'Incertains : 2' in output
    assert f'  {READERS[1]} (reçu ou non : vérifiez, puis RENVOYER=incertains)' in output
    assert copies(relay, READERS) == dict.fromkeys(READERS, 1)
    states = journal_states(work)
    assert states[READERS[1]] == states[READERS[4]] == 'uncertain'

    again = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out
    assert again == 2 and 'Rien à envoyer' in output, output
    assert f'incertain : {READERS[4]}' in output
    assert copies(relay, READERS) == dict.fromkeys(READERS, 1)


def test_a_relay_slower_than_the_timeout_after_data_makes_the_reader_uncertain(
    project: Path,
    relay: Server,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = project.parent
    monkeypatch.setenv('GALIEN_SMTP_DATA_TIMEOUT', '0.5')
    relay.handler.slow[READERS[2]] = 2.0
    subscribers = subscriber_list(work, READERS)

    first = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert first == 2, output
    assert 'Envoyés : 5' in output and 'Incertains : 1' in output
    assert journal_states(work)[READERS[2]] == 'uncertain'
    assert copies(relay, READERS) == dict.fromkeys(READERS, 1)
    relay.handler.slow.clear()

    again = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    assert again == 2 and 'Rien à envoyer' in capsys.readouterr().out
    assert relay.handler.count() == len(READERS)


def test_refused_connections_then_accepted_make_nobody_uncertain(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing was transmitted while the relay refused: everyone once, nobody uncertain."""
    work = project.parent
    relay.handler.refuse_connections = 3
    # Cut at RCPT TO, before any data: a new connection, and the message sent once.
    relay.handler.rcpt_faults[READERS[3]] = ['drop']
    subscribers = subscriber_list(work, READERS)

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert status == 0, output
    assert 'Envoyés : 6' in output and 'Incertains : 0' in output
    assert copies(relay, READERS) == dict.fromkeys(READERS, 1)
    assert set(journal_states(work).values()) == {'sent'}


def test_a_relay_down_at_start_ends_in_a_report_then_a_rerun_completes(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    relay.handler.refuse_connections = 1000
    subscribers = subscriber_list(work, READERS)

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    captured = capsys.readouterr()

    assert status == 3, captured
    assert f'Envoi arrêté : le relais 127.0.0.1:{relay.port} ne répond pas' in captured.out
    assert 'Envoyés : 0' in captured.out and 'Incertains : 0' in captured.out
    assert 'Non envoyés : 6' in captured.out and 'Journal : ' in captured.out
    assert 'Traceback' not in captured.out + captured.err
    assert relay.handler.count() == 0

    relay.handler.refuse_connections = 0
    again = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out
    assert again == 0, output
    assert copies(relay, READERS) == dict.fromkeys(READERS, 1)


INTERNATIONAL = [
    'hélène.dupont@chu-lille.fr',
    'm@exämple.net',
    'l@xn--80ak6aa92e.com',
    'simple@chu-lille.fr',
]


def test_international_addresses_over_a_relay_that_announces_smtputf8(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    subscribers = subscriber_list(work, INTERNATIONAL)

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert status == 0, output
    received = {d.rcpt_tos[0]: d for d in relay.handler.delivered}
    # The domains as A-labels, in the envelope and in To: (never a look-alike Unicode name).
    assert sorted(received) == sorted(
        [
            'hélène.dupont@chu-lille.fr',
            'm@xn--exmple-cua.net',
            'l@xn--80ak6aa92e.com',
            'simple@chu-lille.fr',
        ]
    )
    for address, delivered in received.items():
        assert f'To: {address}\r\n'.encode() in delivered.data
        assert ('SMTPUTF8' in delivered.mail_options) == (not address.isascii())
    assert received['hélène.dupont@chu-lille.fr'].message['To'] == 'hélène.dupont@chu-lille.fr'


def test_an_international_local_part_without_smtputf8_is_left_out_before_the_run(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    subscribers = subscriber_list(work, INTERNATIONAL)
    for plain in running_server(smtputf8=False):
        for name, value in plain.environment().items():
            monkeypatch.setenv(name, value)

        status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
        captured = capsys.readouterr()

        assert status == 2, captured
        assert (
            'abonnes.csv:2: adresse internationale « hélène.dupont@chu-lille.fr » : le relais '
            "ne l'accepte pas"
        ) in captured.out
        assert 'À envoyer : 3' in captured.out and 'Envoyés : 3' in captured.out
        assert 'Traceback' not in captured.out + captured.err
        assert sorted(d.rcpt_tos[0] for d in plain.handler.delivered) == [
            'l@xn--80ak6aa92e.com',
            'm@xn--exmple-cua.net',
            'simple@chu-lille.fr',
        ]


@pytest.mark.parametrize(
    ('signum', 'status', 'said'),
    [(signal.SIGINT, 130, 'Ctrl-C'), (signal.SIGTERM, 143, 'signal SIGTERM')],
)
def test_a_signal_in_the_middle_ends_in_a_report_then_a_rerun_completes(
    signum: int,
    status: int,
    said: str,
    project: Path,
    relay: Server,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = project.parent
    readers = [f'lecteur{n:02d}@chu-lille.fr' for n in range(1, 21)]
    # Each message kept at once, its reply late: the signal falls in a transaction.
    relay.handler.slow.update(dict.fromkeys(readers, 0.2))
    subscribers = subscriber_list(work, readers)
    command = [
        sys.executable,
        '-m',
        'galien',
        *send_arguments(project),
        '--abonnes',
        str(subscribers),
        '--debit',
        '0',
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
    while relay.handler.count() < 4:
        assert process.poll() is None, process.communicate()[0].decode()
        assert time.monotonic() < deadline, 'the run never reached its 4th reader'
        time.sleep(0.02)
    process.send_signal(signum)
    output = process.communicate(timeout=60)[0].decode()

    assert process.returncode == status, output
    assert f'Envoi arrêté : interrompu ({said}) ; relancez make send pour continuer' in output
    assert 'Envoyés : ' in output and 'Incertains : ' in output and 'Non envoyés : ' in output
    assert 'Journal : ' in output and 'Traceback' not in output
    assert relay.handler.count() < len(readers)
    relay.handler.slow.clear()

    again = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out
    assert again in (0, 2), output
    # Whoever was in hand is sent or uncertain, never twice; all the others once.
    assert copies(relay, readers) == dict.fromkeys(readers, 1)
    assert set(journal_states(work).values()) <= {'sent', 'uncertain'}


def test_a_misspelt_desinscrits_is_refused_before_anything(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    subscribers = subscriber_list(work, READERS)
    misspelt = work / 'desinscirts.txt'

    status = send(
        project, '--abonnes', str(subscribers), '--confirmer', 'oui', '--desinscrits', str(misspelt)
    )
    captured = capsys.readouterr()

    assert status == 1
    assert f'make send : DESINSCRITS : {misspelt} : fichier introuvable' in captured.err
    assert relay.handler.connections == 0 and relay.handler.count() == 0

    no_addresses = write_list(work / 'desinscrits.csv', 'Nom;Service\nDupont;Pharmacie\n')
    status = send(
        project,
        '--abonnes',
        str(subscribers),
        '--confirmer',
        'oui',
        '--desinscrits',
        str(no_addresses),
    )
    assert status == 1
    assert 'aucune adresse' in capsys.readouterr().err
    assert relay.handler.count() == 0


def test_the_default_desinscrits_may_be_absent_and_the_summary_says_so(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    subscribers = subscriber_list(work, READERS[:2])
    arguments = [a for a in send_arguments(project) if a != '--desinscrits']
    arguments = [a for a in arguments if not a.endswith('desinscrits.txt')]

    status = main([*arguments, '--abonnes', str(subscribers), '--confirmer', 'oui'])
    output = capsys.readouterr().out

    assert status == 0, output
    assert f'Liste des désinscrits : aucune ({project / "desinscrits.txt"} absent)' in output
    assert relay.handler.count() == 2


def test_the_letter_is_built_without_the_relay_and_signature_secrets(
    project: Path,
    relay: Server,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """conf.py runs while the letter is built: it must find no GALIEN_SMTP_*/GALIEN_DKIM_*."""
    work = project.parent
    dump = work / 'environnement-de-la-construction.json'
    with (project / 'conf.py').open('a', encoding='utf-8') as conf:
        conf.write(
            '\nimport json as _json, os as _os, pathlib as _pathlib\n'
            "_pathlib.Path(_os.environ['GALIEN_TEST_DUMP']).write_text("
            '_json.dumps(sorted(_os.environ)))\n'
        )
    monkeypatch.setenv('GALIEN_TEST_DUMP', str(dump))
    monkeypatch.setenv('GALIEN_SMTP_PASSWORD', 'mot-de-passe')
    monkeypatch.setenv('GALIEN_DKIM_PASSPHRASE', 'phrase')
    subscribers = subscriber_list(work, READERS[:1])

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert status == 0, output
    # The sending process had the relay's settings: the message went out through them.
    assert relay.handler.count() == 1
    seen = json.loads(dump.read_text(encoding='utf-8'))
    assert 'GALIEN_TEST_DUMP' in seen and 'PATH' in seen
    assert [name for name in seen if name.startswith(('GALIEN_SMTP_', 'GALIEN_DKIM_'))] == []
    assert os.environ['GALIEN_SMTP_PASSWORD'] == 'mot-de-passe'


@pytest.mark.parametrize(('rate', 'at_least', 'below'), [('max', 0.0, 1.0), ('0', 0.0, 1.0)])
def test_debit_0_or_max_sends_without_pacing(
    rate: str,
    at_least: float,
    below: float,
    project: Path,
    relay: Server,
    capsys: pytest.CaptureFixture[str],
) -> None:
    subscribers = subscriber_list(project.parent, READERS)
    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui', '--debit', rate)
    output = capsys.readouterr().out
    assert status == 0, output
    assert 'sans attente entre les messages (DEBIT=0)' in output
    times = [d.at for d in relay.handler.delivered]
    assert at_least <= max(times) - min(times) < below


def test_debit_paces_the_messages(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """The measure above can fail: at 120 a minute, six messages take 2.5 s at least."""
    subscribers = subscriber_list(project.parent, READERS)
    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui', '--debit', '120')
    assert status == 0, capsys.readouterr().out
    times = [d.at for d in relay.handler.delivered]
    assert max(times) - min(times) >= 2.4


def test_a_relay_lost_before_the_data_leaves_the_reader_unsent_not_uncertain(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cut at RCPT TO, then down: nothing of that reader's message left, so not uncertain."""
    work = project.parent
    relay.handler.rcpt_faults[READERS[2]] = ['down']
    subscribers = subscriber_list(work, READERS)

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    captured = capsys.readouterr()

    assert status == 3, captured
    assert 'Envoyés : 2' in captured.out and 'Incertains : 0' in captured.out
    assert 'Non envoyés : 4' in captured.out
    assert 'Traceback' not in captured.out + captured.err
    assert journal_states(work)[READERS[2]] == 'queued'

    relay.handler.refuse_connections = 0
    again = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out
    assert again == 0 and 'À envoyer : 4' in output, output
    assert copies(relay, READERS) == dict.fromkeys(READERS, 1)


def limited_file_size() -> None:
    """In the child: no file beyond 200 KB, as on a disk that fills up (EFBIG, not SIGXFSZ:
    Python ignores that signal)."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_journal_that_cannot_be_written_stops_the_run_with_a_report(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    readers = [f'lecteur{n:03d}@chu-lille.fr' for n in range(1, 121)]
    subscribers = subscriber_list(work, readers)
    command = [
        sys.executable,
        '-m',
        'galien',
        *send_arguments(project),
        '--abonnes',
        str(subscribers),
        '--debit',
        '0',
        '--confirmer',
        'oui',
    ]
    environment = {
        'PYTHONPATH': f'{TESTS_DIR}:{PROJECT_DIR / "extensions"}',
        'PATH': '/usr/bin:/bin',
        'LANG': 'C.UTF-8',
        'PYTHONDONTWRITEBYTECODE': '1',
        **relay.environment(),
    }
    completed = subprocess.run(
        command,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited_file_size,
        check=False,
    )
    output = completed.stdout + completed.stderr

    assert completed.returncode == 3, output
    assert 'ne peut plus être écrit' in output and 'Traceback' not in output
    assert 'Non envoyés : ' in output and 'Journal : ' in output
    sent_before = relay.handler.count()
    assert 0 < sent_before < len(readers)

    again = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out
    assert again in (0, 2), output
    # The reader in hand when the journal failed may be uncertain: never twice, though.
    assert copies(relay, readers) == dict.fromkeys(readers, 1)


def test_ctrl_c_while_the_letter_is_built_ends_in_one_line(project: Path, relay: Server) -> None:
    """Ctrl-C as a terminal sends it, to the whole foreground process group."""
    subscribers = subscriber_list(project.parent, READERS)
    command = [
        sys.executable,
        '-m',
        'galien',
        *send_arguments(project),
        '--abonnes',
        str(subscribers),
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
        command,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline().decode()
    assert first.startswith("Construction de l'e-mail du numéro 20"), first
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)
    output = first + process.communicate(timeout=60)[0].decode()

    assert process.returncode == 130, output
    assert 'Envoi interrompu (Ctrl-C) avant le premier message : rien n’a été envoyé.' in output
    assert 'Traceback' not in output and 'KeyboardInterrupt' not in output
    assert relay.handler.count() == 0


def test_a_journal_with_unicode_domains_still_counts_those_readers_served(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """Journals kept ``m@exämple.net`` before domains became A-labels: no second copy."""
    work = project.parent
    (work / 'journal').mkdir()
    with sqlite3.connect(work / 'journal' / 'envois.sqlite3') as db:
        db.execute(
            'CREATE TABLE deliveries (numero INTEGER NOT NULL, address TEXT NOT NULL, '
            "state TEXT NOT NULL, code INTEGER, reply TEXT NOT NULL DEFAULT '', "
            "queue_id TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, "
            'updated TEXT NOT NULL, PRIMARY KEY (numero, address))'
        )
        db.execute(
            "INSERT INTO deliveries VALUES (20, 'm@exämple.net', 'sent', 250, '', '', 1, '')"
        )
    subscribers = subscriber_list(work, ['m@exämple.net', 'simple@chu-lille.fr'])

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert status == 0, output
    assert '1 déjà servi(s) pour ce numéro' in output and 'À envoyer : 1' in output
    assert [d.rcpt_tos for d in relay.handler.delivered] == [['simple@chu-lille.fr']]


def test_a_debit_that_is_no_rate_is_refused_in_one_line(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    subscribers = subscriber_list(project.parent, READERS)
    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui', '--debit', 'vite')
    assert status == 1
    assert 'make send : DEBIT vaut « vite »' in capsys.readouterr().err
    assert relay.handler.connections == 0
