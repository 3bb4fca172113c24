"""Files an issue names: the project's own, never one outside its folder, never a URL.

Every path is resolved against the source folder after following symbolic
links, the way the build would open it, and refused when it lands outside:

* ``{download}`` and a Markdown link to a file (``[x](../../etc/shadow)``, which
  MyST turns into a download): the link becomes its text, nothing is copied
  (``galien.fichier``);
* ``csv-table`` with ``:file:`` outside the project, or with ``:url:`` (the
  build would fetch it): the table is left out (``galien.fichier``);
* reST ``.. include::`` in ``{eval-rst}``, with ``:literal:``, ``:code:`` or
  ``:parser:`` too, which docutils reads without the ``include-read`` event
  that :mod:`galien.content.markup` checks: nothing is included
  (``galien.include``).

``raw`` never reads its ``:file:`` or ``:url:`` (:mod:`galien.content.markup`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils.parsers.rst.directives.misc import adapt_path
from sphinx import addnodes
from sphinx.directives.other import Include
from sphinx.directives.patches import CSVTable
from sphinx.locale import __
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from galien.content.links import located
from galien.content.markup import outside
from galien.core.report import warn

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


class RefuseOutsideDownloads(SphinxTransform):
    """``{download}`` of a file outside the project: its text stays, nothing is copied.

    Runs while the document is read, before Sphinx's download collector copies
    the file (on ``doctree-read``).
    """

    default_priority = 531

    def apply(self, **kwargs: Any) -> None:
        for download in list(self.document.findall(addnodes.download_reference)):
            target = download.get('reftarget', '')
            if not target or '://' in target:
                continue  # a remote download is a link: galien.content.links
            _relative, filename = self.env.relfn2path(target, self.env.docname)
            if not outside(self.env.srcdir, Path(filename)):
                continue
            warn(
                logger,
                __(
                    'le fichier %s est hors du dossier du projet : il n’est pas proposé au '
                    'téléchargement'
                ),
                target,
                location=located(download),
                subtype='fichier',
            )
            download.replace_self([child.deepcopy() for child in download.children])


class CSVTableInProject(CSVTable):
    """``csv-table`` from the issue's text, or from a file of the project; never a URL."""

    @property
    def env(self) -> BuildEnvironment:
        return self.state.document.settings.env

    def get_location(self) -> tuple[str, int]:
        return self.env.docname, self.lineno

    # Sphinx's CSVTable already narrows docutils' return type.
    def run(self) -> list[nodes.Node]:  # type: ignore[override]
        if 'url' in self.options:
            warn(
                logger,
                __(
                    'tableau refusé : « :url: %s » ferait télécharger un fichier pendant la '
                    'construction ; copiez le tableau dans le numéro'
                ),
                self.options['url'],
                location=self.get_location(),
                subtype='fichier',
            )
            return []
        if 'file' in self.options and outside(self.env.srcdir, self.csv_path()):
            warn(
                logger,
                __('tableau refusé : le fichier %s est hors du dossier du projet'),
                self.options['file'],
                location=self.get_location(),
                subtype='fichier',
            )
            return []
        return super().run()

    def csv_path(self) -> Path:
        """The file Sphinx 9 and docutils 0.22 would open for ``:file:``."""
        value = self.options['file']
        if value.startswith('/') and not Path(value).exists():
            return self.env.srcdir / value[1:]  # Sphinx: absolute means from the sources
        # docutils opens it beside the document (adapt_path), relative to the working
        # directory: made absolute here, whatever that directory is.
        return Path(adapt_path(value, self.state.document.current_source or '')).absolute()


class IncludeInProject(Include):
    """reST ``include`` of the project's files only, whatever its options."""

    def run(self) -> list[nodes.Node]:
        argument = self.arguments[0]
        if not (argument.startswith('<') and argument.endswith('>')):
            _relative, filename = self.env.relfn2path(argument)
            if outside(self.env.srcdir, Path(filename)):
                warn(
                    logger,
                    __("le fichier inclus %s est hors du dossier du projet : il n'est pas repris"),
                    argument,
                    location=self.get_location(),
                    subtype='include',
                )
                return []
        return list(super().run())


def setup(app: Sphinx) -> None:
    app.add_transform(RefuseOutsideDownloads)
    app.add_directive('csv-table', CSVTableInProject, override=True)
    app.add_directive('include', IncludeInProject, override=True)
