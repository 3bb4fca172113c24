from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from abonnements.models import Status, Subscriber
from abonnements.ratelimit import purge_old


class Command(BaseCommand):
    help = 'Efface les inscriptions non confirmées après le délai, et les vieux compteurs.'

    def handle(self, *args: Any, **options: Any) -> None:
        limit = timezone.now() - timedelta(days=settings.UNCONFIRMED_DAYS)
        deleted, _ = Subscriber.objects.filter(status=Status.PENDING, created_at__lt=limit).delete()
        purge_old()
        self.stdout.write(f'{deleted} inscription(s) non confirmée(s) effacée(s)')
