"""Addresses and file names of the letter's editions, made in one place.

* ``galien_pdf_url``, ``galien_feed_url`` and ``galien_epub_url`` are patterns
  with ``{baseurl}`` (and ``{numero}`` for the PDF): :func:`site_url` fills them;
  a pattern naming anything else is said once and replaced by its default
  (:mod:`galien.core.config`).
* :func:`issue_file_stem` is the ``galien-020`` of every per-issue file (the
  PDF and its ``.tex``, the e-mail's three files), :func:`issue_docname_number`
  the 20 of the issue's own source, ``issues/020``.
* :func:`refused_scheme` is the allow-list of addresses an issue may link to:
  ``http``, ``https``, ``mailto`` and relative addresses, read as a browser reads
  them, so that ``JaVaScRiPt:``, `` javascript:`` or ``java\tscript:`` are refused.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.config import Config

logger = logging.getLogger(__name__)


#: The schemes an issue may link to; any other one (``javascript:``, ``data:``,
#: ``vbscript:``, ``file:``, ``ftp:``...) is refused: an allow-list, like GitHub's.
ALLOWED_SCHEMES = frozenset({'http', 'https', 'mailto'})
# WHATWG URL parsing strips leading and trailing C0 controls and spaces, and
# removes ASCII tabs and newlines anywhere, before it reads the scheme.
_C0_AND_SPACE = ''.join(map(chr, range(0x21)))
_TAB_NEWLINE = re.compile('[\t\n\r]')
# Where a scheme would end: the first ':' before any '/', '?', '#' or '\\'.
_SCHEME_END = re.compile(r'[:/?#\\]')
_DECODING_ROUNDS = 5


def _decoded(address: str) -> str:
    """``address`` with HTML entities and percent-encoding undone, as often as they nest."""
    for _round in range(_DECODING_ROUNDS):
        decoded = unquote(html.unescape(address))
        if decoded == address:
            break
        address = decoded
    return address


def refused_scheme(address: str) -> str | None:
    """The scheme of ``address`` if an issue may not link to it, else ``None``.

    Anything before a first ``:`` that comes before any ``/``, ``?``, ``#`` is a
    scheme, even if a browser would not read it as one (``java script:``): a
    relative address needing a colon there is written ``./a:b``. The address is
    judged decoded (``&#106;avascript:``, ``%6Aavascript:``) and normalised as
    WHATWG says, the way the least careful reader of the outputs would see it.
    """
    normalised = _TAB_NEWLINE.sub('', _decoded(address).strip(_C0_AND_SPACE))
    end = _SCHEME_END.search(normalised)
    if end is None or end.group() != ':':
        return None
    scheme = normalised[: end.start()].lower()
    return None if scheme in ALLOWED_SCHEMES else scheme


def issue_file_stem(numero: int) -> str:
    """``galien-020``: the name, without extension, of an issue's own files."""
    return f'galien-{numero:03d}'


def issue_docname_number(docname: str, issues_dir: str) -> int | None:
    """The number in an issue's file name (``issues/020`` -> 20), else ``None``."""
    match = re.fullmatch(re.escape(issues_dir) + r'/(\d{3,})', docname)
    return int(match[1]) if match else None


def site_url(pattern: str, baseurl: str, numero: int = 0) -> str:
    """Fill a ``{baseurl}``/``{numero}`` address pattern (checked on ``config-inited``)."""
    return pattern.format(baseurl=baseurl, numero=numero)


def pdf_url(config: Config, baseurl: str, numero: int) -> str:
    """Where an issue's PDF is published (``galien_pdf_url``), from ``baseurl``."""
    return site_url(config.galien_pdf_url, baseurl, numero)


def root_prefix(builder: Builder, docname: str) -> str:
    """The relative path from ``docname``'s page to the site's root folder."""
    index_uri = builder.get_relative_uri(docname, builder.config.root_doc)
    folder = posixpath.dirname(index_uri)
    return f'{folder}/' if folder else ''


def folder_url(url: str) -> str:
    """``url`` ending with ``/``, so that page names can follow it (empty stays empty)."""
    return url if url.endswith('/') or not url else f'{url}/'
