"""Citations: the Vancouver style, reading ``references.bib`` safely, clear words for unknown keys.

The ``vancouver`` styles of :mod:`galien.content.vancouver` are registered
here, for ``bibtex_default_style`` and ``bibtex_foot_reference_style``.
The .bib files are read by :mod:`galien.content.bibreader`, entry by entry and
within bounds, before sphinxcontrib-bibtex would read them: a syntax error, a
key defined twice (the first entry is kept) or an ``@string`` bomb is a warning
at ``references.bib:LINE`` (``galien.bibtex``) and costs only its entry.
An entry type the Vancouver style does not know is printed plainly and
reported with its line (``galien.style-reference``).
An unknown key is reported by sphinxcontrib-bibtex as ``bibtex.key_not_found``
in English; we re-word it for editors under the ``galien.citation`` type.
"""

from __future__ import annotations

import logging as std_logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pybtex.plugin
from docutils import nodes
from pybtex.database import BibliographyData
from pybtex.exceptions import PybtexError
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinxcontrib.bibtex.bibfile import BibData, BibFile, get_mtime

from galien.content import bibreader, vancouver
from galien.content.links import located
from galien.core.i18n import __
from galien.core.report import WARNING_TYPE, warn
from galien.core.subtypes import Subtype
from galien.core.symlinks import linked_part, warn_linked

if TYPE_CHECKING:
    from pybtex.database import Entry
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinxcontrib.bibtex.domain import BibtexDomain

logger = logging.getLogger(__name__)


def read_bib_files(app: Sphinx) -> None:
    """Read the .bib files ourselves and give sphinxcontrib-bibtex the result, with warnings.

    Workaround for sphinxcontrib-bibtex 2.7.0 with pybtex 0.26: its
    ``builder-inited`` handler parses each whole file in pybtex's strict mode, so
    one syntax error is an ``Extension error`` that stops every build, a key
    defined twice loses every later entry, and an ``@string`` bomb exhausts the
    memory (none of this has a setting). Its
    :func:`~sphinxcontrib.bibtex.bibfile.process_bibdata` keeps a
    :class:`~sphinxcontrib.bibtex.bibfile.BibData` whose files, encoding and
    modification times are current; so this handler, run just before it
    (priority 499), stores one read by :func:`galien.content.bibreader.read_bib_file`.
    It runs on every build, so the warnings are repeated until the file is fixed;
    nothing process-wide is changed, and the files are only read.
    """
    if app.config.bibtex_bibfiles is None:
        return  # sphinxcontrib-bibtex says the setting is missing
    domain = cast('BibtexDomain', app.env.domains['cite'])
    encoding = app.config.bibtex_encoding
    project = Path(app.srcdir).resolve()
    data = BibliographyData()
    bibfiles: dict[Path, BibFile] = {}
    where: dict[str, str] = {}
    for name in app.config.bibtex_bibfiles:
        shown = Path(app.confdir) / name
        path = shown.resolve()  # the name sphinxcontrib-bibtex gives the file
        keys: dict[str, None] = {}
        bibfiles[path] = BibFile(mtime=get_mtime(path), keys=keys)
        linked = linked_part(Path(app.srcdir), shown)
        if linked is not None:
            warn_linked(linked, __("aucune de ses références n'est lue"))
            continue
        if not path.is_relative_to(project):
            warn(
                logger,
                __('le fichier %s est hors du projet (%s) : il est ignoré'),
                name,
                path,
                location=f'{shown}:1',  # a file's warning needs a line to be located
                subtype=Subtype.BIBTEX,
            )
            continue
        if not path.is_file():
            warn(
                logger,
                __("le fichier %s n'existe pas : aucune de ses références ne sera imprimée"),
                name,
                location=f'{shown}:1',  # a file's warning needs a line to be located
                subtype=Subtype.BIBTEX,
            )
            continue
        contents = bibreader.read_bib_file(path, encoding)
        for problem in contents.problems:
            location = f'{shown}:{problem.line or 1}'
            warn(logger, problem.message, *problem.args, location=location, subtype=Subtype.BIBTEX)
        for key, entry in contents.data.entries.items():
            line = contents.lines[key]
            if key in data.entries:
                warn(
                    logger,
                    __(
                        'la clé %r est déjà définie en %s : cette seconde entrée est ignorée, '
                        'renommez-en une'
                    ),
                    key,
                    where[key.lower()],
                    location=f'{shown}:{line}',
                    subtype=Subtype.BIBTEX,
                )
                continue
            data.add_entry(key, entry)
            keys[entry.key] = None
            where[key.lower()] = f'{shown}:{line}'
    domain.data['bibdata'] = BibData(encoding=encoding, bibfiles=bibfiles, data=data)
    warn_unknown_entry_types(app, where)


def bib_entry(env: BuildEnvironment, key: str) -> Entry | None:
    """The entry ``key`` of the .bib files, if there is one."""
    entries = cast('BibtexDomain', env.domains['cite']).bibdata.data.entries
    entry: Entry | None = entries.get(key)
    return entry


def reference_nodes(env: BuildEnvironment, key: str) -> list[nodes.Node]:
    """The entry ``key`` as the footnotes print it (the configured style), as docutils nodes.

    For sources outside footnotes (a chiffre du mois' ``:source:``), so they read
    the same as the references under the article; the key itself if it is unknown.
    """
    entry = bib_entry(env, key)
    if entry is None:
        return [nodes.Text(key)]
    domain = cast('BibtexDomain', env.domains['cite'])
    style = pybtex.plugin.find_plugin('pybtex.style.formatting', env.config.bibtex_default_style)
    rendered: list[nodes.Node] = style().format_entry('', entry).text.render(domain.backend)
    return rendered


def uses_vancouver(app: Sphinx) -> bool:
    try:
        style = pybtex.plugin.find_plugin(
            'pybtex.style.formatting', app.config.bibtex_default_style
        )
    except PybtexError:
        return False  # sphinxcontrib-bibtex reports an unknown style itself
    return isinstance(style, type) and issubclass(style, vancouver.VancouverStyle)


def warn_unknown_entry_types(app: Sphinx, where: dict[str, str]) -> None:
    """An entry type the Vancouver style has no template for prints plainly: say so, with its line.

    ``where`` gives each entry's ``path:line``, keys in lower case.
    """
    if not uses_vancouver(app):
        return
    entries = cast('BibtexDomain', app.env.domains['cite']).bibdata.data.entries
    known = ', '.join(sorted(vancouver.VancouverStyle.KNOWN_TYPES))
    for key, entry in entries.items():
        if vancouver.VancouverStyle.knows(entry.type):
            continue
        warn(
            logger,
            __(
                "le type d'entrée @%s de la référence %r n'est pas prévu par le style "
                'Vancouver : elle est imprimée sous une forme simple (auteurs, titre, '
                'année) ; types prévus : %s'
            ),
            entry.type,
            key,
            known,
            location=where.get(key.lower()),
            subtype=Subtype.STYLE_REFERENCE,
        )


# sphinxcontrib-bibtex's modules that log 'could not find bibtex key "..."'.
BIBTEX_LOGGERS = ('foot_roles', 'roles', 'domain', 'directives', 'foot_directives')
UNKNOWN_KEY = re.compile(r'could not find bibtex key "(.*)"')


class UnknownKeyInOurWords(std_logging.Filter):
    """Re-word sphinxcontrib-bibtex's unknown-key warning, keeping its file and line."""

    def filter(self, record: std_logging.LogRecord) -> bool:
        if getattr(record, 'subtype', None) == 'key_not_found':
            match = UNKNOWN_KEY.fullmatch(record.getMessage())
            if match is not None:
                record.msg = __(
                    "la référence %r n'existe pas dans le fichier .bib : "
                    "vérifiez la clé ou ajoutez l'entrée"
                )
                record.args = (match[1],)
                record.type, record.subtype = WARNING_TYPE, Subtype.CITATION.value
        return True


def bibtex_loggers() -> list[std_logging.Logger]:
    return [
        std_logging.getLogger(f'sphinx.sphinxcontrib.bibtex.{module}') for module in BIBTEX_LOGGERS
    ]


def reword_unknown_keys(app: Sphinx) -> None:
    """For this build, an unknown citation key is told in French, as ``galien.citation``.

    Workaround for sphinxcontrib-bibtex 2.7.0: its ``bibtex.key_not_found``
    warning (``could not find bibtex key "..."``) is written in English by each of
    its role and directive modules, and it offers no hook to word it otherwise
    (no event, no message catalog). A logging filter on those modules' loggers
    re-words the record and keeps its location; it is added on ``builder-inited``
    and removed by :func:`stop_rewording_unknown_keys` on ``build-finished``, so
    nothing outlives the build.
    """
    for bibtex_logger in bibtex_loggers():
        if not any(isinstance(f, UnknownKeyInOurWords) for f in bibtex_logger.filters):
            bibtex_logger.addFilter(UnknownKeyInOurWords())


def stop_rewording_unknown_keys(app: Sphinx, exception: Exception | None) -> None:
    for bibtex_logger in bibtex_loggers():
        for installed in [f for f in bibtex_logger.filters if isinstance(f, UnknownKeyInOurWords)]:
            bibtex_logger.removeFilter(installed)


class FootcitesWithoutBibliography(SphinxTransform):
    """A ``{footcite}`` with no ``{footbibliography}`` after it points at no note.

    The website shows a number that leads nowhere, and the print edition stops
    (Sphinx's LaTeX footnote transform finds no footnote): the call is taken out
    and the editor told where to add the list of sources.
    """

    # After the document is parsed, when every {footbibliography} has made its notes.
    default_priority = 890

    def apply(self, **kwargs: object) -> None:
        # The role registers its note's id before a {footbibliography} places the note.
        placed = {id_ for note in self.document.findall(nodes.footnote) for id_ in note['ids']}
        for reference in list(self.document.findall(nodes.footnote_reference)):
            target = reference.get('refid')
            if not target or target in placed:
                continue
            warn(
                logger,
                __(
                    'source « %s » citée sans liste des sources : ajoutez '
                    "« ```{footbibliography} » en fin d'article ; l'appel est retiré"
                ),
                target.removeprefix('footcite-'),
                location=located(reference),
                subtype=Subtype.CITATION,
            )
            reference.parent.remove(reference)


def setup(app: Sphinx) -> None:
    app.add_transform(FootcitesWithoutBibliography)
    if not vancouver.register():
        warn(
            logger,
            __(
                'le nom de style %r est déjà pris par un autre paquet : le style Vancouver '
                "de Galien n'est pas disponible sous ce nom"
            ),
            vancouver.STYLE_NAME,
            subtype=Subtype.CONFIG,
        )
    # Before sphinxcontrib-bibtex would read the .bib files (priority 500).
    app.connect('builder-inited', read_bib_files, priority=499)
    app.connect('builder-inited', reword_unknown_keys)
    app.connect('build-finished', stop_rewording_unknown_keys)
