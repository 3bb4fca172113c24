"""``medicaments.json``: the index of drugs as data, for other tools.

Written at the root of the website after an ``html`` or ``dirhtml`` build
(never into the ePub), from the same index as the page « Index des
médicaments »: one object per DCI in French alphabetical order, with its
brands, ATC code and class, and the issues that discuss it (the presentation
first, then the mentions, newest first), each with its address. Addresses are
absolute when ``html_baseurl`` is set, else relative to the site's root. The
file is made again only when the index changed since it was last written.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from galien.build.record import digest, record_of, write_if_changed
from galien.content.drug_atc import atc_class
from galien.core.drug_domain import domain_of
from galien.core.editions import Edition, edition

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from galien.core.drug_model import DrugIndex

DATA_FILE = 'medicaments.json'
FORMAT_VERSION = 1
#: The builder's record keeps what the file was last made from.
RECORD_SECTION = 'drug-data'


def drug_data(builder: Builder, index: DrugIndex) -> dict[str, Any]:
    """The index as plain data, in the order of the page."""
    base = builder.config.html_baseurl or ''
    if base and not base.endswith('/'):
        base += '/'

    pages: dict[str, str] = {}

    def url(docname: str, anchor: str) -> str:
        if docname not in pages:
            page = builder.get_target_uri(docname)
            pages[docname] = urljoin(base, page) if base else page
        return f'{pages[docname]}#{anchor}'

    return {
        'version': FORMAT_VERSION,
        'medicaments': [
            {
                'dci': entry.dci,
                'specialites': list(entry.brands),
                'atc': entry.atc,
                'classe_atc': atc_class(entry.atc) if entry.atc else '',
                'numeros': [
                    {
                        'numero': place.numero,
                        'date': f'{place.year:04d}-{place.month:02d}',
                        'url': url(place.docname, place.anchor),
                        'presentation': place.presentation,
                    }
                    for place in entry.places
                ],
            }
            for entry in index.entries
        ],
    }


def write_drug_data(app: Sphinx, exception: Exception | None) -> None:
    """After a website build, write ``medicaments.json`` next to the pages.

    Skipped when the index, the builder and the site's address are those of the
    file already written (the builder's record says): editing an issue's text
    leaves the file alone.
    """
    if exception is not None or edition(app.builder) is not Edition.SITE:
        return
    domain = domain_of(app.env)
    path = app.outdir / DATA_FILE
    made_from = digest((str(path), app.config.html_baseurl, domain.index))
    record = record_of(app.builder)
    if path.is_file() and record.get(RECORD_SECTION) == made_from:
        return
    data = drug_data(app.builder, domain.index)
    write_if_changed(path, json.dumps(data, ensure_ascii=False, indent=1) + '\n')
    record.set(RECORD_SECTION, made_from)


def setup(app: Sphinx) -> None:
    app.connect('build-finished', write_drug_data)
