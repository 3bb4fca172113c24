"""A TLS front on 127.0.0.1 for the tests: what the hospital's reverse proxy does in production.

:func:`self_signed` makes a certificate for ``127.0.0.1`` with Debian's
``openssl``; the test points ``SSL_CERT_FILE`` at it so that ``make send``
trusts it (and nothing else changes). :class:`TlsProxy` ends TLS and passes the
bytes to a plain HTTP server on another port, both ways.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate and its key for ``127.0.0.1``, valid a day."""
    cert, key = folder / 'cert.pem', folder / 'key.pem'
    subprocess.run(
        ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
         '-keyout', str(key), '-out', str(cert), '-subj', '/CN=127.0.0.1',
         '-addext', 'subjectAltName=IP:127.0.0.1'],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def pipe(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    for end in (source, target):
        with contextlib.suppress(OSError):
            end.close()


class TlsProxy:
    """``https://127.0.0.1:<port>/`` in front of ``http://127.0.0.1:<backend>/``."""

    def __init__(self, backend: int, cert: Path, key: Path) -> None:
        self.backend = backend
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.listener = socket.create_server(('127.0.0.1', 0))
        self.port = int(self.listener.getsockname()[1])
        self.url = f'https://127.0.0.1:{self.port}/'
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()

    def serve(self, client: socket.socket) -> None:
        try:
            secure = self.context.wrap_socket(client, server_side=True)
            backend = socket.create_connection(('127.0.0.1', self.backend))
        except OSError:
            client.close()
            return
        threading.Thread(target=pipe, args=(backend, secure), daemon=True).start()
        pipe(secure, backend)

    def close(self) -> None:
        self.listener.close()
