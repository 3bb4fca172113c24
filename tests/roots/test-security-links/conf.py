from rootconf import *  # noqa: F403

html_baseurl = 'https://galien.example.org/'
epub_basename = 'galien'
