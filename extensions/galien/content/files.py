"""Files an issue names for download: the project's visible, ordinary files only.

``{download}`` and a Markdown link to a file (``[x](../../etc/shadow)``, which
MyST turns into a download) are resolved against the source folder after
following symbolic links, the way the build would open them. What is offered
is a regular file of the project whose path has no hidden part: a file outside
the project, one under a name starting with a dot (``.git/config``, which may
hold a token, ``.env``) and one that is not a regular file (a named pipe, which
Sphinx's copy would wait on) are refused: the link becomes its text, nothing is
copied (``galien.fichier``, ``galien.fichier-special``). No other construct of
the letter's language reads a file but images (:mod:`galien.content.images`).
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
            refusal = self.refusal(Path(filename))
            if refusal is None:
                continue
            refuse_download(download, target, *refusal)

    def refusal(self, path: Path) -> tuple[Subtype, str] | None:
        """Why the file at ``path`` is not offered, if it is not."""
        project = Path(self.env.srcdir).resolve()
        if outside(project, path):
            return Subtype.FICHIER, __(
                'le fichier %s est hors du dossier du projet : il n’est pas proposé au '
                'téléchargement'
            )
        resolved = path.resolve()
        if any(part.startswith('.') for part in resolved.relative_to(project).parts):
            return Subtype.FICHIER, __(
                'le fichier %s est caché (son nom ou celui d’un de ses dossiers commence par un '
                'point) : il n’est pas proposé au téléchargement'
            )
        if resolved.exists() and not resolved.is_file():
            return Subtype.FICHIER_SPECIAL, __(
                "le fichier %s n'est pas un fichier ordinaire (dossier, tube nommé, socket ou "
                'périphérique) : il n’est pas proposé au téléchargement'
            )
        return None


def refuse_download(
    download: addnodes.download_reference, target: str, subtype: Subtype, message: str
) -> None:
    """Say why ``target`` is not offered; the link becomes its text, nothing is copied."""
    warn(logger, message, target, location=located(download), subtype=subtype)
    download.replace_self([child.deepcopy() for child in download.children])


def setup(app: Sphinx) -> None:
    app.add_transform(RefuseOutsideDownloads)
