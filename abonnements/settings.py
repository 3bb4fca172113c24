"""Settings of the subscription service, every one from the environment (README, « Abonnements »).

``GALIEN_ABONNES_DB``          the database: empty (SQLite under ~/.local/share/galien),
                               a path, ``sqlite:///path`` or ``postgresql://…``
``GALIEN_ABONNES_SECRET_KEY``  signs the links; required when ``GALIEN_ABONNES_HTTPS=1``
``GALIEN_ABONNES_HASH_KEY``    keys the hashes that keep erased readers unsubscribed
``GALIEN_ABONNES_URL``         the public address, e.g. https://galien.oscarlambret.fr/abonnement/
``GALIEN_ABONNES_HOSTS``       allowed host names, comma-separated (default: the URL's host)
``GALIEN_ABONNES_HTTPS=1``     production: HTTPS only, HSTS, secure cookies, proxy header
``GALIEN_ABONNES_SMTP_HOST``   relay for confirmations (``_PORT``, ``_USER``, ``_PASSWORD``,
                               ``_SECURITE`` = starttls | ssl | aucune); unset: printed
``GALIEN_ABONNES_FROM``        sender of the confirmations
``GALIEN_ABONNES_LIMITES``     messages per address and requests per client per hour (``3,30``)
``GALIEN_ABONNES_DEBUG=1``     development only
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from abonnements.database import database_settings, default_sqlite_path

ENV = os.environ
BASE_DIR = Path(__file__).resolve().parent

DEBUG = ENV.get('GALIEN_ABONNES_DEBUG', '') == '1'
HTTPS = ENV.get('GALIEN_ABONNES_HTTPS', '') == '1'


def _secret(name: str) -> str:
    """The key from the environment; on a laptop, one generated once beside the database."""
    value = ENV.get(name, '').strip()
    if value:
        return value
    if HTTPS:
        raise RuntimeError(f'{name} doit être défini en production (GALIEN_ABONNES_HTTPS=1)')
    path = default_sqlite_path(ENV).with_name(name.lower() + '.txt')
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding='ascii')
        path.chmod(0o600)
    return path.read_text(encoding='ascii').strip()


SECRET_KEY = _secret('GALIEN_ABONNES_SECRET_KEY')
HASH_KEY = ENV.get('GALIEN_ABONNES_HASH_KEY', '').strip() or SECRET_KEY

PUBLIC_URL = ENV.get('GALIEN_ABONNES_URL', 'http://127.0.0.1:8001/').strip()
if not PUBLIC_URL.endswith('/'):
    PUBLIC_URL += '/'
_public = urlsplit(PUBLIC_URL)
ALLOWED_HOSTS = [
    h.strip()
    for h in ENV.get('GALIEN_ABONNES_HOSTS', _public.hostname or '127.0.0.1').split(',')
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [f'{_public.scheme}://{_public.netloc}']

INSTALLED_APPS = [
    # First: its templates/admin/base_site.html extends the admin's own.
    'abonnements',
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'abonnements.middleware.SecurityHeadersMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.locale.LocaleMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

ROOT_URLCONF = 'abonnements.urls'
WSGI_APPLICATION = 'abonnements.wsgi.application'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
            ],
        },
    },
]

DATABASES = {'default': database_settings(ENV.get('GALIEN_ABONNES_DB', ''), ENV)}
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'

LANGUAGE_CODE = 'fr'
LANGUAGES = [('fr', 'Français')]
TIME_ZONE = 'Europe/Paris'
USE_I18N = True
USE_TZ = True

STATIC_URL = 'static/'
STATIC_ROOT = ENV.get('GALIEN_ABONNES_STATIC', str(default_sqlite_path(ENV).with_name('static')))

# Bodies: a form is small; an oversized one is refused (400) before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers (the CSP and Permissions-Policy: abonnements.middleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = 'same-origin'
SECURE_CROSS_ORIGIN_OPENER_POLICY = 'same-origin'
X_FRAME_OPTIONS = 'DENY'
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = 'Lax'
CSRF_COOKIE_SAMESITE = 'Lax'
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
    SECURE_SSL_REDIRECT = True
    # The health check answers over plain HTTP too (request.path includes the script name).
    SECURE_REDIRECT_EXEMPT = [r'(^|/)sante/$']
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    USE_X_FORWARDED_HOST = False
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a decision for the hospital's domain, not for this service.
    'security.W021',
]
if _public.path not in ('', '/'):
    FORCE_SCRIPT_NAME = _public.path.rstrip('/')
    STATIC_URL = f'{FORCE_SCRIPT_NAME}/static/'

# Confirmation messages.
DEFAULT_FROM_EMAIL = ENV.get('GALIEN_ABONNES_FROM', 'Galien <galien@oscarlambret.fr>')
if ENV.get('GALIEN_ABONNES_SMTP_HOST'):
    EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
    EMAIL_HOST = ENV['GALIEN_ABONNES_SMTP_HOST']
    EMAIL_PORT = int(ENV.get('GALIEN_ABONNES_SMTP_PORT', '587'))
    EMAIL_HOST_USER = ENV.get('GALIEN_ABONNES_SMTP_USER', '')
    EMAIL_HOST_PASSWORD = ENV.get('GALIEN_ABONNES_SMTP_PASSWORD', '')
    _security = ENV.get('GALIEN_ABONNES_SMTP_SECURITE', 'starttls')
    EMAIL_USE_TLS = _security == 'starttls'
    EMAIL_USE_SSL = _security == 'ssl'
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'

# The readers' flows.
_limits = ENV.get('GALIEN_ABONNES_LIMITES', '3,30').split(',')
#: Confirmation messages one address may be sent per hour.
RATE_PER_ADDRESS = int(_limits[0])
#: Form submissions one client may make per hour.
RATE_PER_CLIENT = int(_limits[1]) if len(_limits) > 1 else 30
#: Behind the reverse proxy: the client is the last address it appends to X-Forwarded-For.
BEHIND_PROXY = ENV.get('GALIEN_ABONNES_PROXY', '1' if HTTPS else '') == '1'
#: A confirmation link expires after this many seconds (3 days).
CONFIRMATION_MAX_AGE = 3 * 24 * 3600
#: Unconfirmed subscriptions are deleted after this many days (purge_unconfirmed).
UNCONFIRMED_DAYS = 7
#: The consent wording's version, recorded with each consent.
CONSENT_VERSION = '2026-12'

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['console'], 'level': 'INFO'},
    'loggers': {'django.server': {'level': 'WARNING'}},
}
