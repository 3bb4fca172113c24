from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = 'Sert le service avec waitress (serveur WSGI de production), derrière le proxy.'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument('--listen', default='127.0.0.1:8001')
        parser.add_argument('--threads', type=int, default=8)
        parser.add_argument(
            '--connections', type=int, default=500, help='connexions ouvertes à la fois, au plus'
        )
        parser.add_argument(
            '--proxy',
            default='127.0.0.1',
            help='adresse du proxy inverse dont X-Forwarded-For et -Proto sont crus',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from waitress import serve

        from abonnements.wsgi import application as django_application

        # The stylesheet served by the service itself: nothing to set up in the proxy.
        application = StaticFilesHandler(django_application)

        self.stdout.write(f'Abonnements : http://{options["listen"]}/', ending='\n')
        self.stdout.flush()
        serve(
            application,
            listen=options['listen'],
            threads=options['threads'],
            connection_limit=options['connections'],
            ident='galien-abonnements',
            trusted_proxy=options['proxy'],
            trusted_proxy_headers={'x-forwarded-for', 'x-forwarded-proto'},
            clear_untrusted_proxy_headers=True,
        )
