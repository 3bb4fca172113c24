"""How ``make send`` ends when it does not end well: refusals, a lost relay, a signal.

Each is one French line for the editor, never a traceback; the exit statuses
are those the guide lists under « Publier et envoyer » › « Envoyer la lettre ».
"""

from __future__ import annotations

import contextlib
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

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


@contextlib.contextmanager
def signals_stop_the_run() -> Iterator[None]:
    """Ctrl-C and SIGTERM raise :class:`Stopped`, caught where the report is printed."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def ignore_signals() -> None:
    """While the report of a stopped run is printed, a second Ctrl-C must not cut it."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
