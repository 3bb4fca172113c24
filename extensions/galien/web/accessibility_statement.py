"""The accessibility statement (« déclaration d'accessibilité ») the law asks a public site for.

Article 47 of loi n° 2005-102, décret n° 2019-768 and the RGAA 4.1 say what it
holds: the conformance status, the standard and its version, the pages and
the tests behind it, the known non-conformities and their alternatives, the
date, a way to report a problem, and the Défenseur des droits as recourse.
The website gets a page ``accessibilite.html`` in that form, written from
``conf.py`` (the contact, the status an audit gave, the audit) and from what
the project's tests verify (:data:`VERIFIED_PAGES`, the tools); every page's
footer links to it. The website only: the ePub declares its own accessibility
in its package (:mod:`galien.epub.accessibility`), and the e-mail has none.

The page is the theme's own markup, not an issue's: every value from
``conf.py`` is escaped.
"""

from __future__ import annotations

import html
import posixpath
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from galien.core.dates import spoken_date
from galien.core.editions import Edition, edition
from galien.core.front_matter import build_date
from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The page's name on the website.
PAGENAME = 'accessibilite'
#: The standard, as RGAA 4.1.2 names its version.
STANDARD = 'RGAA version 4.1.2'
#: ``galien_accessibility_status`` -> the sentence's words.
STATUSES = {
    'totale': 'totalement conforme',
    'partielle': 'partiellement conforme',
    'non': 'non conforme',
}
#: The pages axe-core checks in Chromium (tests/test_browser.py), at three widths.
VERIFIED_PAGES = (
    ('index', "L'accueil"),
    ('issues/020', 'Un numéro (N° 20 – février 2018)'),
    ('chiffres', 'Les chiffres du mois'),
    ('medicaments', "L'index des médicaments"),
    ('search', 'La recherche, avec ses résultats'),
    (PAGENAME, 'Cette déclaration'),
)
TOOLS = (
    'axe-core 4.14.1 dans Chromium (règles WCAG 2.0 et 2.1, niveaux A et AA), '
    'en thème clair et en thème sombre, sur téléphone, tablette et ordinateur',
    "Ace by DAISY 1.4.6 et EPUBCheck pour l'ePub",
    'la navigation au clavier (contour de focus visible, lien « Passer au contenu principal »)',
)
NON_CONFORMITIES = (
    (
        'Les PDF des numéros (édition imprimable) ne sont pas balisés (« Tagged PDF ») : '
        'un lecteur d’écran n’y trouve ni titres ni listes.',
        'Chaque numéro a sa page web, qui en reprend tout le contenu, accessible ; '
        "l'ePub réunit tous les numéros.",
    ),
    (
        'Les anciens numéros parus sur papier ne sont publiés que sous forme de PDF numérisés.',
        'Leur contenu peut être demandé au contact ci-dessous, sous une forme accessible.',
    ),
)
RECOURSE = (
    'Écrire un message au Défenseur des droits : '
    '<a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>',
    'Contacter le délégué du Défenseur des droits dans votre région : '
    '<a href="https://www.defenseurdesdroits.fr/carte-des-delegues">carte des délégués</a>',
    'Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : '
    'Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07',
)


def contact_item(contact: str) -> str:
    """A contact as a list item: a link for an e-mail address or a web address, else text."""
    text = html.escape(contact)
    if contact.startswith('mailto:'):
        return f'<a href="{text}">{html.escape(contact.removeprefix("mailto:"))}</a>'
    if '@' in contact and ' ' not in contact and ':' not in contact:
        return f'<a href="mailto:{text}">{text}</a>'
    if contact.startswith('https://'):
        return f'<a href="{text}">{text}</a>'
    return text


def statement_body(app: Sphinx) -> str:
    """The statement, in HTML, in the form RGAA's model gives."""
    config = app.config
    builder = app.builder
    entity = html.escape(config.galien_publisher or config.author)
    site = html.escape(config.project)
    base = config.html_baseurl or ''
    address = f' (<a href="{html.escape(base)}">{html.escape(base)}</a>)' if base else ''
    status = STATUSES.get(config.galien_accessibility_status, STATUSES['non'])
    audit = html.escape(config.galien_accessibility_audit)
    today = build_date()

    def items(values: Iterator[str] | tuple[str, ...]) -> str:
        return '<ul>' + ''.join(f'<li>{v}</li>' for v in values) + '</ul>'

    pages = (
        f'<a href="{html.escape(builder.get_relative_uri(PAGENAME, docname))}">{label}</a>'
        if docname in app.env.all_docs or docname in {'search', PAGENAME}
        else label
        for docname, label in VERIFIED_PAGES
    )
    contacts = [contact_item(c) for c in config.galien_accessibility_contact]
    parts = [
        '<section id="declaration-accessibilite">',
        "<h1>Déclaration d'accessibilité</h1>",
        f'<p>{entity} s’engage à rendre son site internet accessible conformément à '
        'l’article 47 de la loi n° 2005-102 du 11 février 2005.</p>',
        f'<p>Cette déclaration d’accessibilité s’applique au site {site}{address}.</p>',
        '<h2>État de conformité</h2>',
        f'<p>Le site {site} est <strong>{status}</strong> avec le {STANDARD}'
        + ('' if audit else ' : aucun audit RGAA n’a encore été réalisé')
        + '.</p>',
        '<h2>Résultats des tests</h2>',
        f'<p>{audit}</p>'
        if audit
        else '<p>Les vérifications automatiques faites à chaque construction du site ne '
        'relèvent aucune erreur « sérieuse » ou « critique » sur les pages suivantes. '
        'Elles ne remplacent pas un audit, qui seul donne un taux de conformité.</p>',
        items(pages),
        '<h2>Contenus non accessibles</h2>',
        '<h3>Non-conformités</h3>',
        items(f'{problem} <em>Alternative :</em> {remedy}' for problem, remedy in NON_CONFORMITIES),
        '<h3>Dérogations pour charge disproportionnée</h3>',
        '<p>Aucune.</p>',
        '<h2>Établissement de cette déclaration d’accessibilité</h2>',
        '<p>Cette déclaration a été établie le '
        f'{spoken_date(today.year, today.month, today.day, config.language)}.</p>',
        '<h3>Technologies utilisées pour la réalisation du site</h3>',
        items(('HTML5', 'CSS', 'JavaScript (recherche, thème sombre)', 'SVG')),
        '<h3>Outils et environnement de vérification</h3>',
        items(TOOLS),
        '<h2>Retour d’information et contact</h2>',
        '<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez '
        'contacter le responsable du site pour être orienté vers une alternative '
        'accessible ou obtenir le contenu sous une autre forme :</p>',
        items(tuple(contacts)) if contacts else '<p>(contact à renseigner)</p>',
        '<h2>Voies de recours</h2>',
        '<p>Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un '
        'contenu ou à une fonctionnalité du site, que vous nous le signalez et que vous '
        'ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de '
        'faire parvenir vos doléances ou une demande de saisine au Défenseur des droits. '
        'Plusieurs moyens sont à votre disposition :</p>',
        items(RECOURSE),
        '</section>',
    ]
    return '\n'.join(parts)


def statement_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the statement, on the website only."""
    if edition(app.builder) is not Edition.SITE:
        return
    if not app.config.galien_accessibility_contact:
        warn(
            logger,
            __(
                "la déclaration d'accessibilité n'a pas de contact : renseignez "
                'galien_accessibility_contact dans conf.py (adresse e-mail ou formulaire)'
            ),
            subtype=Subtype.ACCESSIBILITE,
        )
    yield (
        PAGENAME,
        {'title': "Déclaration d'accessibilité", 'body': statement_body(app)},
        'page.html',
    )


def footer_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Every page of the website links to the statement from its footer."""
    if edition(app.builder) is Edition.SITE:
        uri = app.builder.get_relative_uri(pagename, PAGENAME)
        # On the statement itself, the link leads to the page's own file (or its top).
        own = posixpath.basename(app.builder.get_target_uri(PAGENAME))
        context['galien_accessibility_url'] = uri or own or '#'
        status = STATUSES.get(app.config.galien_accessibility_status, STATUSES['non'])
        context['galien_accessibility_label'] = f'Accessibilité : {status}'


def setup(app: Sphinx) -> None:
    app.connect('html-collect-pages', statement_page)
    app.connect('html-page-context', footer_link)
