from rootconf import *  # noqa: F403

html_theme = 'sphinx_book_theme'
# Numbers known only by their number: citable, without link, not in the archive.
galien_paper_issues = [2, 3]
html_baseurl = 'https://galien.example.org/'
epub_basename = 'galien'
