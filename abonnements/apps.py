from __future__ import annotations

from django.apps import AppConfig


class AbonnementsConfig(AppConfig):
    name = 'abonnements'
    verbose_name = 'Abonnements à Galien'
    default_auto_field = 'django.db.models.BigAutoField'
