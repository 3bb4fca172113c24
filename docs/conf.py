"""The guide of Galien: a Sphinx project of its own, not a letter.

It uses the letter's theme and reads galien's modules (through ``_ext``) to make
the tables that describe the code; it never loads the galien extension.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE / '_ext'), str(HERE.parent / 'extensions')]

project = 'Galien — le guide'
author = 'Centre Oscar Lambret – CPPCC'
copyright = '2018, Centre Oscar Lambret – CPPCC'
language = 'fr'

extensions = ['myst_parser', 'galien_guide']
myst_enable_extensions = ['colon_fence', 'deflist']
myst_heading_anchors = 3
exclude_patterns = ['_build']

html_theme = 'sphinx_book_theme'
html_title = 'Galien — le guide'
html_theme_options = {'show_toc_level': 2}

# No network here: only the guide's own pages and anchors are checked.
linkcheck_ignore = [r'https?://.*', r'mailto:.*']
linkcheck_anchors = True

html_static_path = ['_static']
html_css_files = ['guide.css']
