from rootconf import *  # noqa: F403

html_baseurl = 'https://galien.test/lettre'
