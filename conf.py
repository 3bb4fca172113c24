"""Sphinx configuration of Galien, the letter on innovative cancer drugs."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / 'extensions'))

# -- The letter ---------------------------------------------------------------

project = 'Galien'
author = 'Centre Oscar Lambret'
copyright = '2018, Centre Oscar Lambret – CPPCC'
version = release = '2018'
language = 'fr'

extensions = [
    'myst_parser',
    'sphinxcontrib.bibtex',
    'galien',
    # The editions: leave one out to switch it off.
    'galien.web',
    'galien.print',
    'galien.epub',
    'galien.mail',
]

galien_tagline = "La lettre d'information sur les médicaments innovants en cancérologie"
galien_publisher = 'Centre Oscar Lambret – Centre Régional de Lutte Contre le Cancer'

# Issues 1 to 19 were published on paper only: they can be cited with {galien}.
galien_paper_issues = list(range(1, 20))
# Those whose month (and PDF, title, chiffre) the centre has are described in
# archives/numeros-papier.yml (galien_paper_archive): see the README.

# Who signs the letter, by period: an issue gets the period in force at its date.
galien_colophons = [
    {
        'since': '2016-01',
        'department': 'CPPCC : Centre de Pharmacologie et de Pharmacie Clinique en Cancérologie',
        'director': 'Pr E. Lartigau, Directeur Général du Centre Oscar Lambret',
        'editors': ['Pr JL. Cazin', 'Dr D. Cochelard'],
    },
]

# -- Sources ------------------------------------------------------------------

myst_enable_extensions = ['colon_fence', 'deflist']
myst_heading_anchors = 3
# Sources stay where {footbibliography} puts them, inside the issue's page.
myst_footnote_sort = False
myst_footnote_transition = False
bibtex_bibfiles = ['references.bib']
# References in Vancouver style, in French (galien/content/vancouver/);
# {footcite:t} reads « Ravì et al., 2017 ». Stock pybtex: 'unsrt' and 'foot'.
bibtex_default_style = 'vancouver'
bibtex_foot_reference_style = 'vancouver'

exclude_patterns = [
    '_build',
    # Tools' folders (.venv, .pytest_cache, .git...): never pages of the letter.
    '.*',
    'README.md',
    'tests',
    'extensions',
    # The guide (make guide): a Sphinx project of its own.
    'docs',
]

# -- Website ------------------------------------------------------------------

html_theme = 'sphinx_book_theme'
html_title = 'Galien'
html_static_path = ['_static']
html_logo = '_static/galien-logo.svg'
# Address of the website once published: the e-mail edition links to it.
# Placeholder: set it to the real address before sending an e-mail.
html_baseurl = 'https://galien.example.org/'
# The accessibility statement (page « Accessibilité », linked from every footer):
# where a reader reports a problem, and what an RGAA audit found (README,
# « La déclaration d'accessibilité »). To be confirmed by the centre.
galien_accessibility_contact = ['mailto:cppcc@oscarlambret.fr']
# galien_accessibility_status = 'partielle'  # after an audit: 'totale', 'partielle' or 'non'
# galien_accessibility_audit = 'Audit réalisé le … par … : 75 % des critères respectés.'
html_theme_options = {
    'show_toc_level': 2,
    'home_page_in_toc': True,
    # Previous/next follow the issue numbers on issue pages (galien/content/issue_links.py).
    'show_prev_next': False,
    'search_bar_text': 'Rechercher…',
    'logo': {'alt_text': 'Galien – accueil'},
}

# -- Print (LaTeX) ------------------------------------------------------------

# LuaLaTeX and OpenType fonts print what editors type: ≥, β-HCG, µg/mL, Nguyễn
# (fonts chosen by the galien.print extension, see README).
latex_engine = 'lualatex'
# One PDF per issue, galien-NNN.pdf, made by the galien extension from issues/:
# no latex_documents to maintain here.
latex_elements = {
    'papersize': 'a4paper',
    'pointsize': '11pt',
}

# -- Tablets (ePub) -----------------------------------------------------------

epub_basename = 'galien'
epub_publisher = author
# The NCX repeats epub_uid where epubcheck expects the identifier: keep them equal.
epub_uid = epub_identifier = 'galien-lettre-cppcc-oscar-lambret'
epub_scheme = 'URN'
epub_use_index = False
epub_show_urls = 'no'
# Sphinx 9 leaves .buildinfo.bak after a configuration change: not part of the book.
epub_exclude_files = ['.buildinfo.bak']

# -- E-mail -------------------------------------------------------------------

# The print edition of each issue, published next to the website.
galien_pdf_url = '{baseurl}pdf/galien-{numero:03d}.pdf'

# -- Sending (make send; README, « Envoyer la lettre ») -------------------------

# Who sends the letter, where replies go, and how a reader unsubscribes
# ({adresse} is replaced by the reader's address). The SMTP relay is never
# written here: it comes from GALIEN_SMTP_* in the environment.
# galien_email_from = 'Galien <galien@oscarlambret.fr>'
# galien_email_reply_to = 'cppcc@oscarlambret.fr'
# galien_list_id = 'galien.oscarlambret.fr'
# (An https: address must be the subscription service's: make send ABONNES=service puts
# each reader's own one-click link; make send refuses any other.)
# galien_unsubscribe = ['mailto:galien-desinscription@oscarlambret.fr?subject=desinscription']
# DKIM signing, with GALIEN_DKIM_KEY (the private key's path) in the environment:
# galien_dkim_selector = 'galien2018'
# galien_dkim_domain = 'oscarlambret.fr'
