"""Back issues published on paper only, declared in one data file next to their PDFs.

``archives/numeros-papier.yml`` (``galien_paper_archive`` in ``conf.py``) lists
them, with as little as a number and a month::

    - numero: 7
      date: 2016-07
      pdf: archives/galien-007.pdf
      titre: Les anti-PD-1 arrivent
      chiffre: 3,5 %
      chiffre-texte: C'est la part des patients…
      chiffre-source: https://www.e-cancer.fr/

The file is read and checked once per build, before the documents are read
(``env-get-outdated``), with warnings located at its lines; what it declares is
kept in the registry's domain (:meth:`GalienDomain.note_back_issues`), which
says which back issues changed since the last build: the issues citing them are
read again, and the pages listing them (the archive's views, ``build/archive.py``)
written again. Numbers listed in ``galien_paper_issues`` without
an entry here stay what they were: citable, without a link.

The scalars are read from YAML's node tree (:func:`yaml.compose`), not from the
loaded values: ``numero: 010`` is ten, not YAML 1.1's octal eight, and every
entry keeps its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

import yaml
from sphinx.util import logging

from galien.core.dates import parse_year_month
from galien.core.domain import DOMAIN_NAME
from galien.core.i18n import __
from galien.core.model import Chiffre, PaperIssue, is_web_url
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.symlinks import linked_part, warn_linked

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

KEYS = ('numero', 'date', 'titre', 'pdf', 'chiffre', 'chiffre-texte', 'chiffre-source')
PDF_MAGIC = b'%PDF-'
_NULL_TAG = 'tag:yaml.org,2002:null'


class PaperArchiveReader:
    """Reads one data file, warning at the line of each mistake."""

    def __init__(self, path: Path, srcdir: Path) -> None:
        self.path, self.srcdir = path, srcdir

    def warn(self, line: int, message: str, *args: object) -> None:
        warn(logger, message, *args, location=f'{self.path}:{line}', subtype=Subtype.ARCHIVES)

    def read(self) -> tuple[PaperIssue, ...]:
        try:
            text = self.path.read_text(encoding='utf-8')
        except UnicodeDecodeError:
            self.warn(1, __("le fichier n'est pas enregistré en UTF-8 : il est ignoré"))
            return ()
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            self.warn(
                mark.line + 1 if mark else 1,
                __("fichier YAML illisible (%s) : aucun ancien numéro n'est pris en compte"),
                error.problem or error.context,
            )
            return ()
        except yaml.YAMLError as error:
            self.warn(1, __('fichier YAML illisible (%s)'), error)
            return ()
        if root is None:
            return ()
        if not isinstance(root, yaml.SequenceNode):
            self.warn(
                root.start_mark.line + 1,
                __('le fichier est une liste de numéros, chacun commençant par « - numero: »'),
            )
            return ()
        seen: dict[int, int] = {}
        issues: list[PaperIssue] = []
        for item in root.value:
            issue = self.entry(item)
            if issue is None:
                continue
            if issue.numero in seen:
                self.warn(
                    issue.line,
                    __('le N° %d est déjà déclaré à la ligne %d : cette entrée est ignorée'),
                    issue.numero,
                    seen[issue.numero],
                )
                continue
            seen[issue.numero] = issue.line
            issues.append(issue)
        return tuple(sorted(issues, key=lambda i: i.numero))

    def entry(self, node: yaml.Node) -> PaperIssue | None:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            self.warn(
                line,
                __('chaque numéro est une suite de lignes « clé: valeur » sous « - numero: »'),
            )
            return None
        values: dict[str, tuple[str, int]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1
            if key not in KEYS:
                self.warn(
                    key_line,
                    __('clé inconnue « %s » (clés possibles : %s)'),
                    key,
                    ', '.join(KEYS),
                )
                continue
            if not isinstance(value_node, yaml.ScalarNode):
                self.warn(key_line, __('« %s » attend une seule valeur sur sa ligne'), key)
                continue
            value = '' if value_node.tag == _NULL_TAG else str(value_node.value).strip()
            values[key] = (value, key_line)

        raw_numero, numero_line = values.get('numero', ('', line))
        if not raw_numero:
            self.warn(line, __("ce numéro n'a pas de « numero »"))
            return None
        numero = int(raw_numero) if raw_numero.isdigit() else 0
        if numero <= 0:
            self.warn(numero_line, __('« numero » doit être un entier positif, pas %r'), raw_numero)
            return None
        raw_date, date_line = values.get('date', ('', line))
        year_month = parse_year_month(raw_date) if raw_date else None
        if year_month is None:
            if raw_date:
                self.warn(
                    date_line,
                    __('N° %d : « date » doit être un mois réel au format AAAA-MM, pas %r'),
                    numero,
                    raw_date,
                )
            else:
                self.warn(line, __('N° %d : il manque « date » (AAAA-MM)'), numero)
            return None
        return PaperIssue(
            numero,
            year_month[0],
            year_month[1],
            titre=values.get('titre', ('', 0))[0],
            pdf=self.pdf(numero, *values.get('pdf', ('', 0))),
            chiffre=self.chiffre(numero, values, line),
            line=line,
        )

    def pdf(self, numero: int, value: str, line: int) -> str:
        """The PDF's path in the source tree if it is really there, else ``''``."""
        if not value:
            return ''
        relative = Path(value)
        if not relative.is_absolute() and linked_part(self.srcdir, self.srcdir / relative):
            warn(
                logger,
                __(
                    'N° %d : le PDF %s est un lien symbolique : refusé, '
                    'le numéro est publié sans lien'
                ),
                numero,
                value,
                location=f'{self.path}:{line}',
                subtype=Subtype.LIEN_SYMBOLIQUE,
            )
            return ''
        source = (self.srcdir / relative).resolve()
        if relative.is_absolute() or not source.is_relative_to(self.srcdir.resolve()):
            self.warn(
                line,
                __(
                    'N° %d : « pdf » est un chemin dans le dépôt, depuis sa racine '
                    '(ex. archives/galien-007.pdf), pas %r'
                ),
                numero,
                value,
            )
            return ''
        try:
            with source.open('rb') as stream:
                start = stream.read(len(PDF_MAGIC))
        except OSError:
            self.warn(
                line,
                __('N° %d : le PDF %s est introuvable ; le numéro est publié sans lien'),
                numero,
                value,
            )
            return ''
        if start != PDF_MAGIC:
            self.warn(
                line,
                __(
                    "N° %d : %s n'est pas un PDF (un PDF commence par « %%PDF- ») ; "
                    'le numéro est publié sans lien'
                ),
                numero,
                value,
            )
            return ''
        return source.relative_to(self.srcdir.resolve()).as_posix()

    def chiffre(self, numero: int, values: dict[str, tuple[str, int]], line: int) -> Chiffre | None:
        figure, figure_line = values.get('chiffre', ('', line))
        summary, summary_line = values.get('chiffre-texte', ('', line))
        source, source_line = values.get('chiffre-source', ('', line))
        if not figure:
            if summary or source:
                self.warn(
                    summary_line if summary else source_line,
                    __('N° %d : « chiffre-texte » et « chiffre-source » vont avec un « chiffre »'),
                    numero,
                )
            return None
        if not summary:
            self.warn(
                figure_line,
                __("N° %d : le chiffre du mois %r n'a pas de texte (« chiffre-texte »)"),
                numero,
                figure,
            )
        if source and not is_web_url(source):
            self.warn(
                source_line,
                __('N° %d : « chiffre-source » doit être une adresse web complète, pas %r'),
                numero,
                source,
            )
            source = ''
        return Chiffre(figure, ' '.join(summary.split()), source)


class KeepsBackIssues(Protocol):
    """What the registry's domain offers of the back issues (:class:`GalienDomain`)."""

    @property
    def back_issues(self) -> tuple[PaperIssue, ...]: ...


def read_paper_archive(env: BuildEnvironment) -> tuple[PaperIssue, ...]:
    """The back issues ``galien_paper_archive`` declares, warning at the lines of its mistakes.

    A file named in ``conf.py`` and absent is said once, on ``config-inited``
    (:mod:`galien.core.config`); the default one may be absent.
    """
    relative = env.config.galien_paper_archive
    path = Path(env.srcdir) / relative
    if not relative:
        return ()
    linked = linked_part(Path(env.srcdir), path)
    if linked is not None:
        warn_linked(linked, __("aucun ancien numéro n'en est lu"))
        return ()
    if not path.is_file():
        return ()
    return PaperArchiveReader(path, Path(env.srcdir)).read()


def back_issues(env: BuildEnvironment) -> dict[int, PaperIssue]:
    """The back issues declared in the data file, by number, as this build read it."""
    domain = cast('KeepsBackIssues', env.get_domain(DOMAIN_NAME))
    return {issue.numero: issue for issue in domain.back_issues}


def is_paper_number(env: BuildEnvironment, numero: int) -> bool:
    """Whether ``numero`` was published on paper: in the data file or in ``galien_paper_issues``."""
    return numero in env.config.galien_paper_issues or numero in back_issues(env)
