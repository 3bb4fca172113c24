"""Configuration shared by the test roots (``from rootconf import *`` in their conf.py)."""

extensions = [
    'myst_parser',
    'sphinxcontrib.bibtex',
    'galien',
    'galien.web',
    'galien.print',
    'galien.epub',
    'galien.mail',
]
project = 'Galien'
author = 'Centre Oscar Lambret'
copyright = '2018, Centre Oscar Lambret'
version = release = '2018'
language = 'fr'
latex_engine = 'lualatex'
exclude_patterns = ['_build']
myst_footnote_sort = False
myst_footnote_transition = False
bibtex_bibfiles = ['refs.bib']
bibtex_default_style = 'vancouver'
bibtex_foot_reference_style = 'vancouver'
galien_tagline = "La lettre d'information sur les médicaments innovants en cancérologie"
galien_publisher = 'Centre Oscar Lambret'
galien_paper_issues = [2, 7]
galien_colophons = [
    {
        'since': '2010-01',
        'department': 'CPPCC',
        'director': 'Pr A. Ancien',
        'editors': ['Dr B. Avant'],
    },
    {
        'since': '2018-01',
        'department': 'CPPCC',
        'director': 'Pr E. Lartigau',
        'editors': ['Pr JL. Cazin', 'Dr D. Cochelard'],
    },
]
epub_uid = epub_identifier = 'galien-test'
epub_exclude_files = ['.buildinfo.bak']
# The accessibility statement's contact (web/accessibility_statement.py).
galien_accessibility_contact = ['galien@oscarlambret.fr']
