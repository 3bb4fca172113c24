"""Names of the files the print edition's Makefile, latexmk and the PDF/A step share.

A module of its own, with no import: the PDF/A step (:mod:`galien.print.pdfa`)
runs in a process per PDF and reads these names without loading Sphinx.
"""

from __future__ import annotations

#: "galien-020<TAB>/path/to/issues/020.md" lines, read by latexmk only when a PDF fails.
SOURCES_FILE = 'galien-sources.tsv'
#: Job name suffix of a PDF being made: ``galien-020.part.pdf`` until it is complete
#: (see the Makefile in incremental.py).
PART_SUFFIX = '.part'
