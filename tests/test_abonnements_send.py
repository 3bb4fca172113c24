"""``make send ABONNES=<the service's database>``: the readers of the subscription service.

The service runs as a real process on SQLite and on PostgreSQL; ``make send``
reads the same database through ``python -m abonnements sendlink`` and delivers
to an aiosmtpd relay. An unsubscription, one-click or not, is honoured at once:
before the next run, and during a run that is going.
"""

from __future__ import annotations

import shutil
import threading
import time
from typing import TYPE_CHECKING

import pytest
import requests
from test_abonnements import ONE_CLICK, confirmed_reader
from tls_proxy import TlsProxy, self_signed

from abonnements_service import PROJECT, Service, new_database, postgresql_cluster
from conftest import TESTS_DIR
from galien.cli import main
from smtp_server import Server, running_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.abonnements


@pytest.fixture(scope='module')
def relay_server() -> Iterator[Server]:
    yield from running_server()


@pytest.fixture(scope='module')
def cluster() -> Iterator[str]:
    with postgresql_cluster() as url:
        yield url


@pytest.fixture(scope='module')
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The reverse proxy's certificate for 127.0.0.1, which ``make send`` is told to trust."""
    return self_signed(tmp_path_factory.mktemp('tls'))


@pytest.fixture(params=['sqlite', 'postgresql'])
def service(
    request: pytest.FixtureRequest,
    relay_server: Server,
    certificate: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Service]:
    home = tmp_path / 'service'
    home.mkdir()
    if request.param == 'sqlite':
        db = f'sqlite:///{home}/abonnes.sqlite3'
    else:
        db = new_database(request.getfixturevalue('cluster'), f'envoi_{tmp_path.name[-12:]}')
    running = Service(db, relay_server.port, home)
    running.start()
    # Its public address is https: a TLS front as the hospital's reverse proxy, so that
    # make send's one-click check (RFC 8058) gets its answer instead of waiting for one.
    front = TlsProxy(running.port, *certificate)
    running.public_url = front.url
    monkeypatch.setenv('SSL_CERT_FILE', str(certificate[0]))
    # make send's own environment: the relay, and what the service's command needs.
    for name in ('GALIEN_SMTP_USER', 'GALIEN_SMTP_PASSWORD', 'GALIEN_DKIM_KEY'):
        monkeypatch.delenv(name, raising=False)
    for name, value in relay_server.environment().items():
        monkeypatch.setenv(name, value)
    for name in ('GALIEN_ABONNES_SECRET_KEY', 'XDG_DATA_HOME'):
        monkeypatch.setenv(name, running.environ[name])
    monkeypatch.setenv('GALIEN_ABONNES_URL', front.url)
    monkeypatch.setenv('PYTHONPATH', f'{TESTS_DIR}:{PROJECT}')
    yield running
    front.close()
    running.stop()


@pytest.fixture
def project(tmp_path: Path, rootdir: Path) -> Path:
    (tmp_path / 'desinscrits.txt').write_text('# Désinscrits\n', encoding='utf-8')
    return shutil.copytree(rootdir / 'test-send', tmp_path / 'lettre')


def public(service: Service, url: str) -> str:
    """``url`` of the service as readers see it, through the TLS front."""
    return url.replace(service.url, service.public_url, 1)


def behind_proxy(service: Service, url: str) -> str:
    """A public ``url`` asked of the service itself (the front's certificate is the tests')."""
    return url.replace(service.public_url, service.url, 1)


def send(project: Path, database: str, *arguments: str, numero: int = 20) -> int:
    work = project.parent
    return main(
        [
            'send', '--numero', str(numero), '--project', str(project),
            '--build-dir', str(work / '_build'),
            '--journal', str(work / 'journal' / 'envois.sqlite3'),
            '--desinscrits', str(work / 'desinscrits.txt'),
            '--abonnes', database, '--confirmer', 'oui', '--attente', '0.01', *arguments,
        ]
    )  # fmt: skip


def import_readers(service: Service, addresses: list[str]) -> None:
    rows = ''.join(f'{a}\r\n' for a in addresses)
    path = service.home_file('liste.csv', f'Courriel\r\n{rows}')
    service.manage(
        'shell',
        '-c',
        f'from pathlib import Path; from abonnements.imports import import_csv; '
        f"import_csv(Path('{path}').read_bytes())",
    )


def test_send_to_the_service_readers_with_their_one_click_link(
    service: Service, relay_server: Server, project: Path
) -> None:
    helene = f'helene.{service.port}@chu-lille.fr'
    loic = f'loic.{service.port}@chu-lille.fr'
    url = confirmed_reader(service, relay_server, helene)
    confirmed_reader(service, relay_server, loic)

    assert send(project, service.environ['GALIEN_ABONNES_DB'], '--debit', '0') == 0
    [message] = [d.message for d in relay_server.handler.received_by(helene) if 'Galien' in str(
        d.message['List-Id'] or '')]  # fmt: skip
    header = str(message['List-Unsubscribe'])
    assert (
        f'<{public(service, url)}>' in header
        and 'mailto:desinscription@oscarlambret.test' in header
    )
    assert 'galien.test/desinscription' not in header and helene not in header
    assert message['List-Unsubscribe-Post'] == 'List-Unsubscribe=One-Click'

    # Gmail's one-click POST, then the next issue: nothing more to that reader.
    answer = requests.post(
        behind_proxy(service, url),
        data=ONE_CLICK,
        headers={'Content-Type': 'application/x-www-form-urlencoded'},
    )
    assert answer.status_code == 200
    before = len(relay_server.handler.received_by(helene))
    # The same issue sent afresh (a new journal): Loïc gets it again, Hélène does not.
    shutil.rmtree(project.parent / 'journal')
    assert send(project, service.environ['GALIEN_ABONNES_DB'], '--debit', '0') == 0
    assert len(relay_server.handler.received_by(helene)) == before
    assert len(relay_server.handler.received_by(loic)) == 3  # confirmation, twice the letter


def test_an_unsubscription_during_a_running_send_is_honoured_at_once(
    service: Service, relay_server: Server, project: Path
) -> None:
    readers = [f'lecteur{i:03d}.{service.port}@chu-lille.fr' for i in range(200)]
    import_readers(service, readers)
    leaving = readers[120]
    links = service.ask({'op': 'check', 'address': leaving})
    url = links[0]['unsubscribe']
    answered: list[float] = []

    def unsubscribe_midway() -> None:
        while len(relay_server.handler.received_by(readers[40])) == 0:
            time.sleep(0.01)
        response = requests.post(url, data=ONE_CLICK)
        assert response.status_code == 200
        answered.append(time.monotonic())

    worker = threading.Thread(target=unsubscribe_midway)
    worker.start()
    # Paced: 1,200 messages a minute, a run of about ten seconds.
    status = send(project, service.environ['GALIEN_ABONNES_DB'], '--debit', '1200')
    worker.join(30)
    assert answered, 'the unsubscription never happened during the run'
    assert status == 0
    assert relay_server.handler.received_by(leaving) == []
    assert relay_server.handler.received_by(readers[199])


def test_send_refuses_a_service_without_its_public_https_address(
    service: Service, relay_server: Server, project: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    confirmed_reader(service, relay_server, f'tot.{service.port}@chu-lille.fr')
    monkeypatch.setenv('GALIEN_ABONNES_URL', service.url)  # http://127.0.0.1:…
    before = relay_server.handler.count()
    assert send(project, service.environ['GALIEN_ABONNES_DB'], '--debit', '0') == 1
    assert 'GALIEN_ABONNES_URL' in capsys.readouterr().err
    assert relay_server.handler.count() == before
