"""The readers' pages: subscribe, confirm, unsubscribe (one click included), their data.

Every answer to an address typed in a form is the same whether the address is
known or not. A link from a message only shows a page with a button: mail
scanners follow links with GET, and only a POST changes anything.
"""

from __future__ import annotations

import logging
import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from abonnements import ratelimit
from abonnements.clients import client_of
from abonnements.forms import DataRequestForm, SubscribeForm
from abonnements.mails import send_confirmation, send_data_link
from abonnements.models import Delivery, Method, Status, Subscriber, Suppression, keyed_hash
from abonnements.tokens import read_confirmation, read_data, read_unsubscribe

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest

logger = logging.getLogger(__name__)


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, 'abonnements/trop.html', status=429)


def client_allowed(request: HttpRequest) -> bool:
    return ratelimit.hit('client', client_of(request), settings.RATE_PER_CLIENT)


@require_http_methods(['GET', 'POST'])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == 'POST':
        if not client_allowed(request):
            return too_many(request)
        if form.is_valid():
            if not form.cleaned_data['website']:
                register(form.cleaned_data['email'], form.cleaned_data['name'])
            return redirect('merci')
    return render(request, 'abonnements/inscription.html', {'form': form})


def register(address: str, name: str) -> None:
    """A new or returning reader asks: a confirmation message, within the address's limit."""
    if not ratelimit.hit('adresse', keyed_hash(address), settings.RATE_PER_ADDRESS):
        logger.info('inscription : limite atteinte pour une adresse')
        return
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(
            email_key=address.casefold(),
            defaults={
                'email': address,
                'name': name,
                'status': Status.PENDING,
                'consent_method': Method.FORM,
                'consent_version': settings.CONSENT_VERSION,
            },
        )
        if not created and subscriber.receives:
            return  # already receiving: nothing to send, and the same answer
        if not created:
            subscriber.name = name or subscriber.name
            subscriber.save()
    mail_safely(send_confirmation, subscriber)


def mail_safely(send: Callable[[Subscriber], None], subscriber: Subscriber) -> None:
    """A relay that fails is logged (without the address); the reader sees the same page."""
    try:
        send(subscriber)
    except (smtplib.SMTPException, OSError) as error:
        logger.error('relais des confirmations injoignable : %s', error)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, 'abonnements/merci.html')


@never_cache
@require_http_methods(['GET', 'POST'])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    public_id = read_confirmation(token)
    subscriber = Subscriber.objects.filter(public_id=public_id).first() if public_id else None
    if subscriber is None:
        return render(request, 'abonnements/lien_invalide.html', status=400)
    if request.method == 'GET':
        return render(request, 'abonnements/confirmer.html', {'done': subscriber.receives})
    with transaction.atomic():
        if subscriber.status in (Status.PENDING, Status.UNSUBSCRIBED):
            subscriber.consent_at = timezone.now()
            subscriber.consent_version = settings.CONSENT_VERSION
            subscriber.consent_method = Method.FORM
            subscriber.set_status(Status.CONFIRMED, 'lien de confirmation')
            Suppression.objects.filter(key_hash=keyed_hash(subscriber.email)).delete()
    return render(request, 'abonnements/confirmer.html', {'done': True})


@csrf_exempt  # RFC 8058: the one-click POST comes without cookie; the token is the proof
@never_cache
@require_http_methods(['GET', 'POST'])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    public_id = read_unsubscribe(token)
    if public_id is None:
        return render(request, 'abonnements/lien_invalide.html', status=400)
    if request.method == 'GET':
        return render(request, 'abonnements/desinscription.html', {'done': False})
    one_click = request.POST.get('List-Unsubscribe') == 'One-Click'
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(public_id=public_id).first()
        if subscriber is not None and subscriber.status != Status.UNSUBSCRIBED:
            subscriber.set_status(
                Status.UNSUBSCRIBED, 'un clic (RFC 8058)' if one_click else 'page de désabonnement'
            )
    # Erased or already out: the same answer, 200, every time.
    return render(request, 'abonnements/desinscription.html', {'done': True})


@require_http_methods(['GET', 'POST'])
def data_request(request: HttpRequest) -> HttpResponse:
    form = DataRequestForm(request.POST or None)
    if request.method == 'POST':
        if not client_allowed(request):
            return too_many(request)
        if form.is_valid():
            address = form.cleaned_data['email']
            subscriber = Subscriber.objects.filter(email_key=address.casefold()).first()
            if (
                subscriber is not None
                and not form.cleaned_data['website']
                and ratelimit.hit('adresse', keyed_hash(address), settings.RATE_PER_ADDRESS)
            ):
                mail_safely(send_data_link, subscriber)
            return render(request, 'abonnements/donnees_envoye.html')
    return render(request, 'abonnements/donnees.html', {'form': form})


@never_cache
@require_http_methods(['GET', 'POST'])
def reader_data(request: HttpRequest, token: str) -> HttpResponse:
    """A reader's data, from the link mailed to them; POST erases them."""
    public_id = read_data(token)
    subscriber = Subscriber.objects.filter(public_id=public_id).first() if public_id else None
    if request.method == 'POST' and subscriber is not None:
        with transaction.atomic():
            Suppression.objects.get_or_create(key_hash=keyed_hash(subscriber.email))
            Delivery.objects.filter(address=subscriber.email_key).delete()
            subscriber.delete()
        return render(request, 'abonnements/efface.html')
    if subscriber is None:
        return render(request, 'abonnements/lien_invalide.html', status=400)
    return render(
        request,
        'abonnements/donnees_lecteur.html',
        {
            'subscriber': subscriber,
            'events': subscriber.events.all(),
            'deliveries': Delivery.objects.filter(address=subscriber.email_key),
        },
    )


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, 'abonnements/confidentialite.html')


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the proxy and the monitoring: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute('SELECT 1')
    except Exception:  # any database failure is "not healthy"
        logger.exception('santé : base de données injoignable')
        return JsonResponse({'statut': 'erreur'}, status=503)
    return JsonResponse({'statut': 'ok'})
