"""The ePub for tablets: every issue newest first, a generated cover, a TOC by year.

* The cover (a PNG drawn with Pillow) shows the title and the range of issues;
  it is drawn after reading, into a folder of the build tree that is added to
  the ePub's static files, and named in ``epub_cover`` unless ``conf.py`` has one.
* The table of contents groups the issues under their year: the ePub builder
  is Sphinx's own, whose flat TOC (the root toctree, newest issue first) is
  regrouped after it is read.
* Pages made only for the website (the chiffres page) stay out of the book, and
  so do the website's own files (print stylesheet, sidebar icons, logo).
* The book declares and meets EPUB Accessibility 1.1 (``accessibility.py``).
* With ``SOURCE_DATE_EPOCH`` set, the ``.epub`` file is the same bytes from the
  same sources wherever it is built: Sphinx already dates the package from it
  (``dcterms:modified``, ``dc:date``) and writes its members in a fixed order,
  but zips each with its file's date and mode; here every member is dated from
  ``SOURCE_DATE_EPOCH`` and is ``rw-r--r--``.
"""

from __future__ import annotations

import html
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.dom import minidom
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from PIL import Image, ImageDraw, ImageFont
from sphinx.builders.epub3 import Epub3Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from galien.content.issue_page import issue_section
from galien.content.placeholders import FILL_PRIORITY
from galien.content.typography import typeset
from galien.core.editions import Edition, builders_of, edition
from galien.core.i18n import _, __
from galien.core.metadata import epub_fields, periodical_metadata
from galien.core.registry import galien_domain
from galien.core.titles import issues_range
from galien.epub import accessibility

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from galien.core.derived import Archive
    from galien.core.model import Issue

COVER_DIR = 'galien-epub'
COVER_FILE = 'galien-couverture.png'
COVER_TEMPLATE = 'galien-epub-cover.html'
TEMPLATES_DIR = Path(__file__).parent / 'templates'
COVER_SIZE = (1200, 1800)
BLUE, RED, PALE, GREY = (27, 79, 114), (176, 58, 46), (234, 242, 248), (77, 77, 77)
FONT_DIR = Path('/usr/share/fonts/truetype/dejavu')
#: Listings that only make sense on the website (the book's TOC already lists the issues).
SITE_ONLY_LISTINGS = frozenset({'chiffres'})
#: An anchor at the top of every issue page: in the TOC, the year points at the
#: start of its newest issue and that issue's own entry at this anchor.
ISSUE_ANCHOR = 'numero'
logger = logging.getLogger(__name__)

#: The oldest date a zip member can carry.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu when the system has it, else Pillow's own scalable font."""
    path = FONT_DIR / ('DejaVuSans-Bold.ttf' if bold else 'DejaVuSans.ttf')
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def issue_range(builder: Builder, archive: Archive) -> tuple[str, str]:
    """``('N° 1 à 240', 'janvier 2018 – décembre 2037')`` for the cover and metadata."""
    issues = archive.newest_first
    if not issues:
        return '', ''
    return issues_range(builder.env, issues[-1], issues[0])


def centred(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    size: int,
    fill: tuple[int, ...],
    bold: bool = False,
) -> None:
    face = font(size, bold)
    width = draw.textlength(text, font=face)
    draw.text(((COVER_SIZE[0] - width) / 2, y), text, font=face, fill=fill)


def wrapped(draw: ImageDraw.ImageDraw, text: str, size: int) -> list[str]:
    """``text`` cut into lines that fit the cover's width with a margin."""
    lines, line = [], ''
    for word in text.split():
        if line and draw.textlength(f'{line} {word}', font=font(size)) > COVER_SIZE[0] - 160:
            lines.append(line)
            line = word
        else:
            line = f'{line} {word}'.strip()
    return [*lines, line] if line else lines


def draw_cover(
    path: Path, title: str, tagline: str, numbers: str, months: str, publisher: str
) -> None:
    """The cover: the title on the letter's colours, the range of issues below."""
    image = Image.new('RGB', COVER_SIZE, PALE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, COVER_SIZE[0], 700), fill=BLUE)
    draw.rectangle((0, 700, COVER_SIZE[0], 730), fill=RED)
    centred(draw, 230, title, 220, (255, 255, 255), bold=True)
    for index, text in enumerate(wrapped(draw, tagline, 44)[:3]):
        centred(draw, 860 + index * 64, text, 44, GREY)
    centred(draw, 1180, numbers, 96, BLUE, bold=True)
    centred(draw, 1320, months, 52, GREY)
    for index, text in enumerate(wrapped(draw, publisher, 34)[:2]):
        centred(draw, 1600 + index * 48, text, 34, GREY)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format='PNG', optimize=True)


def cover_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / COVER_DIR


def configure_epub(app: Sphinx, config: Config) -> None:
    """Use the generated cover unless ``conf.py`` names one; list hidden toctrees.

    Set on ``config-inited``, before the environment compares its configuration
    with the previous build's: set later, it would look like a change of
    these values and make every build read every document again.
    """
    if not config.epub_cover:
        config.epub_cover = (f'_static/{COVER_FILE}', COVER_TEMPLATE)
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]
    # The issues' toctree is hidden on the home page: the book's TOC must include it,
    # unless conf.py chose otherwise.
    if config.epub_tocscope == 'default':
        config.epub_tocscope = 'includehidden'
    # Files the book leaves out, known from the configuration alone: the website's
    # own static files, and a cover page left by the previous build, which Sphinx
    # would list twice in the spine (as a leftover file, then as the cover).
    excluded = [Epub3Builder.coverpage_name, *accessibility.site_only_files(config)]
    config.epub_exclude_files = [
        *config.epub_exclude_files,
        *(f for f in excluded if f not in config.epub_exclude_files),
    ]


def add_cover_folder(app: Sphinx) -> None:
    """The cover's folder is one of the ePub's static folders (not the website's)."""
    if edition(app.builder) is not Edition.BOOK:
        return
    folder = str(cover_dir(app))
    if folder not in app.config.html_static_path:
        app.config.html_static_path = [*app.config.html_static_path, folder]


def site_only_docs(env: BuildEnvironment) -> set[str]:
    domain = galien_domain(env)
    return {
        docname
        for kind in SITE_ONLY_LISTINGS
        for docname in domain.docs_with_listing(kind)
        if docname != env.config.root_doc
    }


def before_writing(app: Sphinx, builder: Builder) -> None:
    """Draw the cover from the issues read."""
    if edition(builder) is not Edition.BOOK:
        return
    config = app.config
    archive = galien_domain(app.env).archive
    numbers, months = issue_range(builder, archive)
    draw_cover(
        cover_dir(app) / COVER_FILE,
        # An annual volume's title (« Galien – volume 2018 ») is too long for the cover's
        # large type: the letter's name there, the issues below say the year.
        config.project if config.galien_volume else config.epub_title,
        typeset(config, config.galien_tagline),
        numbers,
        months,
        typeset(config, config.galien_publisher or config.epub_publisher),
    )


def group_by_year(
    refnodes: list[dict[str, Any]], issues: dict[str, Issue], site_only: set[str]
) -> list[dict[str, Any]]:
    """Put each issue's TOC entries one level down, under an entry for its year.

    ``refnodes`` is the ePub builder's flat TOC (``level``, ``refuri``, ``text``);
    entries of the website's own pages are dropped with their sub-entries.
    """
    grouped: list[dict[str, Any]] = []
    year, shift, dropping = None, 0, False
    for node in refnodes:
        uri = node['refuri'].split('#')[0]
        if node['level'] == 1:
            issue = issues.get(uri) if '#' not in node['refuri'] else None
            dropping = uri in site_only
            shift = 1 if issue is not None else 0
            if issue is not None and issue.year != year:
                # The year opens its newest issue; the issue's own entry points just
                # inside, so that the TOC stays in reading order with unique targets.
                grouped.append({'level': 1, 'refuri': uri, 'text': str(issue.year)})
                node = {**node, 'refuri': f'{uri}#{ISSUE_ANCHOR}'}
            year = issue.year if issue is not None else None
        if not dropping:
            grouped.append({**node, 'level': node['level'] + shift})
    return grouped


def oldest_first(grouped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The TOC of :func:`group_by_year` with each year's issues oldest first (a volume).

    An issue's block is its entry (level 2) and the entries below it; the year
    opens its first issue, whose own entry points just inside (``ISSUE_ANCHOR``).
    """
    result: list[dict[str, Any]] = []
    year: dict[str, Any] | None = None
    blocks: list[list[dict[str, Any]]] = []

    def close_year() -> None:
        if year is None:
            return
        ordered = [[dict(entry) for entry in block] for block in reversed(blocks)]
        for block in ordered:
            block[0]['refuri'] = block[0]['refuri'].split('#')[0]
        if ordered:
            first = ordered[0][0]['refuri']
            year['refuri'] = first
            ordered[0][0]['refuri'] = f'{first}#{ISSUE_ANCHOR}'
        result.append(year)
        result.extend(entry for block in ordered for entry in block)

    for node in grouped:
        if node['level'] == 1:
            close_year()
            year, blocks = None, []
            if node['text'].isdigit():
                year = dict(node)
                continue
        if year is not None and node['level'] == 2:
            blocks.append([node])
        elif year is not None and blocks:
            blocks[-1].append(node)
        else:
            result.append(node)
    close_year()
    return result


def add_identifier(opf: Path, identifier: str) -> None:
    """A second ``<dc:identifier>`` (the letter's ISSN) after the book's own."""
    document = minidom.parse(str(opf))
    metadata = document.getElementsByTagName('metadata')[0]
    own = document.getElementsByTagName('dc:identifier')[0]
    element = document.createElement('dc:identifier')
    element.appendChild(document.createTextNode(identifier))
    following = own.nextSibling
    if following is None:
        metadata.appendChild(document.createTextNode('\n    '))
        metadata.appendChild(element)
    else:
        metadata.insertBefore(document.createTextNode('\n    '), following)  # type: ignore[arg-type]
        metadata.insertBefore(element, following)  # type: ignore[arg-type]
    opf.write_bytes(document.toxml(encoding='utf-8'))


def add_collection(opf: Path, entries: list[tuple[str, str, str]]) -> None:
    """The package's ``<meta>`` saying the series the book belongs to (:func:`epub_fields`)."""
    if not entries:
        return
    document = minidom.parse(str(opf))
    metadata = document.getElementsByTagName('metadata')[0]
    last = metadata.lastChild
    indent = last if last is not None and last.nodeType == last.TEXT_NODE else None
    for prop, refines, value in entries:
        meta = document.createElement('meta')
        meta.setAttribute('property', prop)
        if refines:
            meta.setAttribute('refines', refines)
        elif prop == 'belongs-to-collection':
            meta.setAttribute('id', 'collection')
        meta.appendChild(document.createTextNode(value))
        metadata.insertBefore(document.createTextNode('\n    '), indent)
        metadata.insertBefore(meta, indent)
    opf.write_bytes(document.toxml(encoding='utf-8'))


class GalienEpubBuilder(Epub3Builder):
    """Sphinx's ePub 3 builder, with the table of contents grouped by year."""

    def init(self) -> None:
        super().init()
        # The letter has no index entries: an index page would be an empty page.
        self.use_index = False
        self.html_tag = accessibility.html_tag(self.config.epub_language)
        self.guide_titles = {
            **self.guide_titles,
            'toc': str(_('Table of contents')),
            'cover': str(_('Cover')),
        }

    def content_metadata(self) -> dict[str, Any]:
        """Describe the book from the letter when ``conf.py`` does not."""
        metadata = super().content_metadata()
        config = self.config
        if config.epub_description in {'', 'unknown'}:
            numbers, months = issue_range(self, galien_domain(self.env).archive)
            parts = [config.galien_tagline, numbers, months]
            metadata['description'] = html.escape(', '.join(p for p in parts if p))
        if config.epub_contributor in {'', 'unknown'} and config.galien_publisher:
            metadata['contributor'] = html.escape(config.galien_publisher)
        return metadata

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        """The website's own pages (the chiffres page) are not written into the book."""
        if docname not in site_only_docs(self.env):
            super().write_doc(docname, doctree)

    def get_toc(self) -> None:
        super().get_toc()
        archive = galien_domain(self.env).archive
        root = self.config.root_doc
        issues = {
            self.get_relative_uri(root, issue.docname): issue for issue in archive.newest_first
        }
        site_only = {self.get_relative_uri(root, d) for d in site_only_docs(self.env)}
        self.refnodes = group_by_year(self.refnodes, issues, site_only)
        if self.config.galien_volume:
            # An annual volume reads from January to December.
            self.refnodes = oldest_first(self.refnodes)

    def build_content(self) -> None:
        super().build_content()
        cover = self.config.epub_cover[0] if self.config.epub_cover else ''
        accessibility.declare_in_package(
            Path(self.outdir) / 'content.opf',
            accessibility.package_metadata(self.config),
            self.make_id(cover.replace(os.sep, '/')) if cover else '',
        )
        if self.config.galien_issn:
            add_identifier(Path(self.outdir) / 'content.opf', f'urn:issn:{self.config.galien_issn}')
        issues = galien_domain(self.env).archive.newest_first
        add_collection(
            Path(self.outdir) / 'content.opf',
            epub_fields(
                periodical_metadata(self.config),
                (i.numero for i in issues),
                int(self.config.galien_volume or 0),
            ),
        )

    def build_navigation_doc(self) -> None:
        super().build_navigation_doc()
        accessibility.add_nav_roles(Path(self.outdir) / 'nav.xhtml')

    def build_epub(self) -> None:
        """Sphinx's ``.epub`` (members in its order), reproducible with ``SOURCE_DATE_EPOCH``."""
        epoch = source_date()
        if epoch is None:
            super().build_epub()
            return
        outdir = Path(self.outdir)
        logger.info(__('writing %s file...'), f'{self.config.epub_basename}.epub')
        names = ['mimetype', 'META-INF/container.xml', 'content.opf', 'toc.ncx', *self.files]
        with ZipFile(outdir / f'{self.config.epub_basename}.epub', 'w') as epub:
            for name in names:
                member = ZipInfo(name, date_time=epoch)
                member.compress_type = ZIP_STORED if name == 'mimetype' else ZIP_DEFLATED
                member.external_attr = 0o100644 << 16
                epub.writestr(member, (outdir / name).read_bytes())


def source_date() -> tuple[int, int, int, int, int, int] | None:
    """``SOURCE_DATE_EPOCH`` as a zip member's date (UTC), or None when it is not set."""
    value = os.environ.get('SOURCE_DATE_EPOCH', '').strip()
    if not value.isdigit():
        return None
    date = time.gmtime(int(value))[:6]
    return max(date, ZIP_EPOCH)


class AddIssueAnchor(SphinxPostTransform):
    """The anchor that the TOC gives the newest issue of each year (see ``group_by_year``)."""

    default_priority = FILL_PRIORITY
    builders = builders_of(Edition.BOOK)

    def run(self, **kwargs: Any) -> None:
        if galien_domain(self.env).issue_of(self.env.docname) is None:
            return
        section = issue_section(self.document)
        if section is not None and ISSUE_ANCHOR not in section['ids']:
            section['ids'].append(ISSUE_ANCHOR)


def cover_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if edition(app.builder) is Edition.BOOK and templatename == COVER_TEMPLATE:
        numbers, months = issue_range(app.builder, galien_domain(app.env).archive)
        context['galien_cover_alt'] = ' – '.join(
            p for p in (app.config.epub_title, numbers, months) if p
        )


def setup(app: Sphinx) -> None:
    accessibility.setup(app)
    app.add_builder(GalienEpubBuilder, override=True)
    app.connect('config-inited', configure_epub)
    app.connect('builder-inited', add_cover_folder)
    app.connect('write-started', before_writing)
    app.add_post_transform(AddIssueAnchor)
    app.connect('html-page-context', cover_context)
