"""The list of readers ``make send`` writes to: a CSV file, or the subscription service.

Both answer the same two questions: who is on the list when the run starts
(:meth:`ReaderList.read`), and, just before each message, whether that reader
still receives the letter and at which address they unsubscribe in one click
(:meth:`ReaderList.standing`). A CSV file never changes during a run; the
service (:mod:`galien.cli.service_readers`) reads its database each time, so an
unsubscription is honoured at once, even by a run already going.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from galien.cli.subscribers import read_subscribers

if TYPE_CHECKING:
    from pathlib import Path

    from galien.cli.journal import SendJournal
    from galien.cli.subscribers import Subscribers


@dataclass(frozen=True)
class Standing:
    """A reader's standing just before their message."""

    receives: bool
    #: Their own one-click unsubscribe address (``https:``), '' when the list has none.
    unsubscribe: str = ''


class ReaderList(Protocol):
    """What ``make send`` needs from a list of readers."""

    #: How the summary names the list.
    name: str

    def read(self) -> Subscribers: ...

    def standing(self, address: str) -> Standing: ...

    def bounced(self, addresses: list[str]) -> int:
        """Record hard bounces where the list keeps them; how many were new."""
        ...

    def journal(self) -> SendJournal | None:
        """The journal the list keeps itself (the service's database), locked; None if none."""
        ...

    def one_click_probe(self) -> str:
        """A one-click address of this list's that names nobody, to POST to before the run."""
        ...

    def close(self) -> None: ...


class CsvReaders:
    """The centre's CSV or Excel export (:mod:`galien.cli.subscribers`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name

    def read(self) -> Subscribers:
        return read_subscribers(self.path)

    def standing(self, address: str) -> Standing:
        return Standing(receives=True)

    def bounced(self, addresses: list[str]) -> int:
        return 0  # a CSV list's bounces go to rebonds.txt beside the unsubscribed list

    def journal(self) -> SendJournal | None:
        return None  # the file of JOURNAL= (.galien/envois.sqlite3)

    def one_click_probe(self) -> str:
        return ''

    def close(self) -> None:
        pass
