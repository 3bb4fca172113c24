"""One process for the PDF/A step of every PDF a ``make`` run compiles.

Run as a process per PDF, the step (:mod:`galien.print.pdfa`) spent 0.4 s of
its 0.6 s importing pikepdf's validator (fontTools, jsonschema...): the same
import 240 times for a 240-issue archive. The print edition's Makefile runs its
parallel make under ``python -m galien.print.pdfa_server MAKE...``: this process
listens on a socket in a private temporary folder, named to the make run by
:data:`~galien.print.job_files.SOCKET_VARIABLE`, imports the validator at the
first PDF and forks a child for each one. The children share the import, work
side by side as make's jobs do, and a PDF that crashes qpdf takes down its
child only. When no server answers (make run by hand without it, a server
killed), the step does the work in its own process, as before.

Nothing to compile costs the server its start (Python, no pikepdf).
"""

from __future__ import annotations

import os
import signal
import socketserver
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from galien.print.job_files import SOCKET_VARIABLE
from galien.print.pdfa import run_step

if TYPE_CHECKING:
    from types import FrameType

#: How often the server looks whether make has ended, in seconds, between requests.
POLL_SECONDS = 0.05


def load_validator() -> None:
    """Import pikepdf and its PDF/A validator, once, before the children are forked."""
    import pikepdf.pdfa  # noqa: F401


class StepHandler(socketserver.StreamRequestHandler):
    """One PDF: its path as the request, ``STATUS\\nMESSAGE`` as the answer."""

    def handle(self) -> None:
        pdf = Path(os.fsdecode(self.rfile.read()))
        status, message = run_step(pdf)
        self.wfile.write(f'{status}\n{message}'.encode())


class PdfaServer(socketserver.ForkingMixIn, socketserver.UnixStreamServer):
    """A child per PDF, forked once the validator is imported."""

    timeout = POLL_SECONDS

    def process_request(self, request: object, client_address: object) -> None:
        load_validator()
        super().process_request(request, client_address)  # type: ignore[arg-type]


def stop(signum: int, _frame: FrameType | None) -> None:
    """On SIGTERM, end like make would: the ``finally`` below stops make too."""
    raise SystemExit(128 + signum)


def serve(command: list[str]) -> int:
    """Run ``command`` (make) with the server listening; its exit status."""
    signal.signal(signal.SIGTERM, stop)
    with tempfile.TemporaryDirectory(prefix='galien-pdfa-') as folder:
        address = str(Path(folder) / 'socket')
        try:
            server = PdfaServer(address, StepHandler)
        except OSError:
            # No socket here (a TMPDIR path too long for one...): each step works alone.
            return exit_status(subprocess.run(command, close_fds=False, check=False).returncode)
        with server:
            environment = {**os.environ, SOCKET_VARIABLE: address}
            # close_fds=False: make's jobserver descriptors pass through, as without us.
            child = subprocess.Popen(command, env=environment, close_fds=False)
            try:
                while child.poll() is None:
                    server.handle_request()
            except KeyboardInterrupt:
                # Ctrl-C reached make as well: wait for it to clean up.
                child.wait()
            finally:
                if child.poll() is None:
                    child.terminate()
                    child.wait()
    return exit_status(child.returncode)


def exit_status(returncode: int) -> int:
    """A child's return code as a shell gives it: 128 + N for a child killed by signal N."""
    return returncode if returncode >= 0 else 128 - returncode


def main(arguments: list[str]) -> int:
    """``python -m galien.print.pdfa_server COMMAND...``."""
    if not arguments:
        print('usage : python -m galien.print.pdfa_server COMMANDE...', file=sys.stderr)
        return 2
    return serve(arguments)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
