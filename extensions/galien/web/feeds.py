"""The website's feeds: ``atom.xml`` (one entry per issue) and ``sitemap.xml``.

Both need absolute addresses, made from ``html_baseurl``, and both belong to
the website only: they are written after an ``html`` or ``dirhtml`` build,
never into the ePub (whose builder also has the ``html`` format). The Atom
document is built with :mod:`xml.etree.ElementTree`, so any text
an editor types (``<``, ``&``, quotes) is escaped by the serialiser;
characters XML cannot hold at all are dropped first. (feedgen 1.0.0 was
tried: it drops the ``rel`` of entry links, turning the PDF enclosure into a
second "alternate" link, which Atom forbids.)
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from sphinx.util import logging

from galien.content.typography import typeset
from galien.core.editions import Edition, edition
from galien.core.i18n import _, __
from galien.core.registry import galien_domain
from galien.core.titles import issue_title
from galien.core.urls import folder_url, pdf_url, site_url

if TYPE_CHECKING:
    from pathlib import Path

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from galien.core.derived import Archive

logger = logging.getLogger(__name__)

FEED_FILE = 'atom.xml'
SITEMAP_FILE = 'sitemap.xml'
SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'
ATOM_NS = 'http://www.w3.org/2005/Atom'
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
# Characters that XML 1.0 cannot represent, even escaped.
_NOT_XML = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def xml_text(value: str) -> str:
    return _NOT_XML.sub('', value)


def base_url(builder: Builder) -> str:
    return folder_url(builder.config.html_baseurl or '')


def page_url(builder: Builder, docname: str) -> str:
    return base_url(builder) + builder.get_target_uri(docname)


def child(
    parent: ElementTree.Element, tag: str, text: str = '', **attributes: str
) -> ElementTree.Element:
    """An Atom element; the serialiser escapes its text and attributes."""
    element = ElementTree.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text:
        element.text = xml_text(text)
    return element


def issue_date(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


def atom_feed(builder: Builder, archive: Archive) -> bytes:
    """The Atom 1.0 document: one entry per issue, newest first."""
    config, env = builder.config, builder.env
    chiffres = galien_domain(env).chiffres
    base = base_url(builder)
    # The namespace is declared on the root and every name left unqualified: the
    # serialiser then needs no process-wide prefix (ElementTree.register_namespace).
    feed = ElementTree.Element('feed', {'xmlns': ATOM_NS, XML_LANG: config.language or 'en'})
    latest = archive.latest
    updated = issue_date(latest.year, latest.month) if latest else issue_date(1970, 1)
    child(feed, 'id', base)
    child(feed, 'title', config.project)
    if config.galien_tagline:
        child(feed, 'subtitle', typeset(config, config.galien_tagline))
    child(feed, 'updated', updated.isoformat())
    author = child(feed, 'author')
    child(author, 'name', config.galien_publisher or config.author)
    child(
        feed,
        'link',
        href=site_url(config.galien_feed_url, base),
        rel='self',
        type='application/atom+xml',
    )
    child(feed, 'link', href=page_url(builder, config.root_doc), rel='alternate', type='text/html')
    for issue in archive.newest_first:
        entry = child(feed, 'entry')
        url = page_url(builder, issue.docname)
        name = issue_title(env, issue)
        published = issue_date(issue.year, issue.month).isoformat()
        child(entry, 'id', url)
        child(entry, 'title', typeset(config, f'{name} : {issue.titre}' if issue.titre else name))
        child(entry, 'published', published)
        child(entry, 'updated', published)
        child(entry, 'link', href=url, rel='alternate', type='text/html')
        pdf = pdf_url(config, base, issue.numero)
        if pdf:
            child(
                entry,
                'link',
                href=pdf,
                rel='enclosure',
                type='application/pdf',
                title=str(_('Download the PDF')),
            )
        chiffre = chiffres.get(issue.docname)
        if chiffre is not None:
            summary = f'{_("Figure of the month")} : {chiffre.figure}. {chiffre.summary}'
            child(entry, 'summary', typeset(config, ' '.join(summary.split())))
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding='utf-8', xml_declaration=True) + b'\n'


def sitemap(builder: Builder) -> bytes:
    """Every page of the site, with the issue's month as its last change."""
    archive = galien_domain(builder.env).archive
    months = {issue.docname: issue for issue in archive.newest_first}
    urlset = ElementTree.Element('urlset', {'xmlns': SITEMAP_NS})
    for docname in sorted(builder.env.found_docs):
        url = ElementTree.SubElement(urlset, 'url')
        ElementTree.SubElement(url, 'loc').text = page_url(builder, docname)
        if docname in months:
            issue = months[docname]
            ElementTree.SubElement(url, 'lastmod').text = issue.date + '-01'
    return ElementTree.tostring(urlset, encoding='utf-8', xml_declaration=True) + b'\n'


def write_if_changed(path: Path, content: bytes) -> None:
    if not path.is_file() or path.read_bytes() != content:
        path.write_bytes(content)


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """After a website build, write ``atom.xml`` and ``sitemap.xml`` next to the pages."""
    builder = app.builder
    if exception is not None or edition(builder) is not Edition.SITE:
        return
    if not base_url(builder):
        # Not a mistake (a preview build needs no feed), so no warning to fail -W.
        logger.info(
            __(
                'html_baseurl est vide dans conf.py : ni flux Atom ni plan du '
                'site (sitemap.xml), qui demandent des adresses complètes'
            )
        )
        return
    write_if_changed(app.outdir / FEED_FILE, atom_feed(builder, galien_domain(app.env).archive))
    write_if_changed(app.outdir / SITEMAP_FILE, sitemap(builder))


def announce_feed(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``<link rel="alternate">`` in every page's head, so feed readers find the feed."""
    if edition(app.builder) is not Edition.SITE or not base_url(app.builder):
        return
    href = html.escape(site_url(app.config.galien_feed_url, base_url(app.builder)))
    title = html.escape(app.config.project)
    context['metatags'] = context.get('metatags', '') + (
        f'\n<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}" />'
    )


def setup(app: Sphinx) -> None:
    app.connect('html-page-context', announce_feed)
    app.connect('build-finished', write_feeds)
