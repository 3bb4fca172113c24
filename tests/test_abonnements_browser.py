"""A reader's whole path in Chromium (Playwright, Debian's chromium), axe-core on each page.

Subscribe on a phone-sized screen, receive the confirmation at the aiosmtpd
server, confirm, receive the letter from ``make send ABONNES=<the service>``,
unsubscribe from the message's own link. The pages forbid inline scripts
(CSP): axe-core is injected with the browser's CSP bypass, for the audit only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import sync_playwright
from test_abonnements import wait_for_mail
from test_abonnements_send import (  # noqa: F401 (fixtures)
    behind_proxy,
    certificate,
    cluster,
    project,
    relay_server,
    send,
    service,
)

from helpers import AXE_SCRIPT, CHROMIUM, require_npm_tool

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

    from abonnements_service import Service
    from smtp_server import Server

pytestmark = [pytest.mark.browser, pytest.mark.abonnements]
AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
LINK = re.compile(r'https?://127\.0\.0\.1:\d+/\S+/')


def serious_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(require_npm_tool(AXE_SCRIPT)))
    violations = page.evaluate(
        """async (tags) => (await axe.run(document,
            {runOnly: {type: 'tag', values: tags}})).violations""",
        AXE_TAGS,
    )
    return [
        {'id': v['id'], 'targets': [n['target'] for n in v['nodes']]}
        for v in violations
        if v['impact'] in ('serious', 'critical')
    ]


def test_a_reader_subscribes_confirms_receives_and_unsubscribes(
    service: Service,  # noqa: F811 (the fixtures above)
    relay_server: Server,  # noqa: F811
    project: Path,  # noqa: F811
) -> None:
    address = f'clinicienne.{service.port}@chu-lille.fr'
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=['--no-sandbox', '--disable-gpu']
        )
        context = browser.new_context(
            viewport={'width': 390, 'height': 844}, locale='fr-FR', bypass_csp=True
        )
        page = context.new_page()
        errors: list[str] = []
        page.on('console', lambda m: errors.append(m.text) if m.type == 'error' else None)

        page.goto(service.url)
        assert serious_violations(page) == []
        page.get_by_label('Adresse e-mail').fill(address)
        page.get_by_label('Nom (facultatif)').fill('Dr Nguyễn Thị Lan')
        page.get_by_role('checkbox').check()
        page.get_by_role('button', name='S’abonner').click()
        page.get_by_role('heading', name='Vérifiez votre messagerie').wait_for()
        assert serious_violations(page) == []

        page.goto(LINK.findall(wait_for_mail(relay_server, address))[0])
        assert serious_violations(page) == []
        page.get_by_role('button', name='Confirmer').click()
        page.get_by_role('heading', name='Abonnement confirmé').wait_for()
        assert serious_violations(page) == []

        assert send(project, service.environ['GALIEN_ABONNES_DB'], '--debit', '0') == 0
        letter = next(
            d.message for d in relay_server.handler.received_by(address) if d.message['List-Id']
        )
        html = letter.get_body(('html',)).get_content()
        [link] = [u for u in LINK.findall(html) if '/desinscription/' in u]
        page.goto(behind_proxy(service, link))
        assert serious_violations(page) == []
        page.get_by_role('button', name='Me désabonner').click()
        page.get_by_role('heading', name='Vous êtes désabonné(e)').wait_for()
        assert serious_violations(page) == []
        for path in ('confidentialite/', 'donnees/'):
            page.goto(service.url + path)
            assert serious_violations(page) == []
        browser.close()
    assert address not in service.readers()
    assert errors == []
