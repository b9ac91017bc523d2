"""sitemap.xml: home, catalogue, public event pages and organizer pages, in ru/kk/en."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import Event
from events.selectors import organizers_public


class _Translated(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Set per request by ``sitemaps_for_host``: the URLs carry the host the crawler asked for
    # (validated by ALLOWED_HOSTS) rather than the Sites framework's placeholder domain.
    domain: str | None = None

    def get_domain(self, site=None) -> str:
        return self.domain or super().get_domain(site)


class StaticPagesSitemap(_Translated):
    changefreq = "hourly"
    priority = 0.8

    def items(self) -> list[str]:
        return ["events:home", "events:catalogue"]

    def location(self, item: str) -> str:
        return reverse(item)


class EventSitemap(_Translated):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return (
            Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.FINISHED])
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, event: Event):
        return event.updated_at


class OrganizerSitemap(_Translated):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return organizers_public().only("slug", "updated_at")

    def lastmod(self, organizer):
        return organizer.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "events": EventSitemap,
    "organizers": OrganizerSitemap,
}


def sitemaps_for_host(host: str) -> dict[str, type[Sitemap]]:
    return {name: type(cls.__name__, (cls,), {"domain": host}) for name, cls in SITEMAPS.items()}
