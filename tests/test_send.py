"""``make send``: every reader's message as a real SMTP server receives it.

An aiosmtpd server on 127.0.0.1 (tests/smtp_server.py) takes the messages;
nothing of ``smtplib`` is replaced. The subscriber lists are written as the
centre has them (Excel's Windows-1252 with ``;``, UTF-8 with a BOM), and the
e-mail edition of a small tree (tests/roots/test-send) is built for each run.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from typing import TYPE_CHECKING

import dkim
import pytest
from bs4 import BeautifulSoup

from conftest import TESTS_DIR
from galien.cli import main
from galien.cli.subscribers import SubscriberError, read_subscribers
from smtp_server import Server, running_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ROOT = 'test-send'
#: An Excel export: Windows-1252, « ; », a duplicate in capitals, an invalid address.
EXCEL_LIST = (
    'Nom;Prénom;Courriel\r\n'
    'Dupont;Hélène;helene.dupont@chu-lille.fr\r\n'
    'Martin;Loïc;loic.martin@oscarlambret.fr\r\n'
    'Durand;Zoé;Zoe.Durand@CHU-LILLE.FR\r\n'
    'Dupont;Hélène;HELENE.DUPONT@CHU-LILLE.FR\r\n'
    'Faux;Léa;lea.faux@@chu-lille\r\n'
    'Parti;Noël;parti@chu-lille.fr\r\n'
    'Rebond;Anaïs;inconnu@chu-lille.fr\r\n'
)
READERS = [
    'helene.dupont@chu-lille.fr',
    'loic.martin@oscarlambret.fr',
    'Zoe.Durand@chu-lille.fr',
]


@pytest.fixture
def server() -> Iterator[Server]:
    yield from running_server()


@pytest.fixture
def project(tmp_path: Path, rootdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the test tree: a run writes nothing into the tests' sources.

    Its ``conf.py`` imports ``rootconf`` from tests/: the child process that
    builds the letter finds it on ``PYTHONPATH``, as it finds the extension.
    """
    monkeypatch.setenv('PYTHONPATH', str(TESTS_DIR))
    # The DESINSCRITS= every run names (send_arguments) exists, empty: a missing one is refused.
    (tmp_path / 'desinscrits.txt').write_text('# Désinscrits\n', encoding='utf-8')
    return shutil.copytree(rootdir / ROOT, tmp_path / 'lettre')


@pytest.fixture
def relay(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    for name in ('GALIEN_SMTP_USER', 'GALIEN_SMTP_PASSWORD', 'GALIEN_DKIM_KEY'):
        monkeypatch.delenv(name, raising=False)
    for name, value in server.environment().items():
        monkeypatch.setenv(name, value)
    return server


def write_list(path: Path, text: str, encoding: str = 'cp1252') -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def send_arguments(project: Path, numero: int = 20) -> list[str]:
    """``send`` for issue ``numero`` of ``project``, its build, journal and lists beside it."""
    work = project.parent
    return [
        'send',
        '--numero',
        str(numero),
        '--project',
        str(project),
        '--build-dir',
        str(work / '_build'),
        '--journal',
        str(work / 'journal' / 'envois.sqlite3'),
        '--desinscrits',
        str(work / 'desinscrits.txt'),
    ]


def send(project: Path, *arguments: str, numero: int = 20) -> int:
    """``make send`` in this process, fast: no pacing, short waits before a retry."""
    return main(
        [*send_arguments(project, numero), '--debit', '60000', '--attente', '0.01', *arguments]
    )


def links(html: str) -> list[str]:
    return [a['href'] for a in BeautifulSoup(html, 'html.parser').find_all('a')]


def test_each_reader_gets_one_message_of_their_own(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    subscribers = write_list(work / 'abonnes.csv', EXCEL_LIST)
    (work / 'desinscrits.txt').write_text('parti@chu-lille.fr\n', encoding='utf-8')
    (work / 'rebonds.txt').write_text('INCONNU@chu-lille.fr\n', encoding='utf-8')

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    output = capsys.readouterr().out

    assert status == 0, output
    assert 'abonnes.csv:6: adresse invalide « lea.faux@@chu-lille »' in output
    assert 'en double (abonnes.csv:5)' in output
    assert '1 désinscrit(s)' in output and '1 adresse(s) inconnue(s) (rebonds)' in output
    assert 'Envoyés : 3' in output
    delivered = relay.handler.delivered
    assert sorted(d.rcpt_tos[0] for d in delivered) == sorted(READERS)

    built_html = (work / '_build' / 'email' / 'galien-020.html').read_text(encoding='utf-8')
    built_text = (work / '_build' / 'email' / 'galien-020.txt').read_text(encoding='utf-8')
    assert 'µg/mL' in built_text and 'Tagrisso®' in built_text
    ids = set()
    for item in delivered:
        (address,) = item.rcpt_tos
        message = item.message
        assert item.mail_from == 'galien@oscarlambret.test'
        assert len(item.data) < 100 * 1024
        assert message['To'] == address
        assert message['Cc'] is None and message['Bcc'] is None and message['X-Unsent'] is None
        assert message['From'] == 'Galien <galien@oscarlambret.test>'
        assert message['Reply-To'] == 'cppcc@oscarlambret.test'
        assert message['Subject'] == 'Galien N° 20 – février 2018'
        assert message['Date']
        assert re.fullmatch(r'<galien-020\.[0-9a-f]{24}@oscarlambret\.test>', message['Message-ID'])
        ids.add(message['Message-ID'])
        assert message['List-Id'] == 'Galien <galien.oscarlambret.test>'
        # mailto: only: no one-click promise without the subscription service.
        assert message['List-Unsubscribe'] == (
            '<mailto:desinscription@oscarlambret.test?subject=desinscription>'
        )
        assert message['List-Unsubscribe-Post'] is None
        assert message.get_content_type() == 'multipart/alternative'
        text = message.get_body(('plain',)).get_content()
        html = message.get_body(('html',)).get_content()
        assert 'Pour ne plus recevoir cette lettre : mailto:desinscription@' in text
        footer = BeautifulSoup(html, 'html.parser').find(class_='galien-pied-desinscription')
        assert footer is not None and address in footer.get_text()
        assert footer['style']
        # The letter as built, links untouched, only the unsubscribe links added; no pixel.
        assert links(html) == [
            *links(built_html),
            'mailto:desinscription@oscarlambret.test?subject=desinscription',
        ]
        assert BeautifulSoup(html, 'html.parser').find('img') is None
        # The text part is the built one, the unsubscribe line after it.
        assert text.replace('\r\n', '\n').startswith(built_text.rstrip())
    assert len(ids) == 3

    with sqlite3.connect(work / 'journal' / 'envois.sqlite3') as db:
        rows = db.execute('SELECT address, state, code, queue_id FROM deliveries').fetchall()
        dump = '\n'.join(db.iterdump())
    assert sorted(rows) == sorted(
        (a.casefold(), 'sent', 250, f'Q{n:05d}')
        for n, a in enumerate([d.rcpt_tos[0] for d in delivered], 1)
    )
    # Only what sending needs: no names.
    assert 'Hélène' not in dump and 'Dupont' not in dump


def test_subscriber_lists_as_the_centre_has_them(tmp_path: Path) -> None:
    excel = read_subscribers(write_list(tmp_path / 'abonnes.csv', EXCEL_LIST))
    assert excel.addresses == [*READERS, 'parti@chu-lille.fr', 'inconnu@chu-lille.fr']
    assert [line.split(': ')[0] for line in excel.invalid] == ['abonnes.csv:6']
    assert excel.duplicates == ['abonnes.csv:5']

    bom = write_list(
        tmp_path / 'liste.csv',
        '\ufeffPrénom,Nom,E-Mail\nThị,Nguyễn,nguyen@chu-lille.fr\n'
        '"Anne, Marie",Lefèvre,anne.lefevre@chu-lille.fr\n\n'
        'X,Y,NGUYEN@chu-lille.fr\n',
        'utf-8',
    )
    utf8 = read_subscribers(bom)
    assert utf8.addresses == ['nguyen@chu-lille.fr', 'anne.lefevre@chu-lille.fr']
    assert utf8.duplicates == ['liste.csv:5']

    semicolon = write_list(
        tmp_path / 'export.csv',
        'Adresse électronique;Nom\r\npierre@chu-lille.fr;Pierre\r\n;Sans adresse\r\n',
        'utf-8',
    )
    plain = read_subscribers(semicolon)
    assert plain.addresses == ['pierre@chu-lille.fr']
    assert plain.invalid == ['export.csv:3: adresse absente']

    headless = write_list(tmp_path / 'sans.csv', 'Nom;Téléphone\nDupont;0320\n')
    with pytest.raises(SubscriberError, match=r'sans\.csv:1: aucune colonne'):
        read_subscribers(headless)


def test_simulation_connects_to_nothing(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    subscribers = write_list(work / 'abonnes.csv', EXCEL_LIST)

    status = send(project, '--abonnes', str(subscribers), '--simulation')
    captured = capsys.readouterr()
    output = captured.out

    assert status == 0, captured
    assert relay.handler.connections == 0 and relay.handler.delivered == []
    assert 'Relais : aucun (SIMULATION=1)' in output
    folder = work / '_build' / 'send' / '020'
    assert sorted(p.name for p in folder.iterdir()) == [
        '0001.eml',
        '0002.eml',
        '0003.eml',
        '0004.eml',
        '0005.eml',
        'resume.txt',
    ]
    summary = (folder / 'resume.txt').read_text(encoding='utf-8')
    assert '5 message(s)' in summary and 'helene.dupont@chu-lille.fr\t0001.eml' in summary
    first = (folder / '0001.eml').read_bytes()
    assert b'To: helene.dupont@chu-lille.fr' in first
    assert not (work / 'journal' / 'envois.sqlite3').exists()


def test_test_copy_goes_to_one_address_only(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    work = project.parent
    subscribers = write_list(work / 'abonnes.csv', EXCEL_LIST)

    status = send(project, '--abonnes', str(subscribers), '--test', 'relecture@oscarlambret.fr')
    output = capsys.readouterr().out

    assert status == 0, output
    (item,) = relay.handler.delivered
    assert item.rcpt_tos == ['relecture@oscarlambret.fr']
    assert item.message['Subject'] == '[TEST] Galien N° 20 – février 2018'
    assert item.message['To'] == 'relecture@oscarlambret.fr'
    # A test copy is not a delivery: the journal still owes everyone the issue.
    assert not (work / 'journal' / 'envois.sqlite3').exists()


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding='utf-8') + text, encoding='utf-8')


REFUSALS = {
    'draft': (21, '', 'le numéro 21 est un brouillon'),
    'unknown': (22, '', "le numéro 22 n'existe pas"),
    'placeholder': (20, "html_baseurl = 'https://galien.example.org/'\n", 'html_baseurl vaut'),
    'no-sender': (20, "galien_email_from = ''\n", "galien_email_from n'est pas défini"),
    'no-unsubscribe': (20, 'galien_unsubscribe = []\n', 'galien_unsubscribe est vide'),
    'warnings': (20, 'issue:\nVoir {footcite:t}`inconnue2017`.\n', 'avertissement(s)'),
    # core/config.py drops the http: address with a warning at start-up: sending refuses it.
    'config-warning': (
        20,
        "galien_unsubscribe = ['http://galien.test/desinscription', 'mailto:d@galien.test']\n",
        "l'e-mail du numéro 20 a 1 avertissement(s)",
    ),
    'too-big': (20, 'issue:\n' + 'Un paragraphe de la lettre, répété. ' * 4000, 'Ko'),
}


@pytest.mark.parametrize('case', REFUSALS)
def test_refusals_before_sending(
    case: str, project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    numero, change, expected = REFUSALS[case]
    if change.startswith('issue:'):
        append(project / 'issues' / '020.md', change.removeprefix('issue:'))
    elif change:
        append(project / 'conf.py', change)
    subscribers = write_list(project.parent / 'abonnes.csv', EXCEL_LIST)

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui', numero=numero)
    captured = capsys.readouterr()

    assert status == 1
    (refusal,) = [line for line in captured.err.splitlines() if line.startswith('make send :')]
    assert expected in captured.err, captured.err
    if case == 'config-warning':
        assert "conf.py:9: galien_unsubscribe : 'http://galien.test/" in captured.err
    assert relay.handler.connections == 0 and relay.handler.delivered == []
    assert not (project.parent / 'journal' / 'envois.sqlite3').exists()
    del refusal


def test_a_relay_without_tls_is_refused(
    project: Path,
    relay: Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv('GALIEN_SMTP_SECURITY')  # STARTTLS by default; this server has none
    subscribers = write_list(project.parent / 'abonnes.csv', EXCEL_LIST)

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    err = capsys.readouterr().err

    assert status == 1
    assert 'ne propose pas STARTTLS : rien n’est envoyé en clair' in err
    assert relay.handler.delivered == []
    with sqlite3.connect(project.parent / 'journal' / 'envois.sqlite3') as db:
        assert db.execute('SELECT count(*) FROM deliveries').fetchone() == (0,)


def test_without_a_terminal_sending_needs_confirmer_oui(
    project: Path, relay: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    subscribers = write_list(project.parent / 'abonnes.csv', EXCEL_LIST)

    status = send(project, '--abonnes', str(subscribers))
    output = capsys.readouterr().out

    assert status == 1
    assert 'À envoyer : 5' in output and 'confirmez avec CONFIRMER=oui' in output
    # The relay was asked what it can carry (EHLO: SMTPUTF8), and given nothing.
    assert relay.handler.count() == 0


def test_dkim_signature_covers_the_list_headers(
    project: Path,
    relay: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = tmp_path / 'dkim.pem'
    subprocess.run(['openssl', 'genrsa', '-out', str(key), '2048'], check=True, capture_output=True)
    public = subprocess.run(
        ['openssl', 'rsa', '-in', str(key), '-pubout', '-outform', 'DER'],
        check=True,
        capture_output=True,
    ).stdout
    monkeypatch.setenv('GALIEN_DKIM_KEY', str(key))
    subscribers = write_list(tmp_path / 'abonnes.csv', EXCEL_LIST)

    assert send(project, '--abonnes', str(subscribers), '--confirmer', 'oui') == 0, (
        capsys.readouterr()
    )

    import base64

    record = b'v=DKIM1; k=rsa; p=' + base64.b64encode(public)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b'galien2018._domainkey.oscarlambret.test.'
        return record

    assert len(relay.handler.delivered) == 5
    for item in relay.handler.delivered:
        signature = item.message['DKIM-Signature']
        assert 'd=oscarlambret.test' in signature and 's=galien2018' in signature
        signed = re.search(r'h=([^;]+)', signature.replace(' ', ''))
        assert signed is not None
        headers = signed[1].replace('\r\n', '').split(':')
        assert {'from', 'to', 'subject', 'message-id', 'list-unsubscribe'} <= set(headers)
        assert 'list-unsubscribe-post' in headers
        assert dkim.verify(item.data, dnsfunc=dns)
        forged = item.data.replace(b'subject=desinscription', b'subject=x', 1)
        assert not dkim.verify(forged, dnsfunc=dns)


def test_a_dkim_key_that_cannot_sign_is_refused_before_anything(
    project: Path,
    relay: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = tmp_path / 'pas-une-cle.pem'
    key.write_text('-----BEGIN NOTHING-----\n', encoding='utf-8')
    monkeypatch.setenv('GALIEN_DKIM_KEY', str(key))
    subscribers = write_list(tmp_path / 'abonnes.csv', EXCEL_LIST)

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    captured = capsys.readouterr()

    assert status == 1
    assert 'make send : GALIEN_DKIM_KEY : la clé ne permet pas de signer' in captured.err
    assert relay.handler.connections == 0
