"""Images an issue shows: only the project's own files, really images, shown safely everywhere.

An issue file may come from outside the committee, and every image it names is
read by the build and published in every edition. So, when the issue is read
(:class:`CheckImages`, a transform that runs before Sphinx's image collector
looks for the files):

* an address with a scheme (``https://tracker.example/p.gif``, ``data:``,
  ``javascript:``, ``//hôte/…``) is never loaded: a remote image in an e-mail is
  a tracking pixel, and the ePub and LaTeX builds would fetch it
  (``galien.image-distante``);
* a path that lands outside the project's folder, written with ``../``, as an
  absolute path or through a symbolic link, is never read (``galien.fichier``);
* a missing file, or one whose bytes are not the image its name says (a text
  file named ``.png``; PNG, JPEG, GIF, WebP and SVG are the accepted formats),
  would stop LaTeX (``galien.image``);
* an SVG image is a program as much as a picture: what the editions get is a
  cleaned copy (:mod:`galien.content.svg`), written in the build's doctree folder
  and never in the sources; what was taken out is said (``galien.svg``).

A refused image becomes an :class:`image_frame`: its alternative text in a
frame, in every edition, and the rest of the issue builds.

In the PDF, an SVG image is converted to PDF by ``rsvg-convert`` (Debian's
``librsvg2-bin``), so it prints as vector graphics, and GIF and WebP images to
PNG, through Sphinx's image converters; a converted file is kept in the doctree
folder and made again only when its source changes. An image the PDF still
cannot show is framed too, never handed to LaTeX.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from glob import glob
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from docutils import nodes
from PIL import Image
from sphinx.builders.latex import LaTeXBuilder
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.post_transforms.images import ImageConverter
from sphinx.util import logging
from sphinx.util.i18n import search_image_for_language
from sphinx.util.images import guess_mimetype

from galien.content import svg
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

logger = logging.getLogger(__name__)

#: ``scheme:`` at the start of an address, or a protocol-relative ``//host``.
SCHEME = re.compile(r'^\s*(?:[a-z][a-z0-9+.\-]*:|//|\\\\)', re.IGNORECASE)
#: The accepted formats: the file's suffix, the name Pillow gives, the first bytes.
RASTER_FORMATS = {'.png': 'PNG', '.jpg': 'JPEG', '.jpeg': 'JPEG', '.gif': 'GIF', '.webp': 'WEBP'}
SIGNATURES = {
    'PNG': lambda head: head.startswith(b'\x89PNG\r\n\x1a\n'),
    'JPEG': lambda head: head.startswith(b'\xff\xd8\xff'),
    'GIF': lambda head: head[:6] in {b'GIF87a', b'GIF89a'},
    'WEBP': lambda head: head[:4] == b'RIFF' and head[8:12] == b'WEBP',
}
#: Where the cleaned SVG copies are written, inside the doctree folder.
CLEAN_SVG_DIR = 'galien-svg'
#: The attribute of an image node naming, for each cleaned copy, its source file.
SVG_SOURCES = 'galien-svg-sources'
RSVG_CONVERT = 'rsvg-convert'
CONVERT_TIMEOUT = 120


class image_frame(nodes.General, nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils naming)
    """An image that cannot be shown: its alternative text, framed; ``block`` when alone."""


# -- the checks, when the issue is read ---------------------------------------


def _located(node: nodes.Node) -> nodes.Node:
    """The node itself or its nearest ancestor that knows its line (inline images don't)."""
    while not node.line and node.parent is not None:
        node = node.parent
    return node


def frame_for(image: nodes.Element) -> nodes.Element:
    """The frame that takes ``image``'s place: in its paragraph, or as a paragraph."""
    uri = image.get('uri', '')
    text = image.get('alt', '').strip() or PurePosixPath(uri).name or uri
    frame = image_frame(text, text)
    located = _located(image)
    frame.source, frame.line = located.source, located.line
    if isinstance(image.parent, nodes.TextElement):
        return frame
    frame['block'] = True
    paragraph = nodes.paragraph('', '', frame)
    paragraph.source, paragraph.line = frame.source, frame.line
    return paragraph


def replace_by_frame(image: nodes.Element) -> None:
    image.replace_self(frame_for(image))


def raster_problem(path: Path) -> str | None:
    """Why ``path`` is not the image its suffix says, or ``None`` if it is."""
    suffix = path.suffix.lower()
    expected = RASTER_FORMATS.get(suffix)
    if expected is None:
        return __('format %s non accepté (PNG, JPEG, GIF, WebP ou SVG)') % (suffix or '« »')
    with path.open('rb') as stream:
        head = stream.read(16)
    if not SIGNATURES[expected](head):
        return __("le fichier n'est pas une image %s (son contenu ne correspond pas à son nom)") % (
            expected
        )
    try:
        with Image.open(path) as image:
            found = image.format
            image.verify()
    except Exception:
        return __("l'image %s est abîmée ou illisible") % expected
    if found != expected:
        return __("le fichier n'est pas une image %s (son contenu ne correspond pas à son nom)") % (
            expected
        )
    return None


def _outside(srcdir: Path, path: Path) -> bool:
    return not path.resolve().is_relative_to(srcdir.resolve())


class CheckImages(SphinxTransform):
    """Refuse remote, outside, missing and fake images before Sphinx collects them."""

    # After the substitutions (|logo| image::), before doctree-read (880).
    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        for image in list(self.document.findall(nodes.image)):
            self.check(image)

    def refuse(self, image: nodes.Element, subtype: Subtype, message: str, *args: object) -> None:
        warn(logger, message, *args, location=_located(image), subtype=subtype)
        replace_by_frame(image)

    def check(self, image: nodes.Element) -> None:
        uri = image.get('uri', '')
        if SCHEME.match(uri):
            self.refuse(
                image,
                Subtype.IMAGE_DISTANTE,
                __(
                    "image distante ou adresse refusée : %s n'est chargée par aucune édition ; "
                    'enregistrez l’image dans le dossier du numéro'
                ),
                uri[:80],
            )
            return
        docname = self.env.current_document.docname
        if uri.endswith(os.extsep + '*'):
            _relative, pattern = self.env.relfn2path(uri, docname)
            paths = [Path(found) for found in sorted(glob(pattern))]  # noqa: PTH207
        else:
            _relative, absolute = self.env.relfn2path(
                search_image_for_language(uri, self.env), docname
            )
            paths = [Path(absolute)]
        srcdir = self.env.srcdir
        for path in paths:
            if _outside(srcdir, path):
                self.refuse(
                    image,
                    Subtype.FICHIER,
                    __("l'image %s est hors du dossier du projet : elle n'est pas reprise"),
                    uri,
                )
                return
        for path in paths:
            # Read again when the file is added, fixed or changed, even if refused now
            # (a missing file makes Sphinx read the issue at every build, and warn again).
            self.env.note_dependency(path)
        existing = [path for path in paths if path.is_file()]
        if not existing:
            self.refuse(
                image, Subtype.IMAGE, __("image introuvable : %s (le fichier n'existe pas)"), uri
            )
            return
        for path in existing:
            if not self.content_accepted(image, uri, path):
                return

    def content_accepted(self, image: nodes.Element, uri: str, path: Path) -> bool:
        if path.suffix.lower() != '.svg':
            problem = raster_problem(path)
            if problem is not None:
                self.refuse(image, Subtype.IMAGE, __('image %s refusée : %s'), uri, problem)
            return problem is None
        try:
            report = svg.clean(path.read_bytes())
        except svg.NotSvgError as error:
            self.refuse(
                image,
                Subtype.IMAGE,
                __("image %s refusée : ce n'est pas une image SVG (%s)"),
                uri,
                error,
            )
            return False
        except svg.SvgRefusedError as error:
            self.refuse(image, Subtype.SVG, __('image SVG %s refusée : %s'), uri, error)
            return False
        if report.removed:
            warn(
                logger,
                __('image SVG %s : retiré de la copie publiée, car actif ou externe : %s'),
                uri,
                ', '.join(report.removed),
                location=_located(image),
                subtype=Subtype.SVG,
            )
        image[SVG_SOURCES] = {}
        return True


# -- the cleaned SVG copies -----------------------------------------------------


def write_clean_svg(env: BuildEnvironment, source: Path, dest: Path | None = None) -> Path | None:
    """Write the cleaned copy of ``source`` (at ``dest``, or named by its content)."""
    try:
        data = svg.clean(source.read_bytes()).data
    except (OSError, ValueError):
        return None
    if dest is None:
        digest = hashlib.sha256(data).hexdigest()[:16]
        dest = Path(env.doctreedir, CLEAN_SVG_DIR, digest, source.name)
    if not dest.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(f'.{dest.name}.{os.getpid()}.tmp')
        partial.write_bytes(data)
        partial.replace(dest)
    return dest


def use_clean_svgs(app: Sphinx, doctree: nodes.document) -> None:
    """Point every SVG image at its cleaned copy, the only file the editions copy.

    Runs after Sphinx's image collector (``doctree-read``, priority 500), which
    registered the sources in ``env.images``: the document's images are
    registered again, with the copies in place of the SVG sources, so that a copy
    keeps its source's name in ``_images/``.
    """
    env = app.env
    docname = env.current_document.docname
    changed = False
    for image in list(doctree.findall(nodes.image)):
        if SVG_SOURCES not in image:
            continue
        sources: dict[str, str] = {}
        for key, relative in list(image['candidates'].items()):
            if guess_mimetype(relative) != 'image/svg+xml' or Path(relative).is_absolute():
                continue
            copy = write_clean_svg(env, env.srcdir / relative)
            if copy is None:  # changed since it was checked
                replace_by_frame(image)
                break
            image['candidates'][key] = str(copy)
            if image['uri'] == relative:
                image['uri'] = str(copy)
            sources[str(copy)] = relative
            changed = True
        else:
            image[SVG_SOURCES] = sources
    if not changed:
        return
    registered = {path for path, (docs, _name) in env.images.items() if docname in docs}
    env.images.purge_doc(docname)
    for image in doctree.findall(nodes.image):
        for path in image['candidates'].values():
            if path in registered or path in image.get(SVG_SOURCES, {}):
                env.images.add_file(docname, path)


class RestoreCleanSvgs(SphinxPostTransform):
    """Write a cleaned copy again if its folder was emptied since the issue was read."""

    default_priority = 90  # before Sphinx's image converters

    def run(self, **kwargs: Any) -> None:
        for image in self.document.findall(nodes.image):
            sources: dict[str, str] = image.get(SVG_SOURCES, {})
            for copy, relative in sources.items():
                if not Path(copy).is_file():
                    write_clean_svg(self.env, self.env.srcdir / relative, Path(copy))


# -- the PDF: conversions, and a frame for what LaTeX cannot show ----------------


class _CachedConverter(ImageConverter):
    """A converter that keeps its result while the source is unchanged."""

    formats = ('latex',)

    def convert(self, _from: str | os.PathLike[str], _to: str | os.PathLike[str]) -> bool:
        source, target = Path(_from), Path(_to)
        if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
            return True
        partial = target.with_name(f'.{target.stem}.{os.getpid()}.tmp{target.suffix}')
        try:
            done = self.make(source, partial)
            if done:
                partial.replace(target)
            return done
        finally:
            partial.unlink(missing_ok=True)

    def make(self, source: Path, target: Path) -> bool:
        raise NotImplementedError


class SvgToPdf(_CachedConverter):
    """SVG to PDF with ``rsvg-convert``: vector graphics in the PDF."""

    conversion_rules = [('image/svg+xml', 'application/pdf')]

    def is_available(self) -> bool:
        return shutil.which(RSVG_CONVERT) is not None

    def make(self, source: Path, target: Path) -> bool:
        try:
            result = subprocess.run(
                [RSVG_CONVERT, '--format=pdf', f'--output={target}', str(source)],
                capture_output=True,
                check=False,
                timeout=CONVERT_TIMEOUT,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return result.returncode == 0 and target.is_file()


class RasterToPng(_CachedConverter):
    """GIF (its first frame) and WebP to PNG with Pillow: LaTeX reads neither."""

    conversion_rules = [
        ('image/gif', 'image/png'),
        ('image/webp', 'image/png'),
    ]

    def is_available(self) -> bool:
        return True

    def make(self, source: Path, target: Path) -> bool:
        try:
            with Image.open(source) as image:
                mode = 'RGBA' if 'A' in image.getbands() or 'transparency' in image.info else 'RGB'
                image.convert(mode).save(target, format='PNG')
        except Exception:
            return False
        return True


class FrameUnprintable(SphinxPostTransform):
    """An image LaTeX cannot include (no converter for it) is framed, not printed."""

    default_priority = 250  # after the converters (200)
    formats = ('latex',)

    def run(self, **kwargs: Any) -> None:
        supported = set(LaTeXBuilder.supported_image_types)
        for image in list(self.document.findall(nodes.image)):
            candidates: dict[str, str] = image.get('candidates', {})
            if '*' in candidates:
                printable = guess_mimetype(image['uri']) in supported
            else:
                printable = bool(supported & set(candidates))
            if not printable:
                warn(
                    logger,
                    __("l'image %s ne peut pas être imprimée : son texte la remplace"),
                    image.get(SVG_SOURCES, {}).get(image['uri'], image['uri']),
                    location=_located(image),
                    subtype=Subtype.IMAGE,
                )
                replace_by_frame(image)


# -- visitors -----------------------------------------------------------------


def visit_frame_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, 'span', '', CLASS='galien-image-absente'))


def depart_frame_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append('</span>')


def visit_frame_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    if node.get('block'):
        self.body.append(
            '\n\\par\\noindent\\fbox{\\parbox{\\dimexpr\\linewidth-2\\fboxsep-2\\fboxrule\\relax}'
            '{\\centering\\itshape '
        )
    else:
        self.body.append('\\fbox{\\itshape ')


def depart_frame_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append('}}\\par\n' if node.get('block') else '}')


def visit_frame_text(self: TextTranslator, node: nodes.Element) -> None:
    self.add_text('[')


def depart_frame_text(self: TextTranslator, node: nodes.Element) -> None:
    self.add_text(']')


def visit_frame_body(self: Any, node: nodes.Element) -> None:
    """man and texinfo: the text between brackets."""
    self.body.append('[')


def depart_frame_body(self: Any, node: nodes.Element) -> None:
    self.body.append(']')


def setup(app: Sphinx) -> None:
    app.add_node(
        image_frame,
        html=(visit_frame_html, depart_frame_html),
        latex=(visit_frame_latex, depart_frame_latex),
        text=(visit_frame_text, depart_frame_text),
        man=(visit_frame_body, depart_frame_body),
        texinfo=(visit_frame_body, depart_frame_body),
    )
    app.add_transform(CheckImages)
    app.connect('doctree-read', use_clean_svgs, priority=600)
    app.add_post_transform(RestoreCleanSvgs)
    app.add_post_transform(SvgToPdf)
    app.add_post_transform(RasterToPng)
    app.add_post_transform(FrameUnprintable)
