"""The annual volume's plan: what ``make volume ANNEE=2018`` binds, from the domains' data.

The ``volume`` builder writes no page. After reading (on the doctrees the
print edition shares), it writes ``galien-2018.json`` in its output folder: the
year's published issues in order (their PDF's name, title and month), the
cumulative index of the drugs they discuss (built by the drug model from those
issues only: DCI, brands, ATC code, and for each issue the spellings it used,
so that the assembling step can find the page) and their chiffres du mois.
Drafts never enter it, whatever ``galien_drafts`` says. The file is rewritten
only when its content changes, so its date means a change
(:mod:`galien.print.volume_pdf` assembles the PDF from it, outside the build).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.builders import Builder
from sphinx.util import logging

from galien.core.drug_domain import domain_of
from galien.core.drug_model import build_index
from galien.core.i18n import __
from galien.core.metadata import periodical_metadata
from galien.core.registry import galien_domain
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.titles import issue_month, issue_title
from galien.core.urls import issue_file_stem
from galien.print.incremental import write_if_changed

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.application import Sphinx

    from galien.core.model import Issue

logger = logging.getLogger(__name__)

#: The plan of a year's volume, in the builder's output folder.
PLAN_FILE = 'galien-{year}.json'


def volume_issues(issues: Iterable[Issue], year: int) -> list[Issue]:
    """The published issues of ``year``, oldest first: never a draft."""
    return sorted(
        (issue for issue in issues if issue.year == year and not issue.draft),
        key=lambda issue: issue.numero,
    )


def spellings(env: Any, docname: str, key: str) -> list[str]:
    """How ``docname`` writes the drug ``key``: its DCI and brands, as printed."""
    written = domain_of(env).drugs_of(docname).get(key)
    if written is None:
        return []
    dci, brands = written
    return list(dict.fromkeys([dci, *brands]))


def volume_plan(env: Any, year: int) -> dict[str, Any]:
    """The plan of ``year``'s volume (see the module's docstring), as JSON data."""
    config = env.config
    registry = galien_domain(env)
    issues = volume_issues(registry.ordered_issues(), year)
    drugs = domain_of(env)
    index = build_index(issues, drugs.presentations, drugs.mentions)
    numero_of = {issue.docname: issue.numero for issue in issues}
    periodical = periodical_metadata(config)
    chiffres = []
    for issue in issues:
        chiffre = registry.chiffres.get(issue.docname)
        if chiffre is not None:
            chiffres.append(
                {'numero': issue.numero, 'figure': chiffre.figure, 'summary': chiffre.summary}
            )
    return {
        'year': year,
        'excluded': excluded_files(env, issues),
        # In the year's ePub, an issue citing another year's cites one left out: it stays
        # text, and the regular builds already warn of a number that exists nowhere.
        'suppressed': [*env.config.suppress_warnings, 'galien.reference'],
        'title': periodical.name,
        'publisher': periodical.publisher,
        'tagline': periodical.description,
        'issn': periodical.issn,
        'language': periodical.language,
        'issues': [
            {
                'numero': issue.numero,
                'pdf': f'{issue_file_stem(issue.numero)}.pdf',
                'title': issue_title(env, issue, plain=True),
                'month': issue_month(env, issue),
            }
            for issue in issues
        ],
        'drugs': [
            {
                'dci': entry.dci,
                'brands': list(entry.brands),
                'atc': entry.atc,
                'places': [
                    {
                        'numero': numero_of[place.docname],
                        'spellings': spellings(env, place.docname, entry.key),
                    }
                    for place in sorted(entry.places, key=lambda p: p.numero)
                ],
            }
            for entry in index.entries
        ],
        'chiffres': chiffres,
    }


def excluded_files(env: Any, issues: Iterable[Issue]) -> list[str]:
    """``exclude_patterns`` for the volume's ePub: ``conf.py``'s, and every other issue file.

    Other years' issues, drafts, and issue files the registry could not read.
    """
    kept = {issue.docname for issue in issues}
    folder = f'{env.config.galien_issues_dir}/'
    others = [
        str(env.doc2path(docname, False)).replace('\\', '/')
        for docname in sorted(env.found_docs)
        if docname.startswith(folder) and docname not in kept
    ]
    return [*env.config.exclude_patterns, *others]


class VolumeBuilder(Builder):
    """Writes the plan of the volume of ``galien_volume`` (a year); no page."""

    name = 'volume'
    format = 'volume'
    epilog = __('Plan du volume écrit dans %(outdir)s.')
    allow_parallel = True

    def get_outdated_docs(self) -> list[str]:
        return []

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ''

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: Any) -> None:
        pass

    def finish(self) -> None:
        year = int(self.config.galien_volume or 0)
        if year <= 0:
            warn(logger, __('volume : indiquez une année (galien_volume)'), subtype=Subtype.VOLUME)
            return
        plan = volume_plan(self.env, year)
        if not plan['issues']:
            warn(
                logger,
                __('volume : aucun numéro publié en %d (brouillons exclus)'),
                year,
                subtype=Subtype.VOLUME,
            )
        text = json.dumps(plan, ensure_ascii=False, indent=1, sort_keys=True) + '\n'
        write_if_changed(Path(self.outdir) / PLAN_FILE.format(year=year), text)


def setup(app: Sphinx) -> None:
    app.add_builder(VolumeBuilder)
