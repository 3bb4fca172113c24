"""How ``make send`` ends when it does not end well: refusals, a lost relay, a signal.

Each is one French line for the editor, never a traceback; the exit statuses
are those the README lists under « Envoyer la lettre ».
"""

from __future__ import annotations

import signal

#: Every reader served (or nothing to do).
DONE = 0
#: Refused before anything was sent: a setting, a list, the letter, no confirmation.
REFUSED = 1
#: The run went to its end, but some readers failed or are uncertain.
INCOMPLETE = 2
#: The run stopped before its end (relay lost, journal unwritable): run make send again.
STOPPED = 3
#: Ctrl-C, or SIGTERM, as shells report them (128 + the signal's number).
INTERRUPTED = 128 + signal.SIGINT
TERMINATED = 128 + signal.SIGTERM


class SendRefusedError(Exception):
    """A reason not to send: one French line for the editor."""


class RelayDownError(Exception):
    """The relay cannot be reached any more: stop, the journal says where."""


class Stopped(BaseException):
    """Ctrl-C or SIGTERM during a run; a ``BaseException`` so that no handler swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def status(self) -> int:
        return INTERRUPTED if self.signum == signal.SIGINT else TERMINATED

    @property
    def what(self) -> str:
        return 'Ctrl-C' if self.signum == signal.SIGINT else 'signal SIGTERM'
