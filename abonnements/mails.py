"""The service's own messages: the confirmation link and the data access link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from abonnements.tokens import confirmation_token, data_token, public_url, unsubscribe_token

if TYPE_CHECKING:
    from abonnements.models import Subscriber


def link(name: str, token: str) -> str:
    """The view's absolute address under ``GALIEN_ABONNES_URL``."""
    path = reverse(name, args=[token])
    script = getattr(settings, 'FORCE_SCRIPT_NAME', None) or ''
    return public_url(path.removeprefix(script))


def unsubscribe_link(subscriber: Subscriber) -> str:
    return link('desinscription', unsubscribe_token(subscriber.public_id))


def send_confirmation(subscriber: Subscriber) -> None:
    context = {'link': link('confirmer', confirmation_token(subscriber.public_id))}
    body = render_to_string('abonnements/mail_confirmation.txt', context)
    send_mail('Galien : confirmez votre abonnement', body, None, [subscriber.email])


def send_data_link(subscriber: Subscriber) -> None:
    context = {'link': link('donnees_lecteur', data_token(subscriber.public_id))}
    body = render_to_string('abonnements/mail_donnees.txt', context)
    send_mail('Galien : vos données d’abonnement', body, None, [subscriber.email])
