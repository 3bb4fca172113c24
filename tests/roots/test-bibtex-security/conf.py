from rootconf import *  # noqa: F403

bibtex_bibfiles = ['references.bib']
