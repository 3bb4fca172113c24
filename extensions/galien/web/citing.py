"""« Citer ce numéro »: the issue's Vancouver citation, and RIS and BibTeX files to download.

All three are made from the issue's metadata (:mod:`galien.core.metadata`), the
ones its page's head, its PDF and the ePub carry. The website only: the block
is added to the issue's page, before its colophon, by a post-transform for the
site's builders, and the two files are written with the card images
(:mod:`galien.web.previews`) into a static folder of the build tree
(``_static/citer/galien-020.ris`` and ``.bib``); those of an issue no longer
published are deleted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from galien.build.record import write_if_changed
from galien.content.issue_page import colophon, issue_section
from galien.content.placeholders import FILL_PRIORITY
from galien.core.editions import Edition, builders_of, edition, writing_builder
from galien.core.i18n import _
from galien.core.metadata import bibtex, issue_metadata, ris, vancouver
from galien.core.registry import galien_domain
from galien.core.urls import issue_file_stem, root_prefix
from galien.web.previews import cache_dir

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: Where the citation files are, under the site's ``_static``.
SUBDIR = 'citer'
#: The formats offered, by file extension: a label and the text of a file.
FORMATS = {'ris': 'RIS', 'bib': 'BibTeX'}


class AddCitation(SphinxPostTransform):
    """« Citer ce numéro » at the end of a published issue's page, before its colophon."""

    default_priority = FILL_PRIORITY
    builders = builders_of(Edition.SITE)

    def run(self, **kwargs: Any) -> None:
        issue = galien_domain(self.env).issue_of(self.env.docname)
        section = issue_section(self.document)
        if issue is None or issue.draft or section is None:
            return
        meta = issue_metadata(self.env, issue)
        root = root_prefix(writing_builder(self.env), self.env.docname)
        block = nodes.container(classes=['galien-citer'])
        heading = str(_('Cite this issue'))
        block += nodes.rubric(heading, heading)
        block += nodes.paragraph(
            '', vancouver(meta), classes=['galien-citation-vancouver'], translatable=False
        )
        links = nodes.paragraph(classes=['galien-citation-fichiers'])
        for index, (suffix, label) in enumerate(FORMATS.items()):
            if index:
                links += nodes.Text(' · ')
            uri = f'{root}_static/{SUBDIR}/{issue_file_stem(issue.numero)}.{suffix}'
            links += nodes.reference(label, label, refuri=uri, classes=[f'galien-{suffix}'])
        block += links
        before = next((n for n in section.children if isinstance(n, colophon)), None)
        if before is None:
            section += block
        else:
            section.insert(section.index(before), block)


def write_citation_files(app: Sphinx, builder: Builder) -> None:
    """Write the RIS and BibTeX files of each published issue; delete the others'."""
    if edition(builder) is not Edition.SITE:
        return
    env = app.env
    folder = cache_dir(app) / SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    current: set[str] = set()
    for issue in galien_domain(env).archive.newest_first:
        if issue.draft:
            continue
        meta = issue_metadata(env, issue)
        for suffix, text in (('ris', ris(meta)), ('bib', bibtex(meta))):
            path = folder / f'{issue_file_stem(issue.numero)}.{suffix}'
            current.add(path.name)
            write_if_changed(path, text)
    published = Path(builder.outdir) / '_static' / SUBDIR
    for stale_folder in (folder, published):
        for file in stale_folder.glob('galien-*.*'):
            if file.name not in current:
                file.unlink()


def setup(app: Sphinx) -> None:
    app.add_post_transform(AddCitation)
    app.connect('write-started', write_citation_files)
