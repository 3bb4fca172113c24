"""Link previews: OpenGraph and Twitter card tags on every page, a drawn image per issue.

A link to the website pasted into Teams, Outlook, LinkedIn or a messaging app
shows a card: the page's title and description (``og:*``, ``twitter:*`` in the
page's ``<head>``) and, for an issue, an image drawn at build time from its
metadata (:func:`galien.core.metadata.issue_metadata`): the masthead, the
issue's number and month, its headline and its chiffre du mois. The home page
has a card of its own (``galien.png``): the masthead, the tagline and the latest
issue, drawn again when a new issue appears.

``sphinxext-opengraph`` (0.13) was considered: its social cards put the site's
and the page's titles and a description on a fixed matplotlib layout, with no
place for an issue's number or its chiffre du mois, and its tags would land in
the ePub too (it does not ask which builder writes). This is the small piece
the letter needs.

The images are drawn with Pillow into a folder of the build tree
(``<doctrees>/galien-apercus/apercus/galien-NNN.png``) that the website copies
as ``_static/apercus/``. A PNG written by Pillow holds no date: from the same
inputs (and the same Pillow and fonts) it is the same bytes, with or without
``SOURCE_DATE_EPOCH``. Each image's inputs are kept
(``<doctrees>/galien-apercus.json``): an unchanged issue is not drawn again;
the image of an issue no longer published is deleted, from the folder and from
the website.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import PIL
from babel.core import Locale, UnknownLocaleError, get_global
from PIL import Image, ImageDraw, ImageFont
from sphinx.util import logging

from galien.build.record import digest, write_if_changed
from galien.core.editions import Edition, edition
from galien.core.i18n import _
from galien.core.metadata import IssueMetadata, issue_metadata, meta_tags
from galien.core.registry import galien_domain
from galien.core.titles import number_and_month
from galien.core.urls import folder_url, issue_file_stem

if TYPE_CHECKING:
    from docutils.nodes import document
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: The folder of the build tree holding the drawn images (a static folder of the site).
CACHE_DIR = 'galien-apercus'
#: Where they are under the site's ``_static``.
SUBDIR = 'apercus'
#: What each image was drawn from, by file name.
INPUTS_FILE = 'galien-apercus.json'
#: The home page's card (not an issue's: ``galien-*.png`` are).
HOME_FILE = 'galien.png'
#: The size social networks crop to (1.91:1).
SIZE = (1200, 630)
#: Change to draw every image again after changing the drawing.
DRAWING_VERSION = 1
BLUE, RED, PALE, GREY, WHITE = (27, 79, 114), (176, 58, 46), (234, 242, 248), (77, 77, 77), 'white'
FONT_DIR = Path('/usr/share/fonts/truetype/dejavu')
#: A card's description, cut at a word before this many characters.
DESCRIPTION_LENGTH = 200


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu when the system has it (≥, β, µ), else Pillow's own scalable font."""
    path = FONT_DIR / ('DejaVuSans-Bold.ttf' if bold else 'DejaVuSans.ttf')
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def lines_of(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, bold: bool) -> list[str]:
    """``text`` cut into lines no wider than ``width``."""
    face = font(size, bold)
    lines: list[str] = []
    line = ''
    for word in text.split():
        if line and draw.textlength(f'{line} {word}', font=face) > width:
            lines.append(line)
            line = word
        else:
            line = f'{line} {word}'.strip()
    return [*lines, line] if line else lines


def shortened(text: str, length: int) -> str:
    """``text`` cut at a word, with an ellipsis, if longer than ``length``."""
    text = ' '.join(text.split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(' ', 1)[0].rstrip(' ,;:.') + '…'


def drawing_inputs(meta: IssueMetadata, tagline: str) -> dict[str, Any]:
    """Everything the image shows, and what draws it: equal inputs, equal bytes."""
    return {
        'version': DRAWING_VERSION,
        'pillow': PIL.__version__,
        'name': meta.periodical.name,
        'tagline': tagline,
        'publisher': meta.periodical.publisher,
        'number': meta.numero,
        'month': meta.month_label,
        'headline': meta.headline,
        'figure': meta.figure,
        'summary': meta.figure_summary,
        'label': str(_('Figure of the month')),
    }


def new_card(band: int, rule: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A blank card under the masthead's blue band (``band`` high) and red rule."""
    image = Image.new('RGB', SIZE, PALE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], band), fill=BLUE)
    draw.rectangle((0, band, SIZE[0], band + rule), fill=RED)
    return image, draw


def finish_card(image: Image.Image, draw: ImageDraw.ImageDraw, path: Path, publisher: str) -> None:
    """The publisher at the foot, then the card written whole under its name."""
    draw.text((60, SIZE[1] - 50), shortened(publisher, 90), font=font(22), fill=GREY)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix('.part')
    image.save(partial, format='PNG', optimize=True)
    partial.replace(path)


def draw_preview(path: Path, inputs: dict[str, Any]) -> None:
    """The card: masthead band, number and month, headline, and the chiffre du mois."""
    width = SIZE[0]
    image, draw = new_card(150, 10)
    draw.text((60, 28), inputs['name'], font=font(80, bold=True), fill=WHITE)
    for index, line in enumerate(lines_of(draw, inputs['tagline'], 22, 640, False)[:2]):
        draw.text((500, 45 + index * 30), line, font=font(22), fill=WHITE)
    draw.text(
        (60, 190),
        number_and_month(inputs['number'], inputs['month'], plain=True),
        font=font(52, bold=True),
        fill=BLUE,
    )
    y = 270
    for line in lines_of(draw, inputs['headline'], 36, width - 120, True)[:2]:
        draw.text((60, y), line, font=font(36, bold=True), fill=GREY)
        y += 46
    if inputs['figure']:
        y = max(y + 20, 380)
        draw.text((60, y), inputs['label'], font=font(26, bold=True), fill=RED)
        figure_face = font(96, bold=True)
        draw.text((60, y + 36), inputs['figure'], font=figure_face, fill=RED)
        left = 60 + int(draw.textlength(inputs['figure'], font=figure_face)) + 40
        summary = lines_of(draw, inputs['summary'], 26, width - left - 60, False)
        for index, line in enumerate(summary[:4]):
            text = line if index < 3 or len(summary) == 4 else f'{line} …'
            draw.text((left, y + 46 + index * 34), text, font=font(26), fill=GREY)
    finish_card(image, draw, path, inputs['publisher'])


def home_inputs(config: Config, latest: IssueMetadata | None) -> dict[str, Any]:
    """Everything the home page's card shows: the letter, and its latest issue if any."""
    return {
        'version': DRAWING_VERSION,
        'pillow': PIL.__version__,
        'name': config.project,
        'tagline': config.galien_tagline,
        'publisher': config.galien_publisher or config.author or '',
        'latest': f'{latest.numero} – {latest.month_label}' if latest else '',
        'label': str(_('Latest issue')),
    }


def draw_home_preview(path: Path, inputs: dict[str, Any]) -> None:
    """The home page's card: the masthead, the tagline, the latest issue."""
    width = SIZE[0]
    image, draw = new_card(260, 12)
    draw.text((60, 60), inputs['name'], font=font(120, bold=True), fill=WHITE)
    y = 300
    for line in lines_of(draw, inputs['tagline'], 36, width - 120, True)[:3]:
        draw.text((60, y), line, font=font(36, bold=True), fill=GREY)
        y += 46
    if inputs['latest']:
        y = max(y + 24, 420)
        draw.text((60, y), inputs['label'], font=font(26, bold=True), fill=RED)
        draw.text((60, y + 36), f'N° {inputs["latest"]}', font=font(52, bold=True), fill=BLUE)
    finish_card(image, draw, path, inputs['publisher'])


def cache_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / CACHE_DIR


def preview_file(numero: int) -> str:
    """``galien-020.png``: the name of an issue's card image."""
    return f'{issue_file_stem(numero)}.png'


def add_preview_folder(app: Sphinx) -> None:
    """The images' folder is one of the website's static folders (not the ePub's)."""
    if edition(app.builder) is not Edition.SITE:
        return
    folder = str(cache_dir(app))
    (cache_dir(app) / SUBDIR).mkdir(parents=True, exist_ok=True)
    if folder not in app.config.html_static_path:
        app.config.html_static_path = [*app.config.html_static_path, folder]


def draw_previews(app: Sphinx, builder: Builder) -> None:
    """Draw the card of each published issue whose inputs changed; delete the others' cards."""
    if edition(builder) is not Edition.SITE:
        return
    env = app.env
    folder = cache_dir(app) / SUBDIR
    record = Path(app.doctreedir) / INPUTS_FILE
    try:
        drawn: dict[str, str] = json.loads(record.read_text(encoding='utf-8'))
    except (OSError, ValueError):
        drawn = {}
    current: dict[str, str] = {}
    for issue in galien_domain(env).archive.newest_first:
        if issue.draft:
            continue
        name = preview_file(issue.numero)
        inputs = drawing_inputs(issue_metadata(env, issue), app.config.galien_tagline)
        current[name] = digest(inputs)
        if drawn.get(name) != current[name] or not (folder / name).is_file():
            draw_preview(folder / name, inputs)
    latest = next((i for i in galien_domain(env).archive.newest_first if not i.draft), None)
    home = home_inputs(app.config, issue_metadata(env, latest) if latest else None)
    current[HOME_FILE] = digest(home)
    if drawn.get(HOME_FILE) != current[HOME_FILE] or not (folder / HOME_FILE).is_file():
        draw_home_preview(folder / HOME_FILE, home)
    published = Path(builder.outdir) / '_static' / SUBDIR
    for stale_folder in (folder, published):
        for image in stale_folder.glob('galien-*.png'):
            if image.name not in current:
                image.unlink()
    write_if_changed(record, json.dumps(current, indent=1, sort_keys=True))


def og_locale(language: str) -> str:
    """``fr_FR``: OpenGraph's ``language_TERRITORY`` for ``language`` (its likeliest territory)."""
    if not language:
        return ''
    try:
        locale = Locale.parse(language.replace('-', '_'))
    except (ValueError, UnknownLocaleError):
        return ''
    territory = locale.territory or str(get_global('likely_subtags').get(locale.language, ''))[-2:]
    return f'{locale.language}_{territory}' if territory.isalpha() else locale.language


def page_title(app: Sphinx, pagename: str, context: dict[str, Any]) -> str:
    titles = app.env.titles
    if pagename in titles:
        return titles[pagename].astext()
    return str(context.get('title') or app.config.project)


def add_preview_tags(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: document | None,
) -> None:
    """``og:*`` and ``twitter:*`` tags in the head of every page of the website."""
    if edition(app.builder) is not Edition.SITE:
        return
    config = app.config
    base = folder_url(config.html_baseurl or '')
    issue = galien_domain(app.env).issue_of(pagename)
    title = page_title(app, pagename, context)
    description = config.galien_tagline
    image = ''
    og_type = 'website'
    if issue is not None and not issue.draft:
        meta = issue_metadata(app.env, issue)
        og_type = 'article'
        if meta.headline:
            title = f'{meta.title} : {meta.headline}'
        if meta.figure:
            description = f'{_("Figure of the month")} : {meta.figure}. {meta.figure_summary}'
        if base:
            image = f'{base}_static/{SUBDIR}/{preview_file(issue.numero)}'
    elif pagename == config.root_doc and base:
        image = f'{base}_static/{SUBDIR}/{HOME_FILE}'
    properties = [
        ('og:site_name', config.project),
        ('og:type', og_type),
        ('og:title', title),
        ('og:description', shortened(description, DESCRIPTION_LENGTH)),
        ('og:locale', og_locale(config.language or '')),
        ('og:url', f'{base}{app.builder.get_target_uri(pagename)}' if base else ''),
        ('og:image', image),
        ('og:image:type', 'image/png' if image else ''),
        ('og:image:width', str(SIZE[0]) if image else ''),
        ('og:image:height', str(SIZE[1]) if image else ''),
        ('og:image:alt', title if image else ''),
    ]
    names = [
        ('twitter:card', 'summary_large_image' if image else 'summary'),
        ('twitter:title', title),
        ('twitter:description', shortened(description, DESCRIPTION_LENGTH)),
    ]
    context['metatags'] = (
        context.get('metatags', '')
        + meta_tags([(k, v) for k, v in properties if v], attribute='property')
        + meta_tags([(k, v) for k, v in names if v])
    )


def setup(app: Sphinx) -> None:
    app.connect('builder-inited', add_preview_folder)
    app.connect('write-started', draw_previews)
    app.connect('html-page-context', add_preview_tags)
