from rootconf import *  # noqa: F403

html_baseurl = 'https://galien.test/'
# As the real conf.py: the ePub does not repeat link addresses after their text.
epub_show_urls = 'no'
