"""The project package as an app: keeps the Sites framework's domain equal to ``SITE_DOMAIN``.

Links in e-mails (order pages, unsubscribe, password reset) are built from the current Site,
because a Celery worker has no request to take the host from.
"""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def site_domain_sync(**kwargs: Any) -> None:
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": "eventum"},
    )


class EventumConfig(AppConfig):
    name = "eventum"
    verbose_name = "eventum"

    def ready(self) -> None:
        post_migrate.connect(site_domain_sync, dispatch_uid="eventum.site_domain_sync")
