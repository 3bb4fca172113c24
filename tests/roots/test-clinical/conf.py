from rootconf import *  # noqa: F403

html_baseurl = 'https://galien.test/lettre'
myst_enable_extensions = ['colon_fence', 'deflist']
