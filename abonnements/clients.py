"""Who is asking: the client address, through the reverse proxy when there is one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_of(request: HttpRequest) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get('HTTP_X_FORWARDED_FOR', '')
        if forwarded:
            return forwarded.split(',')[-1].strip()
    return str(request.META.get('REMOTE_ADDR', ''))
