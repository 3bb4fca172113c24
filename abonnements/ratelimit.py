"""Fixed-window rate limits kept in the database, shared by every worker process."""

from __future__ import annotations

import hashlib
import time

from django.db import IntegrityError, transaction
from django.db.models import F

from abonnements.models import Counter

HOUR = 3600


def hit(kind: str, value: str, limit: int, period: int = HOUR) -> bool:
    """Count one use of ``value``; True while within ``limit`` uses per ``period``."""
    key = hashlib.sha256(f'{kind}\n{value}'.encode()).hexdigest()
    window = int(time.time()) // period
    updated = Counter.objects.filter(key=key, window=window).update(count=F('count') + 1)
    if not updated:
        try:
            with transaction.atomic():
                Counter.objects.create(key=key, window=window, count=1)
        except IntegrityError:
            Counter.objects.filter(key=key, window=window).update(count=F('count') + 1)
    count = Counter.objects.filter(key=key, window=window).values_list('count', flat=True)
    return (count.first() or 0) <= limit


def purge_old(period: int = HOUR) -> int:
    """Drop the counters of past windows."""
    deleted, _ = Counter.objects.filter(window__lt=int(time.time()) // period - 1).delete()
    return deleted
