"""Files an issue names for download: the project's own, never one outside its folder.

``{download}`` and a Markdown link to a file (``[x](../../etc/shadow)``, which
MyST turns into a download) are resolved against the source folder after
following symbolic links, the way the build would open them, and refused when
they land outside: the link becomes its text, nothing is copied
(``galien.fichier``). No other construct of the letter's language reads a file
but images (:mod:`galien.content.images`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from galien.content.links import located
from galien.content.markup import outside
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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
                subtype=Subtype.FICHIER,
            )
            download.replace_self([child.deepcopy() for child in download.children])


def setup(app: Sphinx) -> None:
    app.add_transform(RefuseOutsideDownloads)
