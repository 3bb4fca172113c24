from rootconf import *  # noqa: F403

html_baseurl = 'https://galien.test/lettre/'
galien_email_from = 'Galien <galien@oscarlambret.test>'
galien_email_reply_to = 'cppcc@oscarlambret.test'
galien_unsubscribe = [
    'mailto:desinscription@oscarlambret.test?subject=desinscription',
    'https://galien.test/desinscription?adresse={adresse}',
]
galien_dkim_selector = 'galien2018'
