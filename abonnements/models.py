"""What the service stores, and nothing else (README, « Données conservées »).

A reader: their address, an optional name, a status, the consent (date, wording
version, method) and the dates of confirmation and unsubscription; each change
of status in :class:`Event`. An erased reader leaves only a keyed hash of their
address in :class:`Suppression`, so that they stay unsubscribed.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    PENDING = 'pending', 'en attente de confirmation'
    CONFIRMED = 'confirmed', 'confirmé'
    IMPORTED = 'imported', 'importé'
    UNSUBSCRIBED = 'unsubscribed', 'désabonné'
    BOUNCED = 'bounced', 'rebond'


#: The statuses that receive the letter.
RECEIVING = (Status.CONFIRMED, Status.IMPORTED)


class Method(models.TextChoices):
    FORM = 'formulaire', 'formulaire, confirmé par e-mail'
    IMPORT = 'import', 'import de la liste existante'
    ADMIN = 'admin', 'saisie par le comité'


def address_key(address: str) -> str:
    """How addresses compare: any case (the domain is already an A-label)."""
    return address.strip().casefold()


def keyed_hash(address: str) -> str:
    """HMAC-SHA256 of the address's key: kept after erasure, useless without the key."""
    key = settings.HASH_KEY.encode()
    return hmac.new(key, address_key(address).encode(), hashlib.sha256).hexdigest()


class Subscriber(models.Model):
    email = models.CharField('adresse', max_length=254)
    email_key = models.CharField('adresse (clé)', max_length=254, unique=True, editable=False)
    name = models.CharField('nom', max_length=150, blank=True)
    status = models.CharField(
        'statut', max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    #: The unsubscribe token's subject: opaque, never the address.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent_at = models.DateTimeField('consentement le', null=True, blank=True)
    consent_version = models.CharField('version du texte de consentement', max_length=32)
    consent_method = models.CharField(
        'méthode de consentement', max_length=16, choices=Method.choices
    )
    created_at = models.DateTimeField('créé le', default=timezone.now)
    confirmed_at = models.DateTimeField('confirmé le', null=True, blank=True)
    unsubscribed_at = models.DateTimeField('désabonné le', null=True, blank=True)

    class Meta:
        verbose_name = 'abonné'
        verbose_name_plural = 'abonnés'
        ordering = ('email_key',)

    def __str__(self) -> str:
        return self.email

    def save(self, *args: object, **kwargs: object) -> None:
        self.email_key = address_key(self.email)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def receives(self) -> bool:
        return self.status in RECEIVING

    def set_status(self, status: Status, detail: str = '') -> bool:
        """Change the status and record it; False if it already was."""
        if self.status == status:
            return False
        now = timezone.now()
        self.status = status
        if status == Status.CONFIRMED:
            self.confirmed_at = now
        if status == Status.UNSUBSCRIBED:
            self.unsubscribed_at = now
        self.save()
        Event.objects.create(subscriber=self, kind=status, detail=detail[:200])
        return True


class Event(models.Model):
    """One change in a reader's history."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name='events', verbose_name='abonné'
    )
    at = models.DateTimeField('le', default=timezone.now)
    kind = models.CharField('statut', max_length=16, choices=Status.choices)
    detail = models.CharField('détail', max_length=200, blank=True)

    class Meta:
        verbose_name = 'événement'
        verbose_name_plural = 'historique'
        ordering = ('at', 'pk')

    def __str__(self) -> str:
        return f'{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}'


class Suppression(models.Model):
    """An erased reader: the keyed hash of their address, so that they stay unsubscribed."""

    key_hash = models.CharField('empreinte', max_length=64, unique=True)
    created_at = models.DateTimeField('le', default=timezone.now)

    class Meta:
        verbose_name = 'adresse effacée'
        verbose_name_plural = 'adresses effacées (empreintes)'

    def __str__(self) -> str:
        return self.key_hash[:16]

    @classmethod
    def holds(cls, address: str) -> bool:
        return cls.objects.filter(key_hash=keyed_hash(address)).exists()


class Counter(models.Model):
    """A rate limit's count for one key (a hashed address or client) in one window."""

    key = models.CharField(max_length=64)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (models.UniqueConstraint(fields=('key', 'window'), name='counter_once'),)


class DeliveryState(models.TextChoices):
    """The states of ``make send``'s journal (``galien/cli/journal.py``), same words."""

    QUEUED = 'queued', 'en attente'
    #: Committed just before the body and its end-of-data marker leave.
    SENDING = 'sending', 'en cours d’envoi'
    SENT = 'sent', 'envoyé'
    FAILED = 'failed', 'en échec'
    #: No reply after the end of data (RFC 1047): maybe delivered, never sent again unasked.
    UNCERTAIN = 'uncertain', 'incertain'


class Delivery(models.Model):
    """One reader's copy of one issue, journalled by ``make send`` through ``sendlink``.

    Kept in the service's database, so that a send started from CI, in a fresh
    checkout, continues where the last one stopped. Only the address's key, the
    state and the relay's answer are stored; an erased reader's rows go with them.
    """

    numero = models.PositiveIntegerField('numéro')
    address = models.CharField('adresse (clé)', max_length=254)
    state = models.CharField('état', max_length=16, choices=DeliveryState.choices)
    code = models.PositiveSmallIntegerField('code SMTP', null=True, blank=True)
    reply = models.TextField('réponse du relais', blank=True)
    queue_id = models.CharField('identifiant chez le relais', max_length=100, blank=True)
    attempts = models.PositiveIntegerField('essais', default=0)
    updated_at = models.DateTimeField('mis à jour le', default=timezone.now)

    class Meta:
        verbose_name = 'envoi'
        verbose_name_plural = 'journal des envois'
        ordering = ('-numero', 'address')
        constraints = (models.UniqueConstraint(fields=('numero', 'address'), name='delivery_once'),)

    def __str__(self) -> str:
        return f'{self.numero} {self.address} {self.get_state_display()}'
