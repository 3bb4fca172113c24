"""Signed tokens: a confirmation link that expires, an unsubscribe link that does not.

Each carries the reader's random ``public_id``, never their address, signed
with the secret key and a salt of its own (a token of one kind is worthless as
another).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing

CONFIRM_SALT = 'abonnements.confirmation'
UNSUBSCRIBE_SALT = 'abonnements.desinscription'
DATA_SALT = 'abonnements.donnees'
#: A data access link is valid for a day.
DATA_MAX_AGE = 24 * 3600


def confirmation_token(public_id: uuid.UUID) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(public_id.hex)


def unsubscribe_token(public_id: uuid.UUID) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(public_id.hex)


def data_token(public_id: uuid.UUID) -> str:
    return signing.TimestampSigner(salt=DATA_SALT).sign(public_id.hex)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None


def read_confirmation(token: str) -> uuid.UUID | None:
    """The reader's id, or None for a tampered or expired token."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=settings.CONFIRMATION_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return _uuid(value)


def read_unsubscribe(token: str) -> uuid.UUID | None:
    try:
        return _uuid(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except signing.BadSignature:
        return None


def read_data(token: str) -> uuid.UUID | None:
    try:
        value = signing.TimestampSigner(salt=DATA_SALT).unsign(token, max_age=DATA_MAX_AGE)
    except signing.BadSignature:
        return None
    return _uuid(value)


def public_url(path: str) -> str:
    """An absolute address under ``GALIEN_ABONNES_URL`` (path without the script name)."""
    return settings.PUBLIC_URL + path.lstrip('/')
