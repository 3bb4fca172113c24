from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from abonnements.sendlink import serve


class Command(BaseCommand):
    help = 'Répond à make send : liste des abonnés, vérification avant chaque message (JSON).'

    def handle(self, *args: Any, **options: Any) -> None:
        serve(sys.stdin, sys.stdout)
