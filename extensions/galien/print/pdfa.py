"""PDF/A-2b: each issue's PDF, as LuaLaTeX made it, rewritten as an archival file.

Tried with TeX Live 2022 (the guide, « PDF »): ``\\DocumentMetadata{pdfstandard=A-2b}``
writes XMP extension schemas (``pdfx``, ``prism``, ``pdfaExtension``...) that
pikepdf's validator refuses, and grows each PDF by an ICC profile and the
LuaLaTeX time; ``pdfx`` cannot be loaded after Sphinx's hyperref. So the print
edition's Makefile runs :func:`make_pdfa` (``python -m galien.print.pdfa FILE``) on
each PDF LuaLaTeX has just written, before it gets its own name:
``pikepdf.pdfa.save`` adds the sRGB output intent and the XMP metadata, writes,
and validates what it wrote.

The metadata come from the PDF itself: the class puts the title, author,
subject and language where hyperref always does, and the issue's date, its
publisher, the ISSN and the issue as a source (« Galien, N° 20, février 2018 »,
``dc:source``; see :func:`galien.core.metadata.pdf_fields` for why not PRISM)
in information entries of its own
(:data:`INFO_KEYS`), moved here into the XMP packet. Constructs that
PDF/A-2b allows but that pikepdf's allow-list does not know are changed
without changing a page: the ``/OpenAction`` that opens page 1 at full page (a
viewer opens there anyway), bookmark titles stored as indirect objects (made
direct), and the empty ``/Pattern`` resources and unused pattern colour space
that PGF (tcolorbox) puts on every page; and the glyph lists of font subsets
(``/CIDSet`` of the fallback fonts, ``/CharSet`` of the Type 1 fonts formulas
use), optional in PDF/A-2, which pikepdf checks against the subset more
strictly than the fonts LuaTeX writes them; and the
``/PTEX.*`` keys LuaTeX adds to an included PDF figure (a converted SVG).

Reproducible: the XMP dates are those of the PDF's information (LuaTeX takes
them from ``SOURCE_DATE_EPOCH`` when it is set) and the file identifier is a
digest of the content (``deterministic_id``, LuaTeX's own identifier dropped).

Fast enough as a process per PDF: the step imports pikepdf's validator (not
Sphinx) and :func:`main` exits without the interpreter's teardown, which freed
the validator for a quarter of the step's time.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from galien.print.job_files import PART_SUFFIX, SOURCES_FILE

if TYPE_CHECKING:
    import pikepdf

#: Information entries the letter's class writes for this step (galienletter.cls).
INFO_KEYS = {
    'date': '/GalienDate',
    'publisher': '/GalienPublisher',
    'issn': '/GalienISSN',
    'source': '/GalienSource',
}
FLAVOUR = '2b'
PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|([+-])(\d{2})'?(\d{2})'?)?")


class NotArchivalError(Exception):
    """The PDF could not be made PDF/A: the validator's first findings."""


def xmp_date(value: str) -> str | None:
    """A PDF date (``D:20180201000000Z``) in XMP's ISO 8601 form, or None."""
    match = PDF_DATE.match(value)
    if not match:
        return None
    zone = UTC
    if match[8]:
        offset = timedelta(hours=int(match[9]), minutes=int(match[10]))
        zone = timezone(offset if match[8] == '+' else -offset)
    year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
    moment = datetime(year, month, day, hour, minute, second, tzinfo=zone)
    return moment.isoformat()


def direct_outline_titles(pdf: pikepdf.Pdf) -> None:
    """Bookmark titles as direct strings (the bookmark package writes them as objects)."""
    import pikepdf

    outlines = pdf.Root.get('/Outlines')
    pending = [outlines.get('/First')] if outlines is not None else []
    seen: set[tuple[int, int]] = set()
    while pending:
        item = pending.pop()
        if item is None or item.objgen in seen:
            continue
        seen.add(item.objgen)
        title = item.get('/Title')
        if title is not None and title.is_indirect:
            item.Title = pikepdf.String(bytes(title))
        pending += [item.get('/First'), item.get('/Next')]


def page_contents(pdf: pikepdf.Pdf) -> bytes:
    """Every page's content streams and every form XObject's, joined."""
    import pikepdf

    parts = []
    for page in pdf.pages:
        contents = page.obj.get('/Contents')
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        parts += [s.read_bytes() for s in streams if isinstance(s, pikepdf.Stream)]
    parts += [
        obj.read_bytes()
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream) and obj.get('/Subtype') == '/Form'
    ]
    return b'\n'.join(parts)


def drop_unused_patterns(pdf: pikepdf.Pdf) -> None:
    """Remove empty ``/Pattern`` resources and pattern colour spaces no content uses."""
    import pikepdf

    drawn = page_contents(pdf)
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        res = obj.get('/Resources')
        if not isinstance(res, pikepdf.Dictionary):
            continue
        patterns = res.get('/Pattern')
        if isinstance(patterns, pikepdf.Dictionary) and not patterns.keys():
            del res['/Pattern']
        spaces = res.get('/ColorSpace')
        if not isinstance(spaces, pikepdf.Dictionary):
            continue
        for name in list(spaces.keys()):
            space = spaces[name]
            pattern = isinstance(space, pikepdf.Array) and len(space) > 0 and space[0] == '/Pattern'
            if pattern and name.encode() not in drawn:
                del spaces[name]
        if not spaces.keys():
            del res['/ColorSpace']


#: Glyph lists of a subset font that PDF/A-2 allows to leave out (ISO 19005-2, 6.2.11.4.2).
GLYPH_LISTS = ('/CIDSet', '/CharSet')


def drop_glyph_lists(pdf: pikepdf.Pdf) -> None:
    """Remove the ``/CIDSet`` and ``/CharSet`` of subset fonts: optional in PDF/A-2.

    LuaTeX's ``/CharSet`` for the Computer Modern Type 1 fonts of a formula lists
    glyphs the subset does not hold (or misses some), which the validator rejects.
    """
    import pikepdf

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get('/Type') == '/FontDescriptor':
            for key in GLYPH_LISTS:
                if key in obj:
                    del obj[key]


def drop_ptex_keys(pdf: pikepdf.Pdf) -> None:
    """Remove LuaTeX's private ``/PTEX.*`` keys from included figures (form XObjects)."""
    import pikepdf

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get('/Subtype') == '/Form':
            private = [key for key in obj.keys() if key.startswith('/PTEX.')]  # noqa: SIM118
            for key in private:
                del obj[key]


def write_xmp(pdf: pikepdf.Pdf) -> None:
    """The XMP packet: the information dictionary, the issue's date, publisher and ISSN."""
    info = pdf.docinfo
    extra = {name: str(info[key]) for name, key in INFO_KEYS.items() if key in info}
    for key in INFO_KEYS.values():
        if key in info:
            del info[key]
    with (
        warnings.catch_warnings(),  # /Trapped and pdfTeX's banner have no XMP property
        pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta,
    ):
        warnings.simplefilter('ignore', UserWarning)
        meta.load_from_docinfo(info)
        language = str(pdf.Root.get('/Lang', ''))
        if language:
            meta['dc:language'] = [language]
        if extra.get('publisher'):
            meta['dc:publisher'] = [extra['publisher']]
        if extra.get('date'):
            meta['dc:date'] = [extra['date']]
        if extra.get('issn'):
            meta['dc:identifier'] = f'urn:issn:{extra["issn"]}'
        if extra.get('source'):
            # The issue as a bibliographic source (galien.core.metadata.pdf_fields).
            meta['dc:source'] = extra['source']


def date_metadata(pdf: pikepdf.Pdf) -> None:
    """``xmp:MetadataDate`` (pikepdf's clock) set to the PDF's own date, for reproducibility."""
    modified = xmp_date(str(pdf.docinfo.get('/ModDate', '')))
    if modified:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta['xmp:MetadataDate'] = modified


def make_pdfa(path: Path) -> None:
    """Rewrite ``path`` as a validated PDF/A-2b file; :class:`NotArchivalError` if it cannot be."""
    import pikepdf
    from pikepdf import pdfa

    try:
        opened = pikepdf.open(path, allow_overwriting_input=True)
    except pikepdf.PdfError as error:
        raise NotArchivalError(str(error)) from None
    with opened as pdf:
        if '/OpenAction' in pdf.Root:
            del pdf.Root['/OpenAction']
        direct_outline_titles(pdf)
        drop_unused_patterns(pdf)
        drop_glyph_lists(pdf)
        drop_ptex_keys(pdf)
        write_xmp(pdf)
        pdfa.prepare(pdf, FLAVOUR)
        date_metadata(pdf)
        # qpdf keeps the first half of an existing /ID (LuaTeX's, which depends on
        # the build folder): without one, both halves are a digest of the content.
        if '/ID' in pdf.trailer:
            del pdf.trailer['/ID']
        try:
            pdfa.save(pdf, None, FLAVOUR, repair=False, deterministic_id=True)
        except pdfa.PdfaError as error:
            findings = '; '.join(str(f) for f in error.report.findings[:3])
            raise NotArchivalError(findings) from None


def issue_name(pdf: Path) -> str:
    """The issue's job name (``galien-020``), whether its PDF is complete or ``.part``."""
    return pdf.name.removesuffix('.pdf').removesuffix(PART_SUFFIX)


def failure(pdf: Path, reason: str) -> tuple[int, str]:
    """Exit status 1, and the French line naming the issue file the PDF is made from."""
    return 1, f'{issue_source(pdf)}: ERROR: {issue_name(pdf)}.pdf {reason}'


def issue_source(pdf: Path) -> str:
    """The issue file a PDF of the print edition is made from, as the build listed it."""
    name = issue_name(pdf)
    listing = ''
    # The step runs on the PDF in its job's folder, inside the build folder that lists.
    for folder in (pdf.parent, pdf.parent.parent):
        try:
            listing = (folder / SOURCES_FILE).read_text(encoding='utf-8')
            break
        except OSError:
            continue
    for line in listing.splitlines():
        key, _, source = line.partition('\t')
        if key == name and source:
            return source
    return f'{name}.tex'


def run_step(pdf: Path) -> tuple[int, str]:
    """Make ``pdf`` archival here: the exit status, and the French line to print on failure."""
    try:
        make_pdfa(pdf)
    except (NotArchivalError, OSError, ValueError) as error:
        return failure(pdf, f'ne peut pas être rendu conforme PDF/A-2b : {error}')
    return 0, ''


def main(arguments: list[str]) -> int:
    """``python -m galien.print.pdfa PDF``: one French line naming the issue file on failure."""
    if len(arguments) != 1:
        print('usage : python -m galien.print.pdfa FICHIER.pdf', file=sys.stderr)
        return 2
    status, message = run_step(Path(arguments[0]))
    if message:
        print(message, file=sys.stderr)
    return status


if __name__ == '__main__':
    status = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Freeing pikepdf's validator on the way out took a quarter of the step's time.
    os._exit(status)
