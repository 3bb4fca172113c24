"""The subscription service (abonnements/), a real server process on SQLite and PostgreSQL.

Each backend gets its own database and its own ``python -m abonnements serve``
(waitress, the documented production server); the confirmations go to an
aiosmtpd server; what ``make send`` would read is asked through
``python -m abonnements sendlink``, the interface the letter's command line uses.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
import requests

from abonnements_service import (
    PROJECT,
    SECRET_KEY,
    Service,
    csrf_of,
    link_in,
    new_database,
    postgresql_cluster,
)
from smtp_server import Server, free_port, running_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.abonnements
#: The body Gmail posts for a one-click unsubscription (RFC 8058 §3.1).
ONE_CLICK = 'List-Unsubscribe=One-Click'
_clients = itertools.count(1)


@pytest.fixture(scope='module')
def mail_server() -> Iterator[Server]:
    yield from running_server()


@pytest.fixture(scope='module')
def cluster() -> Iterator[str]:
    with postgresql_cluster() as url:
        yield url


@pytest.fixture(scope='module', params=['sqlite', 'postgresql'])
def service(
    request: pytest.FixtureRequest, mail_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    home = tmp_path_factory.mktemp(f'abonnements-{request.param}')
    if request.param == 'sqlite':
        db = str(home / 'abonnes.sqlite3')
    else:
        db = new_database(request.getfixturevalue('cluster'), 'abonnes')
    running = Service(db, mail_server.port, home)
    running.start()
    yield running
    running.stop()


class Reader:
    """A browser-less reader: a session of its own, from an address of its own."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.session = requests.Session()
        self.session.headers['X-Forwarded-For'] = (
            f'10.0.{next(_clients) // 250}.{next(_clients) % 250}'
        )

    def subscribe(self, address: str, **fields: str) -> requests.Response:
        page = self.session.get(self.service.url)
        data = {'csrfmiddlewaretoken': csrf_of(page.text), 'email': address, 'consent': 'on'}
        return self.session.post(self.service.url, data={**data, **fields})


def mails_to(server: Server, address: str) -> list[str]:
    return [
        d.message.get_body(('plain',)).get_content() for d in server.handler.received_by(address)
    ]


def wait_for_mail(server: Server, address: str, count: int = 1) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        mails = mails_to(server, address)
        if len(mails) >= count:
            return mails[count - 1]
        time.sleep(0.05)
    raise AssertionError(f'aucun message pour {address}')


def confirmed_reader(service: Service, server: Server, address: str) -> str:
    """Subscribe and confirm ``address``; return its one-click unsubscribe URL."""
    reader = Reader(service)
    assert reader.subscribe(address).status_code == 200
    link = link_in(wait_for_mail(server, address))
    page = reader.session.get(link)
    reader.session.post(link, data={'csrfmiddlewaretoken': csrf_of(page.text)})
    [answer] = service.ask({'op': 'check', 'address': address})
    assert answer['send'] is True
    return str(answer['unsubscribe'])


def test_subscribe_confirm_by_post_only(service: Service, mail_server: Server) -> None:
    address = f'helene.dupont.{service.port}@chu-lille.fr'
    reader = Reader(service)
    answer = reader.subscribe(address, name='Hélène Dupont')
    assert answer.status_code == 200
    assert 'Vérifiez votre messagerie' in answer.text
    text = wait_for_mail(mail_server, address)
    link = link_in(text)
    assert address not in link
    # A mail scanner's GET shows a button and confirms nothing.
    page = reader.session.get(link)
    assert page.status_code == 200 and 'Confirmer' in page.text
    assert address not in service.readers()
    done = reader.session.post(link, data={'csrfmiddlewaretoken': csrf_of(page.text)})
    assert done.status_code == 200 and 'Abonnement confirmé' in done.text
    assert address in service.readers()


def test_one_click_unsubscribe_rfc8058(service: Service, mail_server: Server) -> None:
    address = f'loic.martin.{service.port}@oscarlambret.fr'
    url = confirmed_reader(service, mail_server, address)
    assert url.startswith(service.url + 'desinscription/') and 'loic' not in url
    # A GET shows the button and changes nothing.
    page = requests.get(url)
    assert page.status_code == 200 and 'Me désabonner' in page.text
    assert address in service.readers()
    # Gmail's POST: form-encoded, no cookie, no CSRF token; then again: 200 both times.
    for _ in range(2):
        answer = requests.post(
            url, data=ONE_CLICK, headers={'Content-Type': 'application/x-www-form-urlencoded'}
        )
        assert answer.status_code == 200
    assert address not in service.readers()
    [check] = service.ask({'op': 'check', 'address': address})
    assert check['send'] is False


def test_tampered_and_expired_tokens_are_refused(service: Service, mail_server: Server) -> None:
    from django.core import signing

    address = f'zoe.durand.{service.port}@chu-lille.fr'
    url = confirmed_reader(service, mail_server, address)
    tampered = url[:-3] + ('A' if url[-3] != 'A' else 'B') + url[-2:]
    assert requests.post(tampered, data=ONE_CLICK).status_code == 400
    assert address in service.readers()
    # A confirmation link signed four days ago has expired.
    public_id = url.rstrip('/').rsplit('/', 1)[1].split(':')[0]

    class OldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 4 * 24 * 3600)

    old = OldSigner(key=SECRET_KEY, salt='abonnements.confirmation', fallback_keys=[])
    expired = requests.post(f'{service.url}confirmer/{old.sign(public_id)}/')
    assert expired.status_code in (400, 403)
    assert requests.get(f'{service.url}confirmer/{old.sign(public_id)}/').status_code == 400


def test_same_answer_whether_known_or_not_and_honeypot(
    service: Service, mail_server: Server
) -> None:
    known = f'connu.{service.port}@chu-lille.fr'
    confirmed_reader(service, mail_server, known)
    before = len(mails_to(mail_server, known))
    answers = [Reader(service).subscribe(a).text for a in (known, f'x.{service.port}@chu-lille.fr')]
    assert answers[0] == answers[1]
    assert len(mails_to(mail_server, known)) == before  # already receiving: nothing sent
    robot = f'robot.{service.port}@chu-lille.fr'
    answer = Reader(service).subscribe(robot, website='http://spam.example')
    assert answer.status_code == 200 and 'Vérifiez votre messagerie' in answer.text
    time.sleep(0.5)
    assert mails_to(mail_server, robot) == []


def test_csrf_crlf_and_oversized_bodies_are_refused(service: Service, mail_server: Server) -> None:
    victim = f'victime.{service.port}@chu-lille.fr'
    assert requests.post(service.url, data={'email': victim, 'consent': 'on'}).status_code == 403
    reader = Reader(service)
    injected = reader.subscribe(f'{victim}\r\nBcc: autre@chu-lille.fr')
    assert injected.status_code == 200 and 'Adresse invalide' in injected.text
    big = reader.subscribe(victim, name='x' * 100_000)
    assert big.status_code == 400
    time.sleep(0.3)
    assert mails_to(mail_server, victim) == []
    assert mails_to(mail_server, 'autre@chu-lille.fr') == []


def test_rate_limits_per_address_and_per_client(service: Service, mail_server: Server) -> None:
    target = f'cible.{service.port}@chu-lille.fr'
    for _ in range(6):
        assert Reader(service).subscribe(target).status_code == 200
    time.sleep(0.5)
    assert len(mails_to(mail_server, target)) == 3  # GALIEN_ABONNES_LIMITES=3,20
    client = Reader(service)
    codes = [client.subscribe(f'c{i}.{service.port}@chu-lille.fr').status_code for i in range(22)]
    assert codes[:20] == [200] * 20 and codes[-1] == 429


def test_privacy_access_and_erasure(service: Service, mail_server: Server) -> None:
    address = f'nguyen.{service.port}@chu-lille.fr'
    confirmed_reader(service, mail_server, address)
    # make send journalled issue 20 for them in the service's database.
    service.ask(
        {'op': 'journal-enqueue', 'numero': 20, 'addresses': [address]},
        {'op': 'journal-set', 'numero': 20, 'address': address, 'state': 'sent', 'code': 250},
    )
    reader = Reader(service)
    page = reader.session.get(service.url + 'donnees/')
    reader.session.post(
        service.url + 'donnees/',
        data={'csrfmiddlewaretoken': csrf_of(page.text), 'email': address},
    )
    link = link_in(wait_for_mail(mail_server, address, count=2))
    data = reader.session.get(link)
    assert address in data.text and 'confirmé' in data.text
    assert 'Numéro 20 : envoyé' in data.text
    erased = reader.session.post(link, data={'csrfmiddlewaretoken': csrf_of(data.text)})
    assert 'effacées' in erased.text
    # Their journal goes with them.
    assert service.ask({'op': 'journal-deliveries', 'numero': 20})[0] == {'deliveries': []}
    assert address not in service.readers()
    assert service.ask({'op': 'check', 'address': address})[0]['send'] is False
    # The CSV import does not bring an erased reader back.
    csv = service.home_file('liste.csv', f'Nom;Courriel\r\nNguyen;{address.upper()}\r\n')
    out = service.manage('shell', '-c', IMPORT_SNIPPET.format(path=csv))
    assert 'added=0' in out and 'erased=1' in out


IMPORT_SNIPPET = (
    'from pathlib import Path; from abonnements.imports import import_csv; '
    "r = import_csv(Path('{path}').read_bytes()); print(f'added={{r.added}} erased={{r.erased}}')"
)


def test_security_headers_and_health(service: Service) -> None:
    page = requests.get(service.url)
    csp = page.headers['Content-Security-Policy']
    assert "script-src 'self'" in csp and 'unsafe-inline' not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers['X-Frame-Options'] == 'DENY'
    assert page.headers['X-Content-Type-Options'] == 'nosniff'
    assert '<script' not in page.text and 'style=' not in page.text
    health = requests.get(service.url + 'sante/')
    assert health.status_code == 200 and health.json() == {'statut': 'ok'}


def test_deploy_checks_pass_with_production_settings(tmp_path: Path) -> None:
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith('GALIEN_')},
        'PYTHONPATH': str(PROJECT),
        'XDG_DATA_HOME': str(tmp_path),
        'GALIEN_ABONNES_HTTPS': '1',
        'GALIEN_ABONNES_SECRET_KEY': SECRET_KEY,
        'GALIEN_ABONNES_URL': 'https://galien.oscarlambret.fr/abonnement/',
    }
    result = subprocess.run(
        [sys.executable, '-m', 'abonnements', 'check', '--deploy', '--fail-level', 'WARNING'],
        env=environ, cwd=PROJECT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_letter_never_imports_the_service() -> None:
    """The extension builds without Django: it talks to the service through a child process."""
    for path in (PROJECT / 'extensions' / 'galien').rglob('*.py'):
        text = path.read_text(encoding='utf-8')
        assert 'import abonnements' not in text and 'from abonnements' not in text, path
        assert 'import django' not in text and 'from django' not in text, path


def admin_session(service: Service) -> requests.Session:
    """The committee's browser, logged in to the admin."""
    user = f'comite{service.port}'
    service.environ['DJANGO_SUPERUSER_PASSWORD'] = 'mot-de-passe-du-comité-2026'
    service.manage('createsuperuser', '--noinput', '--username', user, '--email', 'c@chu-lille.fr')
    session = requests.Session()
    login = session.get(service.url + 'admin/login/')
    assert 'Nom d’utilisateur' in login.text  # the admin in French
    answer = session.post(
        service.url + 'admin/login/?next=/admin/',
        data={
            'csrfmiddlewaretoken': csrf_of(login.text),
            'username': user,
            'password': service.environ['DJANGO_SUPERUSER_PASSWORD'],
        },
    )
    assert 'Administration des abonnements' in answer.text
    return session


def test_admin_imports_the_existing_list_and_exports(service: Service) -> None:
    assert requests.get(service.url + 'admin/abonnements/subscriber/').url.endswith(
        '/admin/login/?next=/admin/abonnements/subscriber/'
    )
    session = admin_session(service)
    page = session.get(service.url + 'admin/abonnements/subscriber/importer/')
    excel = (
        'Nom;Prénom;Courriel\r\n'
        f'Dupont;Hélène;import.dupont.{service.port}@chu-lille.fr\r\n'
        f'Faux;Léa;lea.faux@@chu-lille\r\n'
        f'Durand;Zoé;Import.Durand.{service.port}@CHU-LILLE.FR\r\n'
    ).encode('cp1252')
    answer = session.post(
        service.url + 'admin/abonnements/subscriber/importer/',
        data={'csrfmiddlewaretoken': csrf_of(page.text)},
        files={'file': ('abonnes.csv', excel, 'text/csv')},
    )
    assert '2 abonné(s) importé(s)' in answer.text and '1 invalide(s)' in answer.text
    readers = service.readers()
    assert f'import.dupont.{service.port}@chu-lille.fr' in readers
    assert f'Import.Durand.{service.port}@chu-lille.fr' in readers
    listing = session.get(service.url + 'admin/abonnements/subscriber/?status__exact=imported')
    assert 'importé' in listing.text
    ids = re.findall(r'name="_selected_action" value="(\d+)"', listing.text)
    exported = session.post(
        service.url + 'admin/abonnements/subscriber/?status__exact=imported',
        data={
            'csrfmiddlewaretoken': csrf_of(listing.text),
            'action': 'export',
            '_selected_action': ids,
        },
    )
    assert exported.headers['Content-Type'].startswith('text/csv')
    assert f'import.dupont.{service.port}@chu-lille.fr;' in exported.text
    assert ';imported;' in exported.text and ';import' in exported.text


def test_export_neutralises_spreadsheet_formulas() -> None:
    from abonnements.cells import exported

    assert exported('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert exported('Nguyễn') == 'Nguyễn' and exported(None) == ''


def test_bounces_from_make_send_or_rebonds_leave_the_list(
    service: Service, mail_server: Server
) -> None:
    address = f'rebond.{service.port}@chu-lille.fr'
    confirmed_reader(service, mail_server, address)
    [marked, again] = service.ask(
        {'op': 'bounced', 'addresses': [address.upper()]},
        {'op': 'bounced', 'addresses': [address]},
    )
    assert marked == {'marked': 1} and again == {'marked': 0}
    assert address not in service.readers()
    assert service.ask({'op': 'nimportequoi'})[0]['error']


def test_unconfirmed_subscriptions_are_purged_after_the_delay(service: Service) -> None:
    address = f'oublie.{service.port}@chu-lille.fr'
    Reader(service).subscribe(address)
    service.manage(
        'shell',
        '-c',
        'from datetime import timedelta; from django.utils import timezone; '
        'from abonnements.models import Subscriber; '
        f"Subscriber.objects.filter(email_key='{address}')"
        '.update(created_at=timezone.now() - timedelta(days=8))',
    )
    assert '1 inscription(s)' in service.manage('purge_unconfirmed')
    count = service.manage(
        'shell',
        '-c',
        'from abonnements.models import Subscriber; '
        f"print(Subscriber.objects.filter(email_key='{address}').count())",
    )
    assert count.strip().splitlines()[-1] == '0'


def test_production_settings_behind_the_proxy(
    mail_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """GALIEN_ABONNES_HTTPS=1: HTTPS only (the proxy says so), HSTS, secure cookies, health."""
    home = tmp_path_factory.mktemp('production')
    running = Service(str(home / 'abonnes.sqlite3'), mail_server.port, home)
    public = 'https://galien.oscarlambret.fr/abonnement/'
    running.environ.update(
        {
            'GALIEN_ABONNES_HTTPS': '1',
            'GALIEN_ABONNES_URL': public,
            'GALIEN_ABONNES_HOSTS': '127.0.0.1,galien.oscarlambret.fr',
        }
    )
    running.start()  # /sante/ answers over plain HTTP, for the proxy's checks
    try:
        plain = requests.get(running.url, allow_redirects=False)
        assert plain.status_code == 301
        assert plain.headers['Location'].startswith('https://')
        secure = requests.get(
            running.url,
            headers={'X-Forwarded-Proto': 'https', 'Host': 'galien.oscarlambret.fr'},
            allow_redirects=False,
        )
        assert secure.status_code == 200
        assert 'max-age=31536000' in secure.headers['Strict-Transport-Security']
        assert 'Secure' in secure.headers['Set-Cookie']
        assert '<form method="post"' in secure.text
        assert '/abonnement/static/abonnements/style.css' in secure.text
    finally:
        running.stop()


def test_a_relay_down_does_not_fail_the_page(tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp('relais')
    running = Service(str(home / 'abonnes.sqlite3'), free_port(), home)  # nobody listens
    running.start()
    try:
        answer = Reader(running).subscribe('personne@chu-lille.fr')
        assert answer.status_code == 200 and 'Vérifiez votre messagerie' in answer.text
        assert 'relais des confirmations injoignable' in running.log_text()
        assert 'personne@chu-lille.fr' not in running.log_text()
    finally:
        running.stop()
