"""The lists around ``make send``: bounces read from a mailbox, and none of it in git.

``make rebonds`` reads real delivery reports (RFC 3464) from an mbox file or a
Maildir folder with ``flufl.bounce``; ``make check`` refuses a tracked
subscriber list, whatever it is called, as long as it has an address column.
"""

from __future__ import annotations

import email
import mailbox
import subprocess
from email import policy
from email.message import EmailMessage
from typing import TYPE_CHECKING

import pytest

from conftest import PROJECT_DIR
from galien.cli import main

if TYPE_CHECKING:
    from pathlib import Path


def delivery_report(recipient: str, action: str, status: str) -> EmailMessage:
    """A relay's delivery status notification (RFC 3464), as Postfix writes it."""
    text = (
        'From: MAILER-DAEMON@relais.chu-lille.fr\n'
        'To: galien@oscarlambret.fr\n'
        'Subject: Undelivered Mail Returned to Sender\n'
        'MIME-Version: 1.0\n'
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B0"\n'
        '\n'
        '--B0\n'
        'Content-Type: text/plain; charset=utf-8\n'
        '\n'
        f'The message to {recipient} could not be delivered.\n'
        '--B0\n'
        'Content-Type: message/delivery-status\n'
        '\n'
        'Reporting-MTA: dns; relais.chu-lille.fr\n'
        '\n'
        f'Final-Recipient: rfc822; {recipient}\n'
        f'Action: {action}\n'
        f'Status: {status}\n'
        f'Diagnostic-Code: smtp; {status[0]}50 {status} mailbox problem\n'
        '\n'
        '--B0--\n'
    )
    return email.message_from_string(text, policy=policy.default)  # type: ignore[return-value]


def an_ordinary_reply() -> EmailMessage:
    reply = EmailMessage()
    reply['From'] = 'lecteur@chu-lille.fr'
    reply['Subject'] = 'Merci pour la lettre'
    reply.set_content('Très intéressant.')
    return reply


REPORTS = [
    delivery_report('Parti@chu-lille.fr', 'failed', '5.1.1'),
    delivery_report('absent@oscarlambret.fr', 'failed', '5.1.1'),
    delivery_report('retard@chu-lille.fr', 'delayed', '4.4.1'),
    an_ordinary_reply(),
]


@pytest.mark.parametrize('kind', ['mbox', 'Maildir'])
def test_rebonds_adds_hard_bounces_once(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / ('rapports.mbox' if kind == 'mbox' else 'Rapports')
    box = mailbox.mbox(path) if kind == 'mbox' else mailbox.Maildir(path)
    for message in REPORTS:
        box.add(message)
    box.close()
    unsubscribed = tmp_path / 'desinscrits.txt'
    bounced = tmp_path / 'rebonds.txt'
    bounced.write_text('ancien@chu-lille.fr\n', encoding='utf-8')

    assert main(['rebonds', str(path), '--desinscrits', str(unsubscribed)]) == 0
    output = capsys.readouterr().out

    assert '4 message(s) lu(s)' in output and '3 rapport(s) de non-remise' in output
    assert 'Adresses inconnues (définitives) : 2, dont 2 nouvelle(s)' in output
    assert 'Échecs temporaires (non retenus) : 1' in output
    lines = bounced.read_text(encoding='utf-8').splitlines()
    assert lines == ['ancien@chu-lille.fr', 'absent@oscarlambret.fr', 'parti@chu-lille.fr']

    assert main(['rebonds', str(path), '--desinscrits', str(unsubscribed)]) == 0
    assert 'dont 0 nouvelle(s)' in capsys.readouterr().out
    assert bounced.read_text(encoding='utf-8').splitlines() == lines


def test_rebonds_names_a_path_that_is_no_mailbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(['rebonds', str(tmp_path / 'absente')]) == 1
    assert 'boîte aux lettres introuvable' in capsys.readouterr().err


def git_repository(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    subprocess.run(['git', 'init', '-q', str(folder)], check=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding='utf-8')
    # Forced: the project's .gitignore would keep abonnes.csv out of an ordinary add.
    subprocess.run(['git', '-C', str(folder), 'add', '--force', '.'], check=True)
    return folder


@pytest.mark.parametrize(
    ('files', 'refused'),
    [
        ({'abonnes.csv': 'Nom\nDupont\n'}, 'abonnes.csv'),
        ({'data/liste-2018.csv': 'Nom;Courriel\nDupont;d@chu-lille.fr\n'}, 'liste-2018.csv'),
        ({'desinscrits.txt': 'd@chu-lille.fr\n'}, 'desinscrits.txt'),
        ({'.galien/envois.sqlite3': ''}, 'envois.sqlite3'),
    ],
)
def test_make_check_refuses_a_tracked_subscriber_list(
    files: dict[str, str], refused: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = git_repository(tmp_path / 'depot', {'index.md': '# Galien\n', **files})

    assert main(['check-private', '--project', str(repository)]) == 1
    err = capsys.readouterr().err
    assert refused in err and 'données personnelles suivies par git' in err


def test_make_check_accepts_other_data_and_the_project_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = git_repository(
        tmp_path / 'depot', {'chiffres.csv': 'annee;valeur\n2018;15\n', 'index.md': '# G\n'}
    )
    assert main(['check-private', '--project', str(repository)]) == 0
    assert main(['check-private', '--project', str(PROJECT_DIR)]) == 0
    # make check runs it: its commands, as make would run them (-n: none is run).
    dry_run = subprocess.run(
        ['make', '-n', '--no-print-directory', 'check'],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '-m galien check-private' in dry_run.stdout
    capsys.readouterr()


def test_subscriber_data_and_the_journal_are_ignored_by_git() -> None:
    names = [
        'abonnes.csv',
        'abonnes-2018.csv',
        'desinscrits.txt',
        'rebonds.txt',
        '.galien/envois.sqlite3',
    ]
    result = subprocess.run(
        ['git', '-C', str(PROJECT_DIR), 'check-ignore', '--no-index', *names],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == names


def exchange_report(recipients: list[tuple[str, str, str]]) -> EmailMessage:
    """Exchange's non-delivery report: an HTML part, then one block per recipient."""
    blocks = ''.join(
        f'Final-Recipient: rfc822;{address}\n'
        f'Action: {action}\n'
        f'Status: {status}\n'
        'Remote-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com\n'
        f'X-Display-Name: {address}\n'
        '\n'
        for address, action, status in recipients
    )
    text = (
        'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@chu.fr>\n'
        'To: galien@oscarlambret.fr\n'
        'Subject: Non remis : Galien 20\n'
        'MIME-Version: 1.0\n'
        'X-MS-Exchange-Message-Is-Ndr:\n'
        'Content-Type: multipart/report; report-type=delivery-status; boundary="NDR"\n'
        '\n'
        '--NDR\n'
        'Content-Type: text/html; charset=utf-8\n'
        '\n'
        '<p>Impossible de remettre votre message.</p>\n'
        '--NDR\n'
        'Content-Type: message/delivery-status\n'
        '\n'
        'Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com\n'
        'Received-From-MTA: dns;relais.oscarlambret.fr\n'
        'Arrival-Date: Mon, 5 Feb 2018 09:00:00 +0000\n'
        '\n'
        f'{blocks}'
        '--NDR--\n'
    )
    return email.message_from_string(text, policy=policy.default)  # type: ignore[return-value]


def test_rebonds_adds_only_5xx_statuses_whatever_the_action(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """RFC 3463: the status decides; « failed » with 4.4.7 (queue expired) is temporary."""
    path = tmp_path / 'rapports.mbox'
    box = mailbox.mbox(path)
    box.add(delivery_report('inconnu@chu-lille.fr', 'failed', '5.1.1'))  # Postfix
    box.add(delivery_report('pleine@chu-lille.fr', 'delayed', '4.2.2'))  # Postfix, box full
    box.add(
        exchange_report(
            [
                ('parti@chu.fr', 'failed', '5.1.10'),
                ('expire@chu.fr', 'failed', '4.4.7'),
            ]
        )
    )
    box.close()
    unsubscribed = tmp_path / 'desinscrits.txt'

    assert main(['rebonds', str(path), '--desinscrits', str(unsubscribed)]) == 0
    output = capsys.readouterr().out

    assert '3 message(s) lu(s)' in output and '3 rapport(s) de non-remise' in output
    assert 'Adresses inconnues (définitives) : 2, dont 2 nouvelle(s)' in output
    assert 'Échecs temporaires (non retenus) : 2' in output
    assert '  expire@chu.fr : 4.4.7' in output and '  pleine@chu-lille.fr : 4.2.2' in output
    added = (tmp_path / 'rebonds.txt').read_text(encoding='utf-8').splitlines()
    assert added == ['# Adresses inconnues (rebonds)', 'inconnu@chu-lille.fr', 'parti@chu.fr']
