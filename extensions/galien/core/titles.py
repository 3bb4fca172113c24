"""How the letter names an issue: « N° 20 », « février 2018 », « Galien N° 20 – février 2018 ».

Every edition words an issue's number, month and title here (its page, the
masthead, the links between issues, the PDF, the ePub's cover, the e-mail, the
feed, the preview image), so that they read the same everywhere. On a page a
no-break space keeps « N° » with its number; ``plain`` gives an ordinary space
for what is searched or typed (PDF metadata, an e-mail's subject, a source's
citation, the preview image).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galien.core.dates import month_name
from galien.core.i18n import _

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from galien.core.model import Issue, PaperIssue

NO_BREAK_SPACE = '\u00a0'


def issue_number(numero: int, *, plain: bool = False) -> str:
    """``N° 20``: the number as the letter writes it, with a no-break space (``plain``: a space)."""
    return f'N°{" " if plain else NO_BREAK_SPACE}{numero}'


def issue_month(env: BuildEnvironment, issue: Issue | PaperIssue) -> str:
    """``février 2018``: the month of an issue, in the letter's language."""
    return month_name(issue.year, issue.month, env.config.language)


def number_and_month(numero: int, month: str, *, plain: bool = False) -> str:
    """``N° 20 – février 2018``, from the number and the month as named."""
    return f'{issue_number(numero, plain=plain)} – {month}'


def issue_label(env: BuildEnvironment, issue: Issue | PaperIssue) -> str:
    """``N° 20 – février 2018``: how the letter names an issue."""
    return number_and_month(issue.numero, issue_month(env, issue))


def issue_title(env: BuildEnvironment, issue: Issue | PaperIssue, *, plain: bool = False) -> str:
    """``Galien N° 20 – février 2018``: an issue's title, on its page, PDF, ePub, e-mail, feed.

    ``plain``: with ordinary spaces, for what is searched or typed (PDF metadata,
    an e-mail's subject).
    """
    title = f'{env.config.project} {issue_label(env, issue)}'
    return title.replace(NO_BREAK_SPACE, ' ') if plain else title


def issues_range(env: BuildEnvironment, oldest: Issue, newest: Issue) -> tuple[str, str]:
    """``('N° 1 à 240', 'janvier 2018 – décembre 2037')``: the numbers and months of a run."""
    if oldest == newest:
        return issue_number(newest.numero), issue_month(env, newest)
    first = issue_month(env, oldest)
    last = issue_month(env, newest)
    return (f'{issue_number(oldest.numero)} {_("to")} {newest.numero}', f'{first} – {last}')
