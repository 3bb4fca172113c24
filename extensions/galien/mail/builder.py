"""The ``email`` builder: per issue, an HTML letter, its text alternative and a draft.

Sphinx's HTML builder, for what a page of HTML needs (the translator's
settings, highlighter, section and figure numbers, image look-up), with what
differs overridden: an e-mail needs no theme, search index, static files,
``_sources``, ``objects.inv`` or ``.buildinfo``, only one self-contained
document per issue, its links absolute on the website. Every node keeps the
HTML visitors registered by extensions; only the letter's blocks are re-framed
as tables, which Outlook and Gmail both lay out.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, cast
from urllib.parse import quote

from docutils import frontend
from docutils.writers import html5_polyglot
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.highlighting import PygmentsBridge
from sphinx.util import logging

from galien.content.sanitiser import sanitised, warn_removed
from galien.content.typography import typeset
from galien.core.i18n import __
from galien.core.registry import galien_domain
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.titles import issue_title
from galien.core.urls import folder_url, issue_docname_number, issue_file_stem, pdf_url
from galien.mail.html import EmailHTMLTranslator
from galien.mail.letter import Letter, render_letter
from galien.mail.message import build_message
from galien.mail.text import render_text

if TYPE_CHECKING:
    from collections.abc import Iterator, Set

    from docutils import nodes
    from sphinx.config import Config

    from galien.core.model import Chiffre, Issue

logger = logging.getLogger(__name__)

#: Gmail cuts messages beyond about 102 KB ("[Message clipped]"): warn above 100 KB.
MAX_MESSAGE_BYTES = 100 * 1024
#: The table layout attributes the e-mail's translator writes, which mail clients read.
LAYOUT_ATTRIBUTES = {
    'table': {'border', 'cellpadding', 'cellspacing', 'width', 'align'},
    'td': {'valign', 'width', 'align'},
    'img': {'border'},
}
#: The files written for each issue.
MESSAGE_SUFFIXES = frozenset({'.html', '.txt', '.eml'})
#: Inboxes show about this many characters of a message's first line.
PREHEADER_LENGTH = 140


def preheader(chiffre: Chiffre | None, config: Config) -> str:
    """The line inboxes show after the subject: the chiffre du mois, in short."""
    if chiffre is None:
        return ''
    summary = ' '.join(f'{chiffre.figure} – {chiffre.summary}'.split())
    # Collected as written, before the typography transform: spaced like the rest.
    summary = typeset(config, summary)
    return (
        summary
        if len(summary) <= PREHEADER_LENGTH
        else (summary[:PREHEADER_LENGTH].rsplit(' ', 1)[0] + '…')
    )


class EmailBuilder(StandaloneHTMLBuilder):
    """Write ``galien-NNN.html``, ``.txt`` and ``.eml`` for every issue."""

    name = 'email'
    epilog = __('Les e-mails sont dans %(outdir)s.')
    default_translator_class = EmailHTMLTranslator
    # Mail clients show no SVG (Gmail, Outlook) and no data: images: bitmap files only.
    supported_image_types = ['image/png', 'image/jpeg', 'image/gif']
    supported_data_uri_images = False
    # No permalinks, downloads, source copies or links to full-size images: a
    # message is read, not browsed.
    add_permalinks = False
    download_support = False
    copysource = False
    html_scaled_image_link = False
    search = False
    use_index = False
    # Written one after another, as by Sphinx's base Builder it replaced: a build
    # writes the month's issue or two, for which forking costs more than it saves.
    allow_parallel = False

    @property
    def math_renderer_name(self) -> str:
        # No script runs in a mail client: the formulas are text (content/math_text.py).
        return 'mathjax'

    def init(self) -> None:
        """The HTML builder's state for the translator, without its theme and assets."""
        self.secnumbers = {}
        self.fignumbers: dict[str, dict[str, tuple[int, ...]]] = {}
        self.current_docname = ''
        self.dlpath = ''
        self.highlighter = PygmentsBridge('html', self.config.pygments_style or 'sphinx')
        self.out_suffix = self.config.html_file_suffix or '.html'
        self.link_suffix = self.config.html_link_suffix or self.out_suffix
        self.baseurl = folder_url(self.config.html_baseurl or '')
        if not self.baseurl:
            warn(
                logger,
                __(
                    "html_baseurl est vide dans conf.py : les liens de l'e-mail "
                    'ne mèneront pas au site'
                ),
                subtype=Subtype.EMAIL,
            )
        self.imagedir = '_images'
        self.imgpath = f'{self.baseurl}_images'

    # -- which issues to write --------------------------------------------------

    def get_outdated_docs(self) -> Iterator[str]:
        """Every issue whose e-mail is missing or older than its source."""
        issues_dir = self.config.galien_issues_dir
        for docname in sorted(self.env.found_docs):
            if issue_docname_number(docname, issues_dir) is None:
                continue  # the home page and other pages are not sent
            issue = galien_domain(self.env).issue_of(docname)
            if issue is None:
                yield docname  # not read yet
                continue
            target = self.outdir / f'{issue_file_stem(issue.numero)}.html'
            source = self.env.doc2path(docname)
            if not source.is_file():
                continue  # deleted since the last build: the reading phase removes it
            if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
                yield docname

    # -- addresses: always absolute, on the website ------------------------------

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return f'{self.baseurl}{quote(docname)}{self.link_suffix}'

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        # A message has no place of its own: every link goes to the website.
        return self.get_target_uri(to, typ)

    def issue_pdf_url(self, issue: Issue) -> str:
        """The issue's PDF on the website; the default place if the pattern is wrong."""
        url = pdf_url(self.config, self.baseurl, issue.numero)
        return url or f'{self.baseurl}pdf/{issue_file_stem(issue.numero)}.pdf'

    # -- writing ---------------------------------------------------------------

    def remove_stale_messages(self) -> None:
        """Delete the e-mails of issues no longer in the tree: none outlives its file."""
        current = {issue_file_stem(i.numero) for i in galien_domain(self.env).ordered_issues()}
        for path in self.outdir.glob('galien-[0-9]*.*'):
            if path.suffix in MESSAGE_SUFFIXES and path.stem not in current:
                path.unlink()

    def prepare_writing(self, docnames: Set[str]) -> None:
        self.remove_stale_messages()
        self.docsettings = frontend.get_default_settings(html5_polyglot.Writer)
        for key, value in self.env.settings.items():
            setattr(self.docsettings, key, value)
        # The issue's title is the message's only <h1>, as on the website.
        self.docsettings.initial_header_level = 1

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        issue = galien_domain(self.env).issue_of(docname)
        if issue is None:
            return
        self.current_docname = docname
        self.post_process_images(doctree)
        doctree.settings = self.docsettings
        translator = cast('EmailHTMLTranslator', self.create_translator(doctree, self))

        stem = issue_file_stem(issue.numero)
        chiffre = galien_domain(self.env).chiffres.get(docname)
        letter = Letter(
            title=issue_title(self.env, issue),
            language=self.config.language or 'en',
            body='',
            online_url=self.get_target_uri(docname),
            pdf_url=self.issue_pdf_url(issue),
            preheader=preheader(chiffre, self.config),
            publisher=self.config.galien_publisher,
        )
        # Text first: the HTML translator rewrites links and images in place.
        text = render_text(self, doctree, letter)
        doctree.walkabout(translator)
        body, removed = sanitised(''.join(translator.fragment), LAYOUT_ATTRIBUTES)
        if removed:
            warn_removed(docname, removed)
        html = render_letter(replace(letter, body=body))
        self.outdir.mkdir(parents=True, exist_ok=True)
        (self.outdir / f'{stem}.html').write_text(html, encoding='utf-8')
        (self.outdir / f'{stem}.txt').write_text(text, encoding='utf-8')
        message = build_message(letter.title.replace('\u00a0', ' '), html, text)
        data = message.as_bytes()
        (self.outdir / f'{stem}.eml').write_bytes(data)
        if len(data) > MAX_MESSAGE_BYTES:
            warn(
                logger,
                __(
                    "l'e-mail %s.eml pèse %d Ko, plus de %d Ko : Gmail le coupera "
                    '(« Message tronqué ») ; allégez le numéro ou ses images'
                ),
                stem,
                math.ceil(len(data) / 1024),
                MAX_MESSAGE_BYTES // 1024,
                location=(docname, None),
                subtype=Subtype.EMAIL,
            )

    def write_doc_serialized(self, docname: str, doctree: nodes.document) -> None:
        pass  # no search index; images are chosen in write_doc

    def copy_assets(self) -> None:
        pass  # no static files, downloads or extra files: the letter links to the site

    def finish(self) -> None:
        pass  # no indices, extra pages, images, search index, inventory or build info

    def cleanup(self) -> None:
        pass  # no theme was loaded
