"""Before anything is sent: each ``https:`` unsubscribe address really unsubscribes.

With ``List-Unsubscribe-Post`` (RFC 8058), a mail client's « Se désabonner »
button POSTs ``List-Unsubscribe=One-Click`` to the ``https:`` address of
``List-Unsubscribe``, without cookie or login, and tells the reader it is done.
A static site answers 404 or 405 and the reader stays subscribed (and marks the
next issue as spam). So ``make send`` accepts an ``https:`` address of
``galien_unsubscribe`` only under the subscription service's public address
(``GALIEN_ABONNES_URL``), and, where it can reach one, POSTs that very body with
a dummy token (or the service's own signed token of nobody) and wants 200.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from galien.cli.send_errors import SendRefusedError
from galien.mail.sending import ADDRESS_FIELD

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO

#: Put for ``{adresse}`` in a test POST: a reserved domain, nobody's address (RFC 2606).
DUMMY_ADDRESS = 'essai-desinscription@galien.invalid'
ONE_CLICK_BODY = b'List-Unsubscribe=One-Click'
TIMEOUT = 10.0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A one-click POST is not followed elsewhere by mail clients: a 3xx is an answer."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def is_under(address: str, base: str) -> bool:
    """``address`` is on ``base``'s host and port, at or under its path."""
    one, two = urlsplit(address), urlsplit(base)
    path = two.path if two.path.endswith('/') else two.path + '/'
    return (
        one.scheme == two.scheme == 'https'
        and (one.hostname or '') == (two.hostname or '')
        and one.port == two.port
        and (one.path + '/').startswith(path)
    )


def check_one_click(
    configured: Iterable[str], service_url: str, probes: list[str], out: TextIO
) -> None:
    """Refuse an ``https:`` address that is not the service's or does not answer 200.

    ``configured``: ``galien_unsubscribe``; ``service_url``: ``GALIEN_ABONNES_URL``;
    ``probes``: one-click addresses the service gave for the test (a signed token of nobody).
    """
    to_test = list(probes)
    for address in configured:
        if not address.startswith('https:'):
            continue
        if not service_url or not is_under(address, service_url):
            where = f'({service_url})' if service_url else '(GALIEN_ABONNES_URL n’est pas défini)'
            raise SendRefusedError(
                f'galien_unsubscribe : l’adresse {address} n’est pas celle du service '
                f'd’abonnement {where} : le bouton « Se désabonner » de la messagerie y '
                'enverrait un POST que personne ne traite, et le lecteur resterait abonné ; '
                'retirez-la de conf.py (l’adresse mailto: suffit) ou envoyez avec '
                'ABONNES=service'
            )
        to_test.append(address.replace(ADDRESS_FIELD, quote(DUMMY_ADDRESS, safe='@')))
    for url in to_test:
        probe(url, out)


def probe(url: str, out: TextIO) -> None:
    """POST the one-click body as a mail client does; 200 or a refusal (unreachable: a note)."""
    request = urllib.request.Request(
        url,
        data=ONE_CLICK_BODY,
        method='POST',
        headers={
            'Content-Type': 'application/x-www-form-urlencoded',
            'User-Agent': 'Galien make send (verification RFC 8058)',
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        status = error.code
    except urllib.error.URLError as error:
        # A certificate that does not verify: the mail clients would refuse it too. (Another
        # TLS failure, such as no TLS at all on that port, is a server not reached.)
        if isinstance(error.reason, ssl.SSLCertVerificationError):
            raise SendRefusedError(
                f'l’adresse de désinscription en un clic {url} : certificat TLS refusé '
                f'({error.reason.verify_message}) : les messageries ne pourraient pas l’appeler'
            ) from error
        unreachable(url, str(error.reason), out)
        return
    except (TimeoutError, OSError) as error:
        unreachable(url, str(error) or type(error).__name__, out)
        return
    if status != 200:
        raise SendRefusedError(
            f'l’adresse de désinscription en un clic {url} répond {status} au POST '
            '« List-Unsubscribe=One-Click » (RFC 8058) au lieu de 200 : elle ne désinscrirait '
            'personne ; vérifiez le service d’abonnement et son proxy inverse '
            '(GALIEN_ABONNES_URL)'
        )
    print(f'Désinscription en un clic vérifiée : {url} répond 200', file=out)


def unreachable(url: str, reason: str, out: TextIO) -> None:
    print(
        f'Désinscription en un clic : {url} injoignable d’ici ({reason}) : non vérifiée',
        file=out,
    )
