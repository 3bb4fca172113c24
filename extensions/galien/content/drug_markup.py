"""What editors write about drugs: the ``{dci}`` role and the ``{medicament}`` block.

.. code-block:: markdown

   L'{dci}`osimertinib` ... le {dci}`Tagrisso® <osimertinib>` ...

   ```{medicament} osimertinib
   :specialite: Tagrisso®
   :laboratoire: AstraZeneca
   :atc: L01EB04
   :statut: AMM
   :date: 2016-02-02
   :indication: CBNPC avec mutation EGFR T790M

   Texte libre de présentation.
   ```

The role shows what the editor wrote (the DCI, or a brand), records a mention
of the DCI in the drug domain (``core/drug_domain.py``) and is a
cross-reference of that domain (``medicament:dci``): Sphinx resolves it to the
DCI's entry of the index page where there is one and pages link to one
another, and leaves the name as it is elsewhere. The block presents a drug, in
every edition, as a framed record.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from galien.content.blocks import galien_block, latex_visitors, skip_frame, visit_text
from galien.content.drug_atc import ATC_CODE, ATC_FILE, atc_class
from galien.content.typography import is_french
from galien.core import report
from galien.core.dates import spoken_date
from galien.core.drug_domain import DCI_ROLE, DOMAIN_NAME, domain_of
from galien.core.drug_model import Mention, Presentation
from galien.core.drug_vocabulary import (
    brand_key,
    drug_key,
    fold,
    is_drug_name,
    presentation_anchor,
)
from galien.core.i18n import _, __
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from docutils.nodes import Element, Node, system_message
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.manpage import ManualPageTranslator
    from sphinx.writers.texinfo import TexinfoTranslator

    from galien.content.blocks import VisitorPair

logger = logging.getLogger(__name__)

DATE = re.compile(r'(\d{4})-(\d{2})(?:-(\d{2}))?')
#: Regulatory statuses a presented drug may have (guide, « Les médicaments »).
STATUTS = (
    'AMM',
    'AMM conditionnelle',
    'AMM sous circonstances exceptionnelles',
    "extension d'indication",
    'accès précoce',
    'accès compassionnel',
    'ATU',
    'ATU de cohorte',
    'ATU nominative',
    'RTU',
    'essai clinique',
    'refus',
    'suspension',
    'retrait',
)
OPTIONS = ('specialite', 'laboratoire', 'atc', 'statut', 'date', 'indication')


class medicament(galien_block):  # noqa: N801 (docutils naming)
    """A drug presented in the issue; ``dci`` and ``brands`` kept as attributes."""


def canonical_statut(value: str) -> str | None:
    """The statut as the list spells it, whatever the case and accents typed."""
    folded = fold(value)
    return next((s for s in STATUTS if fold(s) == folded), None)


def parse_date(value: str) -> tuple[int, int, int | None] | None:
    """``(year, month, day or None)`` for a real ``AAAA-MM-JJ`` or ``AAAA-MM``."""
    match = DATE.fullmatch(value.strip())
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    day = int(match[3]) if match[3] else None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return year, month, day


def written_date(value: str, language: str | None) -> str:
    """``2016-02-02`` -> ``2 février 2016``, ``2016-02`` -> ``février 2016``."""
    parsed = parse_date(value)
    return value if parsed is None else spoken_date(*parsed, language)


def warn(message: str, *args: object, location: str | tuple[str, int]) -> None:
    report.warn(logger, message, *args, location=location, subtype=Subtype.MEDICAMENT)


# -- the role ------------------------------------------------------------------------


def split_title(text: str) -> tuple[bool, str, str]:
    """``Tagrisso® <osimertinib>`` -> ``(True, 'Tagrisso®', 'osimertinib')``; linear.

    What ``sphinx.util.nodes.split_explicit_title`` does (the target after the
    last ``<``, not escaped, the text ending in ``>``), without its regular
    expression, which takes quadratic time on a title of spaces (Sphinx 9.0).
    """
    opening = text.rfind('<')
    if text.endswith('>') and opening >= 1 and text[opening - 1] != '\x00':
        return True, text[:opening].rstrip(), text[opening + 1 : -1]
    return False, text, text


class DciRole(XRefRole):
    """``{dci}`osimertinib``` shows the DCI; ``{dci}`Tagrisso® <osimertinib>``` the brand.

    A ``medicament:dci`` cross-reference whose content is the name as written,
    carrying the mention's id (``mention-osimertinib``) whether it is linked or not.
    """

    innernodeclass = nodes.inline

    def run(self) -> tuple[list[Node], list[system_message]]:
        # ``{dci}`` is registered without its domain's prefix too: the reference is the domain's.
        self.refdomain, self.reftype = DOMAIN_NAME, DCI_ROLE
        explicit, title, target = split_title(self.text)
        title, target = ' '.join(title.split()), ' '.join(target.split())
        if not target or not title:
            warn(
                __('{dci} sans DCI : écrivez {dci}`osimertinib` ou {dci}`Tagrisso® <osimertinib>`'),
                location=self.get_location(),
            )
            return [nodes.inline(self.rawtext, title)], []
        if not is_drug_name(target) or (explicit and not is_drug_name(title)):
            warn(
                __(
                    "{dci}`%s` ne nomme aucun médicament (une DCI s'écrit en lettres, sans "
                    '< ni > autour) : écrivez {dci}`osimertinib` ou {dci}`Tagrisso® '
                    "<osimertinib>` ; rien n'est ajouté à l'index des médicaments"
                ),
                self.text,
                location=self.get_location(),
            )
            return [nodes.inline(self.rawtext, title)], []
        self.has_explicit_title, self.title, self.target = explicit, title, target
        self.brand = title if explicit and brand_key(title) != drug_key(target) else ''
        self.classes = ['galien-specialite' if self.brand else 'galien-dci']
        return self.create_xref_node()

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        return title, target  # spaces already made single by run()

    def result_nodes(
        self, document: nodes.document, env: BuildEnvironment, node: Element, is_ref: bool
    ) -> tuple[list[Node], list[system_message]]:
        """Record the mention; its id goes on the name, which stays if nothing is linked."""
        key = drug_key(self.target)
        domain = domain_of(env)
        anchor = domain.mention_anchor(env.docname, key)
        domain.note_mention(env.docname, Mention(key, self.target, self.brand, anchor, self.lineno))
        cast('nodes.inline', node[0])['ids'].append(anchor)
        return [node], []


# -- the presentation block --------------------------------------------------------------


class MedicamentDirective(SphinxDirective):
    """Argument = the DCI; options = its record; body = the presentation."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[OptionSpec] = dict.fromkeys(OPTIONS, directives.unchanged)

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(ATC_FILE))
        dci = ' '.join(self.arguments[0].split()) if self.arguments else ''
        if not dci:
            self._warn(
                __(
                    "le médicament n'a pas de DCI : écrivez-la après la directive, "
                    'par ex. « ```{medicament} osimertinib »'
                ),
                lineno=self.lineno,
            )
            return []
        if not is_drug_name(dci):
            self._warn(
                __(
                    "« %s » ne nomme aucun médicament (une DCI s'écrit en lettres, sans < ni >) : "
                    "rien n'est ajouté à l'index des médicaments"
                ),
                dci,
                lineno=self.lineno,
            )
            return []
        key = drug_key(dci)
        domain = domain_of(self.env)
        first = domain.presentation_in(self.env.docname, key)
        if first is not None:
            self._warn(
                __('%s est déjà présenté dans ce numéro (ligne %d) : présentez-le une seule fois'),
                dci,
                first.lineno,
                lineno=self.lineno,
            )

        brands = tuple(
            b for b in (' '.join(p.split()) for p in self._option('specialite').split(',')) if b
        )
        atc = self._option('atc').upper()
        if atc and not ATC_CODE.fullmatch(atc):
            self._warn(
                __('code ATC %r mal formé : attendu L, L01, L01E, L01EB ou L01EB04'),
                self._option('atc'),
                lineno=self._option_line('atc'),
            )
            atc = ''
        statut = self._option('statut')
        if statut and canonical_statut(statut) is None:
            self._warn(
                __('statut inconnu %r (statuts possibles : %s)'),
                statut,
                ', '.join(STATUTS),
                lineno=self._option_line('statut'),
            )
        statut = canonical_statut(statut) or statut
        date = self._option('date')
        if date and parse_date(date) is None:
            self._warn(
                __('date %r invalide : attendu AAAA-MM-JJ ou AAAA-MM (ex. 2016-02-02)'),
                date,
                lineno=self._option_line('date'),
            )
            date = ''

        anchor = presentation_anchor(key)
        record = Presentation(
            key=key,
            dci=dci,
            brands=brands,
            laboratoire=self._option('laboratoire'),
            atc=atc,
            statut=statut,
            date=date,
            indication=self._option('indication'),
            anchor=anchor,
            lineno=self.lineno,
        )
        label = ' – '.join([dci, ', '.join(brands)]) if brands else dci
        node = medicament(label=label, dci=dci, brands=list(brands), classes=['galien-medicament'])
        if first is None:
            domain.note_presentation(self.env.docname, record)
            node['ids'].append(anchor)
        self.set_source_info(node)
        node += self._record(record)
        node += self.parse_content_to_nodes(allow_section_headings=False)
        return [node]

    def _record(self, record: Presentation) -> nodes.container:
        """The drug's card: one labelled line per field given."""
        language = self.config.language
        statut = record.statut
        if record.date:
            date = written_date(record.date, language)
            statut = f'{statut} ({date})' if statut else date
        atc = f'{record.atc} – {atc_class(record.atc)}' if atc_class(record.atc) else record.atc
        fields = (
            (_('Laboratory'), record.laboratoire, 'laboratoire'),
            (_('ATC class'), atc, 'atc'),
            (_('Status'), statut, 'statut'),
            (_('Indication'), record.indication, 'indication'),
        )
        # French binds the colon to the label, which is in another node than the colon.
        separator = '\u00a0: ' if is_french(self.config) else ': '
        card = nodes.container(classes=['galien-medicament-fiche'])
        for label, value, name in fields:
            if not value:
                continue
            paragraph = nodes.paragraph(classes=[f'galien-medicament-{name}'])
            paragraph += nodes.strong(str(label), str(label))
            paragraph += nodes.Text(f'{separator}{value}')
            card += paragraph
        return card

    def _option(self, name: str) -> str:
        return ' '.join(str(self.options.get(name) or '').split())

    def _option_line(self, name: str) -> int:
        """The line of ``:name:`` in the block, so a warning points at the option."""
        for index, line in enumerate(self.block_text.splitlines()):
            if line.strip().startswith(f':{name}:'):
                return self.lineno + index
        return self.lineno

    def _warn(self, message: str, *args: object, lineno: int) -> None:
        warn(message, *args, location=(self.env.docname, lineno))


def visit_medicament_html(self: HTML5Translator, node: nodes.Element) -> None:
    """A ``<section>`` titled one level below the section it stands in."""
    level = min(self.section_level + 1, 6)
    heading_id = f'{node["ids"][0]}-titre' if node['ids'] else ''
    attributes: dict[str, Any] = {'aria-labelledby': heading_id} if heading_id else {}
    self.body.append(self.starttag(node, 'section', **attributes))
    id_attribute = f' id="{heading_id}"' if heading_id else ''
    self.body.append(
        f'<h{level} class="galien-titre"{id_attribute}>{self.encode(node["label"])}</h{level}>\n'
    )


def depart_section_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append('</section>\n')


def visit_label_man(self: ManualPageTranslator, node: nodes.Element) -> None:
    """A manual page has no frame: the drug's name as a bold line of its own."""
    self.body.append(f'.sp\n\\fB{self.deunicode(node["label"])}\\fP\n')


def visit_label_texinfo(self: TexinfoTranslator, node: nodes.Element) -> None:
    self.body.append(f'\n@noindent\n@strong{{{self.escape(node["label"])}}}\n\n')


def drug_frame_visitors(environment: str) -> dict[str, VisitorPair]:
    """The ``app.add_node`` arguments of a drug frame, ``environment`` its LaTeX one.

    Shared by the ``{medicament}`` block and the issue's drug list.
    """
    return {
        'html': (visit_medicament_html, depart_section_html),
        'latex': latex_visitors(environment),
        'text': (visit_text, skip_frame),
        'man': (visit_label_man, skip_frame),
        'texinfo': (visit_label_texinfo, skip_frame),
    }


def setup(app: Sphinx) -> None:
    app.add_role_to_domain(DOMAIN_NAME, DCI_ROLE, DciRole())
    app.add_role(DCI_ROLE, DciRole())
    app.add_directive('medicament', MedicamentDirective)
    app.add_node(medicament, override=False, **drug_frame_visitors('galienmedicament'))
