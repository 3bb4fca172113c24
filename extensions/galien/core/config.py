"""Every ``galien_*`` value of ``conf.py``, declared in one table and checked once.

Each row says a value's name, default, rebuild flag, types, what it is for (in
French, for editors) and, where a type is not enough, how to check it. The
package setting up a row registers it (:func:`add_settings`): the editions'
rows exist only when that edition is in ``conf.py``. On ``config-inited`` every
registered row is checked once, before Sphinx's own type check: a wrong value
is said once, as ``galien.config``, at its line in ``conf.py``, and the build
goes on with the default (or, for a list, with its good items).
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from email.utils import getaddresses
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sphinx.util import logging

from galien.core.dates import parse_year_month
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: The package whose ``setup()`` registers a row: ``galien`` (core and content) or an edition.
CORE = 'galien'
EPUB = 'galien.epub'
MAIL = 'galien.mail'
WEB = 'galien.web'

#: What Sphinx does when a value changes: read every document again, or write every page.
Rebuild = Literal['env', 'html']

DEFAULT_PAPER_ARCHIVE = 'archives/numeros-papier.yml'
DEFAULT_PDF_URL = '{baseurl}pdf/galien-{numero:03d}.pdf'  # the PDF's name is issue_file_stem()


@dataclass(frozen=True)
class Problem:
    """What is wrong with a value: the message's text and arguments, and what to use instead."""

    message: str
    args: tuple[object, ...] = ()
    #: The value the build uses instead; ``None``: the row's default.
    instead: Any = None


@dataclass(frozen=True)
class Setting:
    """One row of the table: a ``galien_*`` value of ``conf.py``."""

    name: str
    default: Any
    rebuild: Rebuild
    types: frozenset[type]
    description: str
    package: str = CORE
    check: Callable[[Any, Sphinx], Problem | None] | None = field(default=None, compare=False)

    def default_value(self, config: Config) -> Any:
        """The default, computed if it is a function of the configuration (as Sphinx does)."""
        return self.default(config) if callable(self.default) else self.default


# -- checks beyond the type -------------------------------------------------------------


def issn_is_valid(issn: str) -> bool:
    """``1234-5679``: four digits, a hyphen, three digits and a check digit (0-9 or X)."""
    if not re.fullmatch(r'\d{4}-\d{3}[\dX]', issn):
        return False
    digits = issn.replace('-', '')
    total = sum(int(d) * (8 - i) for i, d in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return digits[7] == ('X' if check == 10 else str(check))


def check_issn(value: str, app: Sphinx) -> Problem | None:
    """An ISSN that is not one is left out of every edition."""
    issn = value.strip()
    if issn and not issn_is_valid(issn):
        return Problem(
            __("galien_issn : %r n'est pas un ISSN (format 1234-5679, clé de contrôle juste)"),
            (issn,),
        )
    return None if issn == value else Problem('', instead=issn)


def check_accessibility_status(value: str, app: Sphinx) -> Problem | None:
    if value in {'totale', 'partielle', 'non'}:
        return None
    return Problem(
        __("galien_accessibility_status vaut 'totale', 'partielle' ou 'non', pas %r : 'non'"),
        (value,),
    )


def check_paper_numbers(value: list[object], app: Sphinx) -> Problem | None:
    """Numbers only: anything else would never match a citation."""
    wrong = [n for n in value if not isinstance(n, int) or isinstance(n, bool) or n <= 0]
    if not wrong:
        return None
    return Problem(
        __(
            'galien_paper_issues ne contient que des numéros (entiers positifs), pas %s ; '
            'un numéro avec son mois et son PDF se déclare dans %s'
        ),
        (', '.join(map(repr, wrong)), app.config.galien_paper_archive or DEFAULT_PAPER_ARCHIVE),
        instead=[n for n in value if n not in wrong],
    )


def check_paper_archive(value: str, app: Sphinx) -> Problem | None:
    """A data file named in ``conf.py`` must be there (the default one may be absent)."""
    path = Path(app.srcdir) / value
    if not value or value == DEFAULT_PAPER_ARCHIVE or path.is_file():
        return None
    return Problem(__("galien_paper_archive : le fichier %s n'existe pas"), (path,), instead='')


def check_colophons(value: list[object], app: Sphinx) -> Problem | None:
    """Each colophon period needs a ``since`` month; the others are left out."""
    wrong = [
        period
        for period in value
        if not isinstance(period, dict) or parse_year_month(str(period.get('since', ''))) is None
    ]
    if not wrong:
        return None
    return Problem(
        __('galien_colophons : chaque période doit avoir « since » au format AAAA-MM, pas %r'),
        (wrong[0] if len(wrong) == 1 else wrong,),
        instead=[period for period in value if period not in wrong],
    )


def check_address_pattern(value: str, app: Sphinx) -> Problem | None:
    """An address pattern knows ``{baseurl}`` and ``{numero}``, nothing else."""
    try:
        value.format(baseurl='', numero=0)
    except (KeyError, IndexError, ValueError, AttributeError):
        return Problem(__('adresse %r : seuls {baseurl} et {numero} sont connus'), (value,))
    return None


def check_sender(value: str, app: Sphinx) -> Problem | None:
    """A sender without an address would make every message wrong; ``make send`` refuses it."""
    if value and not any('@' in a for _, a in getaddresses([value])):
        return Problem(
            __(
                'galien_email_from doit contenir une adresse '
                "(ex. 'Galien <galien@exemple.fr>'), pas %r"
            ),
            (value,),
        )
    return None


def check_unsubscribe(value: list[object], app: Sphinx) -> Problem | None:
    """Unsubscribe addresses are ``mailto:`` or ``https:``; the others are left out."""
    wrong = [a for a in value if not str(a).startswith(('mailto:', 'https:'))]
    if not wrong:
        return None
    return Problem(
        __('galien_unsubscribe : %r doit commencer par mailto: ou https:'),
        (wrong[0] if len(wrong) == 1 else wrong,),
        instead=[a for a in value if a not in wrong],
    )


def pull_request_preview(config: Config) -> bool:
    """Read the Docs builds pull requests as ``external`` versions: those preview the drafts."""
    return os.environ.get('READTHEDOCS_VERSION_TYPE', '') == 'external'


_TEXT = frozenset({str})
_LIST = frozenset({list, tuple})

SETTINGS: tuple[Setting, ...] = (
    # -- the content model (core) ---------------------------------------------------
    Setting('galien_issues_dir', 'issues', 'env', _TEXT, 'Dossier des numéros NNN.md'),
    Setting(
        'galien_paper_issues',
        [],
        'env',
        frozenset({list, tuple, range}),
        'Numéros parus seulement sur papier, citables avec {galien}',
        check=check_paper_numbers,
    ),
    Setting(
        'galien_paper_archive',
        DEFAULT_PAPER_ARCHIVE,
        'env',
        _TEXT,
        'Fichier (YAML) des anciens numéros parus sur papier, avec leur mois et leur PDF',
        check=check_paper_archive,
    ),
    Setting(
        'galien_drafts',
        pull_request_preview,
        'env',
        frozenset({bool}),
        'Montrer les brouillons (brouillon: oui), marqués comme tels : un aperçu',
    ),
    Setting(
        'galien_relecture',
        0,
        'env',
        frozenset({int}),
        'Numéro dont make relecture fait le PDF de relecture (0 : aucun)',
    ),
    Setting(
        'galien_volume',
        0,
        'html',
        frozenset({int}),
        'Année dont make volume fait le volume annuel (0 : aucune)',
    ),
    Setting(
        'galien_pdf_url',
        DEFAULT_PDF_URL,
        'html',
        _TEXT,
        "Adresse du PDF d'un numéro : un modèle avec {baseurl} et {numero}",
        check=check_address_pattern,
    ),
    Setting(
        'galien_feed_url',
        '{baseurl}atom.xml',
        'html',
        _TEXT,
        'Adresse du flux Atom : un modèle avec {baseurl}',
        check=check_address_pattern,
    ),
    Setting(
        'galien_epub_url',
        '{baseurl}galien.epub',
        'html',
        _TEXT,
        "Adresse de l'ePub à côté du site : un modèle avec {baseurl}",
        check=check_address_pattern,
    ),
    # -- the letter's content -------------------------------------------------------
    Setting(
        'galien_board_titles',
        ['Pr', 'Dr', 'M.', 'Mme', 'Mlle', 'Me'],
        'env',
        _LIST,
        'Titres reconnus devant les noms du board scientifique',
    ),
    Setting(
        'galien_issn',
        '',
        'env',
        _TEXT,
        "ISSN de la lettre (1234-5679) : dans les métadonnées PDF/A, l'ePub et le site",
        check=check_issn,
    ),
    Setting('galien_tagline', '', 'env', _TEXT, 'Devise imprimée sous le titre de chaque numéro'),
    Setting('galien_publisher', '', 'env', _TEXT, "Éditeur imprimé dans l'en-tête"),
    Setting(
        'galien_colophons',
        [],
        'env',
        frozenset({list}),
        'Périodes du colophon : since, service, directeur, rédacteurs',
        check=check_colophons,
    ),
    # -- the ePub -------------------------------------------------------------------
    Setting(
        'galien_epub_accessibility_summary',
        '',
        'env',
        _TEXT,
        "Résumé d'accessibilité de l'ePub (schema:accessibilitySummary)",
        package=EPUB,
    ),
    # -- the website ----------------------------------------------------------------
    Setting(
        'galien_accessibility_contact',
        [],
        'html',
        _LIST,
        "Contact de la déclaration d'accessibilité : adresses e-mail, formulaires (https:), "
        'adresse postale',
        package=WEB,
    ),
    Setting(
        'galien_accessibility_status',
        'non',
        'html',
        _TEXT,
        "État de conformité au RGAA donné par un audit : 'totale', 'partielle' ou 'non'",
        package=WEB,
        check=check_accessibility_status,
    ),
    Setting(
        'galien_accessibility_audit',
        '',
        'html',
        _TEXT,
        "Résultat de l'audit RGAA (qui, quand, taux de conformité) ; vide : aucun audit",
        package=WEB,
    ),
    # -- the e-mail -----------------------------------------------------------------
    Setting(
        'galien_email_from',
        '',
        'env',
        _TEXT,
        "Expéditeur de la lettre envoyée, par ex. 'Galien <galien@oscarlambret.fr>'",
        package=MAIL,
        check=check_sender,
    ),
    Setting(
        'galien_email_reply_to', '', 'env', _TEXT, 'Reply-To de la lettre envoyée', package=MAIL
    ),
    Setting(
        'galien_list_id',
        '',
        'env',
        _TEXT,
        "List-Id de la lettre (par défaut : galien.<domaine de l'expéditeur>)",
        package=MAIL,
    ),
    Setting(
        'galien_unsubscribe',
        [],
        'env',
        _LIST,
        'Adresses de désabonnement (mailto: et/ou https:) ; {adresse} est le lecteur',
        package=MAIL,
        check=check_unsubscribe,
    ),
    Setting(
        'galien_dkim_selector',
        '',
        'env',
        _TEXT,
        'Sélecteur DKIM ; signer demande aussi GALIEN_DKIM_KEY dans l’environnement',
        package=MAIL,
    ),
    Setting(
        'galien_dkim_domain',
        '',
        'env',
        _TEXT,
        "Domaine de signature DKIM (par défaut : celui de l'expéditeur)",
        package=MAIL,
    ),
)

#: The table by name.
SETTING = {setting.name: setting for setting in SETTINGS}


def add_settings(app: Sphinx, package: str) -> None:
    """Register the rows of ``package`` (its ``setup()`` calls this)."""
    for setting in SETTINGS:
        if setting.package == package:
            app.add_config_value(
                setting.name,
                setting.default,
                setting.rebuild,
                types=setting.types,
                description=setting.description,
            )


def assignment_lines(conf_py: Path) -> dict[str, int]:
    """The line of each top-level ``name = ...`` in ``conf.py`` (the last one wins)."""
    try:
        tree = ast.parse(conf_py.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return {}
    lines: dict[str, int] = {}
    for statement in tree.body:
        targets = (
            statement.targets
            if isinstance(statement, ast.Assign)
            else [statement.target]
            if isinstance(statement, ast.AnnAssign | ast.AugAssign)
            else []
        )
        for target in targets:
            if isinstance(target, ast.Name):
                lines[target.id] = statement.lineno
    return lines


def setting_location(app: Sphinx, name: str, lines: dict[str, int]) -> str | None:
    """Where a value was set: its line in ``conf.py``; ``None`` for ``-D`` or a default."""
    if app.confdir is None or name in app.config.overrides or name not in lines:
        return None
    return f'{Path(app.confdir) / "conf.py"}:{lines[name]}'


def problem_of(setting: Setting, value: Any, app: Sphinx) -> Problem | None:
    if not isinstance(value, tuple(setting.types)):
        expected = ', '.join(sorted(t.__name__ for t in setting.types))
        return Problem(
            __('%s doit être de type %s, pas %s (%r) : la valeur par défaut est utilisée'),
            (setting.name, expected, type(value).__name__, value),
        )
    return setting.check(value, app) if setting.check is not None else None


def check_settings(app: Sphinx, config: Config) -> None:
    """Check every registered row once; a wrong value is replaced, and said in conf.py's order."""
    found: list[tuple[Setting, Problem]] = []
    for setting in SETTINGS:
        if setting.name not in config:
            continue  # an edition left out of conf.py
        problem = problem_of(setting, getattr(config, setting.name), app)
        if problem is None:
            continue
        instead = setting.default_value(config) if problem.instead is None else problem.instead
        setattr(config, setting.name, instead)
        if problem.message:  # else a value tidied up (spaces around an ISSN): nothing to say
            found.append((setting, problem))
    if not found:
        return
    lines = assignment_lines(Path(app.confdir or '.') / 'conf.py')
    for setting, problem in sorted(found, key=lambda f: lines.get(f[0].name, len(lines) + 1)):
        warn(
            logger,
            problem.message,
            *problem.args,
            location=setting_location(app, setting.name, lines),
            subtype=Subtype.CONFIG,
        )


def setup(app: Sphinx) -> None:
    add_settings(app, CORE)
    # Before Sphinx's own type check (priority 800), which would say it again.
    app.connect('config-inited', check_settings, priority=400)
