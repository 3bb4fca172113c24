"""N°20's message as spam filters and mail clients judge it: SpamAssassin and doiuse-email.

The message is the one ``make send`` writes for a reader, with the guide's example
settings (« Envoyer la lettre »). SpamAssassin is Debian's, local rules only
(``-L``: no DNS, no network); doiuse-email is the npm release pinned in
tests/package-lock.json, on caniemail.com's data. ``make test`` installs both.
"""

from __future__ import annotations

import email
import json
import re
import subprocess
from email import policy
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conftest import TESTS_DIR
from galien.mail.sending import Sender, personal_message
from helpers import NODE_MODULES, build_project, require_tool

if TYPE_CHECKING:
    from pathlib import Path

#: The guide's example settings (« Réglages dans conf.py »).
README_SENDER = Sender(
    from_='Galien <galien@oscarlambret.fr>',
    reply_to='cppcc@oscarlambret.fr',
    list_id='galien.oscarlambret.fr',
    unsubscribe=('mailto:galien-desinscription@oscarlambret.fr?subject=desinscription',),
)
#: The reader's own one-click link, as the subscription service gives it (ABONNES=service).
ONE_CLICK = 'https://galien.oscarlambret.fr/abonnement/desinscription/0f8c2b7e9d4a4c1b8e6f3a2d1c0b9a87:x1y2z3/'
#: The clients the letter must not rely on anything unsupported by.
CLIENTS = ('gmail.*', 'outlook.windows', 'apple-mail.*')
#: SpamAssassin's rules about hidden text, which a hidden preheader used to trigger.
HIDDEN_TEXT_RULES = ('LONG_INVISIBLE_TEXT', 'LONGLN_LOW_CONTRAST', 'HTML_FONT_LOW_CONTRAST')
SCORE = re.compile(r'Content analysis details:\s+\((-?[\d.]+) points')


@pytest.fixture(scope='module')
def message(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """N°20 as one reader receives it."""
    build_dir = tmp_path_factory.mktemp('email-filters')
    build_project('email', build_dir)
    folder = build_dir / 'email'
    built = personal_message(
        sender=README_SENDER,
        numero=20,
        subject='Galien N° 20 – février 2018',
        html=(folder / 'galien-020.html').read_text(encoding='utf-8'),
        text=(folder / 'galien-020.txt').read_text(encoding='utf-8'),
        address='helene.dupont@chu-lille.fr',
        own_unsubscribe=ONE_CLICK,
    )
    return built.as_bytes()


def html_of(message: bytes) -> str:
    parsed = email.message_from_bytes(message, policy=policy.default)
    return parsed.get_body(('html',)).get_content()  # type: ignore[union-attr]


def test_body_lines_are_76_characters_at_most(message: bytes) -> None:
    _, _, body = message.partition(b'\r\n\r\n')
    long_lines = [line for line in body.split(b'\r\n') if len(line) > 76]
    assert long_lines == []
    assert b'Content-Transfer-Encoding: quoted-printable' in body


def test_nothing_hidden_and_no_long_url_text(message: bytes) -> None:
    soup = BeautifulSoup(html_of(message), 'html.parser')
    styles = ' '.join(tag.get('style', '') for tag in soup.find_all(True)).replace(' ', '')
    for hidden in ('display:none', 'font-size:1px', 'max-height:0', 'overflow-wrap'):
        assert hidden not in styles
    preheader = soup.select_one('.galien-preheader')
    assert preheader is not None and preheader.get_text().startswith('15 – C’est le nombre')
    # A long address shown as a short text: nothing to widen the letter on a phone.
    assert all(len(a.get_text()) <= 40 for a in soup.find_all('a')), [
        a.get_text() for a in soup.find_all('a') if len(a.get_text()) > 40
    ]


def test_spamassassin_local_rules_score_1_at_most(message: bytes, tmp_path: Path) -> None:
    spamassassin = require_tool('spamassassin')
    result = subprocess.run(
        [spamassassin, '-L', '-t'],
        input=message,
        capture_output=True,
        check=False,
        timeout=120,
    )
    report = result.stdout.decode('utf-8', errors='replace')
    found = SCORE.search(report)
    assert found, report[-2000:]
    score = float(found[1])
    print(f'\nSpamAssassin (-L -t), N°20: {score} points')
    assert score <= 1.0, report[report.find('Content analysis') :]
    assert not any(rule in report for rule in HIDDEN_TEXT_RULES)


def test_doiuse_email_finds_no_error_for_gmail_outlook_apple_mail(
    message: bytes, tmp_path: Path
) -> None:
    node = require_tool('node')
    if not (NODE_MODULES / 'doiuse-email').is_dir():
        pytest.fail('doiuse-email is missing: run `make test`, which installs it')
    html = tmp_path / 'galien-020.html'
    html.write_text(html_of(message), encoding='utf-8')
    result = subprocess.run(
        [node, str(TESTS_DIR / 'doiuse_email.mjs'), str(html), *CLIENTS],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert report['errors'] == []
    print(f'\ndoiuse-email: 0 errors, {len(report["notes"])} notes')
