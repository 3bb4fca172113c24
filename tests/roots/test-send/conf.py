from rootconf import *  # noqa: F403

html_baseurl = 'https://galien.test/lettre/'
galien_email_from = 'Galien <galien@oscarlambret.test>'
galien_email_reply_to = 'cppcc@oscarlambret.test'
# mailto: only: an https: address must be the subscription service's (test_send_unsubscribe.py).
galien_unsubscribe = ['mailto:desinscription@oscarlambret.test?subject=desinscription']
galien_dkim_selector = 'galien2018'
