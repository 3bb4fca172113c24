from rootconf import *  # noqa: F403

html_baseurl = 'https://galien.test/'
galien_issn = '0378-5955'
epub_show_urls = 'no'
