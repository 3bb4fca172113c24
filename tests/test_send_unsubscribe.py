"""``make send`` refuses an ``https:`` unsubscribe address that would not unsubscribe.

The one-click header (RFC 8058) makes the reader's mail client POST
``List-Unsubscribe=One-Click`` to the address and say « désabonné ». So an
``https:`` address of ``galien_unsubscribe`` must be the subscription service's
(under ``GALIEN_ABONNES_URL``), and answer 200 to that POST with a dummy token:
real HTTPS servers on 127.0.0.1 (a static site answering 405 or 404, and the
service itself behind a TLS front), nothing sent when refused.
"""

from __future__ import annotations

import http.server
import threading
from typing import TYPE_CHECKING, Any

import pytest
from test_abonnements import confirmed_reader
from test_send import EXCEL_LIST, send, write_list
from tls_proxy import TlsProxy, self_signed

from abonnements_service import Service
from conftest import TESTS_DIR

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from smtp_server import Server

pytest_plugins = ['test_send']


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that ``make send`` (and it alone) trusts."""
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv('SSL_CERT_FILE', str(cert))
    return cert, key


class StaticSite(http.server.BaseHTTPRequestHandler):
    """A static web server: GET answers, POST is refused with the class's status."""

    status = 405
    posts: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get('Content-Length', 0))
        StaticSite.posts.append(
            {
                'path': self.path,
                'body': self.rfile.read(length),
                'type': self.headers.get('Content-Type'),
                'cookie': self.headers.get('Cookie'),
            }
        )
        self.send_error(self.status)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def static_site(request: pytest.FixtureRequest) -> Iterator[tuple[int, int]]:
    """A static site's port, and the status it answers a POST with."""
    handler = type('Site', (StaticSite,), {'status': request.param})
    StaticSite.posts = []
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1]), request.param
    server.shutdown()
    server.server_close()


def configure(project: Path, *addresses: str) -> None:
    with (project / 'conf.py').open('a', encoding='utf-8') as conf:
        conf.write(f'galien_unsubscribe = {list(addresses)!r}\n')


def test_an_address_that_is_not_the_service_is_refused(
    project: Path,
    relay: Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(
        project,
        'mailto:desinscription@oscarlambret.test',
        'https://galien.test/desinscription?adresse={adresse}',
    )
    monkeypatch.delenv('GALIEN_ABONNES_URL', raising=False)
    subscribers = write_list(project.parent / 'abonnes.csv', EXCEL_LIST)

    status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    error = capsys.readouterr().err

    assert status == 1
    assert 'make send : galien_unsubscribe : l’adresse https://galien.test/desinscription' in error
    assert 'n’est pas celle du service d’abonnement (GALIEN_ABONNES_URL n’est pas défini)' in error
    assert relay.handler.connections == 0

    # Under another site than the service's: refused as well.
    monkeypatch.setenv('GALIEN_ABONNES_URL', 'https://galien.test/abonnement/')
    assert send(project, '--abonnes', str(subscribers), '--confirmer', 'oui') == 1
    assert '(https://galien.test/abonnement/)' in capsys.readouterr().err
    assert relay.handler.connections == 0


@pytest.mark.parametrize('static_site', [405, 404], indirect=True)
def test_an_address_that_does_not_answer_200_to_the_one_click_post_is_refused(
    project: Path,
    relay: Server,
    static_site: tuple[int, int],
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port, answer = static_site
    front = TlsProxy(port, *certificate)
    try:
        # Said to be the service's, but a static site answers there.
        monkeypatch.setenv('GALIEN_ABONNES_URL', f'{front.url}abonnement/')
        configure(
            project,
            'mailto:desinscription@oscarlambret.test',
            f'{front.url}abonnement/desinscription?adresse={{adresse}}',
        )
        subscribers = write_list(project.parent / 'abonnes.csv', EXCEL_LIST)
        status = send(project, '--abonnes', str(subscribers), '--confirmer', 'oui')
    finally:
        front.close()
    error = capsys.readouterr().err

    assert status == 1, error
    assert f'répond {answer} au POST « List-Unsubscribe=One-Click » (RFC 8058)' in error
    assert relay.handler.connections == 0
    # Exactly what a mail client sends: form-encoded, no cookie, a dummy address.
    [post] = StaticSite.posts
    assert post['body'] == b'List-Unsubscribe=One-Click'
    assert post['type'] == 'application/x-www-form-urlencoded'
    assert post['cookie'] is None
    assert post['path'] == '/abonnement/desinscription?adresse=essai-desinscription@galien.invalid'


@pytest.fixture
def tls_service(
    tmp_path: Path, server: Server, certificate: tuple[Path, Path]
) -> Iterator[tuple[Service, TlsProxy]]:
    """The service on SQLite, behind a TLS front as in production."""
    home = tmp_path / 'service'
    home.mkdir()
    running = Service(f'sqlite:///{home}/abonnes.sqlite3', server.port, home)
    running.start()
    front = TlsProxy(running.port, *certificate)
    yield running, front
    front.close()
    running.stop()


def service_environment(
    monkeypatch: pytest.MonkeyPatch, running: Service, public: str, relay: Server
) -> None:
    for name, value in relay.environment().items():
        monkeypatch.setenv(name, value)
    for name in ('GALIEN_ABONNES_SECRET_KEY', 'XDG_DATA_HOME'):
        monkeypatch.setenv(name, running.environ[name])
    monkeypatch.setenv('GALIEN_ABONNES_URL', public)
    monkeypatch.setenv('PYTHONPATH', running.environ['PYTHONPATH'] + ':' + str(TESTS_DIR))


def test_the_service_itself_is_accepted_and_a_wrong_key_refused(
    project: Path,
    tls_service: tuple[Service, TlsProxy],
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    running, front = tls_service
    service_environment(monkeypatch, running, front.url, server)
    reader = f'lan.{running.port}@chu-lille.fr'
    confirmed_reader(running, server, reader)
    database = running.environ['GALIEN_ABONNES_DB']

    status = send(project, '--abonnes', database, '--confirmer', 'oui')
    output = capsys.readouterr().out
    assert status == 0, output
    assert f'Désinscription en un clic vérifiée : {front.url}desinscription/' in output
    letters = [d for d in server.handler.received_by(reader) if d.message['List-Id']]
    assert len(letters) == 1
    assert f'<{front.url}desinscription/' in str(letters[0].message['List-Unsubscribe'])
    # The probe's token names nobody: the reader is still subscribed.
    assert running.readers() == [reader]

    # make send signing with another key than the service's: its links would be refused.
    monkeypatch.setenv('GALIEN_ABONNES_SECRET_KEY', 'une-autre-clé-' + 'y' * 50)
    status = send(project, '--abonnes', database, '--confirmer', 'oui', numero=20)
    assert status == 1
    assert 'répond 400 au POST « List-Unsubscribe=One-Click »' in capsys.readouterr().err
    assert len([d for d in server.handler.received_by(reader) if d.message['List-Id']]) == 1
