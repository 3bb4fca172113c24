"""The committee's admin in Chromium, under the service's own content security policy.

Django's admin, in French, behind its login: the pages the committee uses
(the index, the subscribers with their filters and search, one subscriber with
their history, the import form, the send journal) are visited in a browser
that enforces the CSP (no inline script, no inline style); not one violation is
reported, on the page or in the console. Then axe-core audits the same pages (in
a context that lets it be injected): no serious or critical violation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import sync_playwright
from test_abonnements_browser import serious_violations
from test_abonnements_send import import_readers, relay_server  # noqa: F401 (fixture)

from abonnements_service import Service
from helpers import CHROMIUM

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Page

    from smtp_server import Server

pytestmark = [pytest.mark.browser, pytest.mark.abonnements]
USER, PASSWORD = 'comite', 'un-mot-de-passe-du-comité-2026'
#: Every violation of the page's CSP, as the browser reports it to the page.
WATCH_CSP = """
window.galienCsp = [];
document.addEventListener('securitypolicyviolation', (e) => window.galienCsp.push(
  `${e.effectiveDirective} ${e.blockedURI || 'inline'} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def admin_service(tmp_path: Path, relay_server: Server) -> Iterator[Service]:  # noqa: F811
    home = tmp_path / 'service'
    home.mkdir()
    running = Service(f'sqlite:///{home}/abonnes.sqlite3', relay_server.port, home)
    running.start()
    running.manage(
        'shell',
        '-c',
        'from django.contrib.auth.models import User; '
        f"User.objects.create_superuser('{USER}', 'cppcc@oscarlambret.fr', '{PASSWORD}')",
    )
    import_readers(running, ['helene.dupont@chu-lille.fr', 'nguyen.lan@chu-lille.fr'])
    # One issue journalled by make send, as the committee sees it in « journal des envois ».
    running.ask(
        {'op': 'journal-enqueue', 'numero': 20, 'addresses': ['helene.dupont@chu-lille.fr']},
        {'op': 'journal-set', 'numero': 20, 'address': 'helene.dupont@chu-lille.fr',
         'state': 'sent', 'code': 250, 'reply': '2.0.0 Ok: queued as Q1'},
    )  # fmt: skip
    yield running
    running.stop()


def log_in(page: Page) -> None:
    """Fill the admin's login form (the page is on it) and wait for the index."""
    page.locator('#id_username').fill(USER)
    page.locator('#id_password').fill(PASSWORD)
    page.get_by_role('button', name='Connexion').click()
    page.get_by_role('heading', name='Administration des abonnements').wait_for()


def committee_pages(page: Page, service: Service) -> Iterator[str]:
    """Walk the committee's pages; yield each one's name once it is shown."""
    yield 'accueil'
    page.get_by_role('link', name='Abonnés').first.click()
    page.get_by_role('heading', name='Sélectionnez l’objet abonné à changer').wait_for()
    assert page.get_by_role('link', name='helene.dupont@chu-lille.fr').is_visible()
    yield 'abonnés'
    page.get_by_role('link', name='importé').first.click()
    page.locator('#changelist-search input[name="q"]').fill('nguyen')
    page.locator('#changelist-search input[name="q"]').press('Enter')
    page.get_by_role('link', name='nguyen.lan@chu-lille.fr').wait_for()
    assert page.get_by_role('link', name='helene.dupont@chu-lille.fr').count() == 0
    yield 'abonnés filtrés'
    page.get_by_role('link', name='nguyen.lan@chu-lille.fr').click()
    page.get_by_role('heading', name='historique').first.wait_for()
    yield 'un abonné'
    page.goto(service.url + 'admin/abonnements/subscriber/importer/')
    page.get_by_role('heading', name='Importer la liste existante').wait_for()
    yield 'import'
    page.goto(service.url + 'admin/abonnements/delivery/')
    page.get_by_role('cell', name='helene.dupont@chu-lille.fr', exact=True).wait_for()
    yield 'journal des envois'


def test_the_committee_admin_keeps_the_csp_and_is_accessible(admin_service: Service) -> None:
    service = admin_service
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=['--no-sandbox', '--disable-gpu']
        )
        # The CSP enforced, as in production.
        page = browser.new_context(locale='fr-FR').new_page()
        page.add_init_script(WATCH_CSP)
        console: list[str] = []
        page.on(
            'console',
            lambda m: (
                console.append(f'{m.text} {m.location["url"]}') if m.type == 'error' else None
            ),
        )
        page.goto(service.url + 'admin/')
        assert page.locator('html').get_attribute('lang') == 'fr'
        seen = {'connexion': page.evaluate('window.galienCsp')}
        log_in(page)
        for name in committee_pages(page, service):
            seen[name] = page.evaluate('window.galienCsp')
        assert seen == {name: [] for name in seen}
        assert len(seen) == 7
        assert console == []

        # axe-core, injected through the browser's CSP bypass for the audit alone.
        audited = browser.new_context(locale='fr-FR', bypass_csp=True).new_page()
        audited.goto(service.url + 'admin/')
        found = {'connexion': serious_violations(audited)}
        log_in(audited)
        found |= {name: serious_violations(audited) for name in committee_pages(audited, service)}
        assert found == {name: [] for name in found}
        browser.close()
