from rootconf import *  # noqa: F403

html_theme = 'sphinx_book_theme'
html_baseurl = 'https://galien.example.org/'
