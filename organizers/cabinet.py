"""What the cabinet shows around each page: its navigation and the overview's panels.

The cabinet belongs to organizers, but most of its pages belong to other apps (events, orders,
check-in, reports). Each app registers its own links and overview panels here from its
``AppConfig.ready``, so this app never imports theirs and a new section is one registration:

    cabinet_link_register(CabinetLink(label=_("Orders"), url_name="tickets:cabinet_orders",
                                      roles=ROLES_ORDERS, order=30))

A member sees a link or a panel only when their role opens the page behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from organizers.models import Membership, Organizer
from organizers.roles import ROLES_ANY, ROLES_PROFILE, ROLES_TEAM


@dataclass(frozen=True)
class CabinetLink:
    """One entry of the cabinet's navigation: a page of the organizer's cabinet."""

    label: str | Promise
    url_name: str  # reversed with ``organizer_slug`` only
    roles: tuple[str, ...]
    order: int
    # Other pages under this entry, by URL name; a trailing ``*`` matches a prefix
    # (``"events_cabinet:*"``). The entry is marked current on them too.
    also_current_on: tuple[str, ...] = ()

    def is_current(self, view_name: str | None) -> bool:
        if not view_name:
            return False
        return view_name == self.url_name or any(
            view_name.startswith(pattern[:-1]) if pattern.endswith("*") else view_name == pattern
            for pattern in self.also_current_on
        )


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url: str
    current: bool


@dataclass(frozen=True)
class OverviewPanel:
    """A block of the cabinet's overview page. ``context`` returns the template's context, or
    ``None`` when the panel has nothing to say for this organizer."""

    template: str
    context: Callable[[Organizer, Membership], dict[str, Any] | None]
    roles: tuple[str, ...]
    order: int


@dataclass(frozen=True)
class Attention:
    """Something on the overview that waits for the organizer, with the page that resolves it."""

    message: str | Promise
    url: str
    urgent: bool = False


AttentionSource = Callable[[Organizer, Membership], list[Attention]]

_links: dict[str, CabinetLink] = {}
_panels: dict[str, OverviewPanel] = {}
_attention_sources: dict[str, tuple[tuple[str, ...], AttentionSource]] = {}


def cabinet_link_register(link: CabinetLink) -> None:
    """Add a page to the cabinet's navigation (registering the same URL again replaces it)."""
    _links[link.url_name] = link


def overview_panel_register(panel: OverviewPanel) -> None:
    """Add a block to the overview page (the same template again replaces it)."""
    _panels[panel.template] = panel


def attention_source_register(name: str, roles: tuple[str, ...], source: AttentionSource) -> None:
    """Add a source of "needs your attention" items to the overview."""
    _attention_sources[name] = (roles, source)


# Every cabinet page shows the navigation: each link's address is reversed once per language
# (and URL configuration) with this in place of the organizer's slug, then the slug put in.
_SLUG_MARK = "organizer--slug--mark"
_link_urls: dict[tuple[str, str | None, str, str], str] = {}


def _link_url(url_name: str, slug: str) -> str:
    key = (
        url_name,
        get_language(),
        get_script_prefix(),
        str(get_urlconf() or settings.ROOT_URLCONF),
    )
    url = _link_urls.get(key)
    if url is None:
        url = _link_urls[key] = reverse(url_name, kwargs={"organizer_slug": _SLUG_MARK})
    return url.replace(_SLUG_MARK, slug)  # a slug is letters, digits, - and _: nothing to quote


def cabinet_nav(*, membership: Membership, current_url_name: str | None) -> list[NavEntry]:
    """The navigation a member sees, in order, with the current page marked."""
    slug = membership.organizer.slug
    links = sorted(
        (link for link in _links.values() if membership.role in link.roles),
        key=lambda link: link.order,
    )
    return [
        NavEntry(
            label=link.label,
            url=_link_url(link.url_name, slug),
            current=link.is_current(current_url_name),
        )
        for link in links
    ]


def overview_panels(*, membership: Membership) -> list[tuple[str, dict[str, Any]]]:
    """``(template, context)`` of each panel this member sees and that has something to show."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda panel: panel.order):
        if membership.role not in panel.roles:
            continue
        context = panel.context(membership.organizer, membership)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def attention_items(*, membership: Membership) -> list[Attention]:
    """Everything that waits for this member, the urgent first."""
    items: list[Attention] = []
    for roles, source in _attention_sources.values():
        if membership.role in roles:
            items.extend(source(membership.organizer, membership))
    return sorted(items, key=lambda item: not item.urgent)


def organizer_sections_register() -> None:
    """This app's own pages: the overview, the team and the legal profile."""
    for link in (
        CabinetLink(_("Overview"), "organizers:dashboard", ROLES_ANY, order=0),
        CabinetLink(
            _("Team"),
            "organizers:team",
            ROLES_TEAM,
            order=80,
            also_current_on=("organizers:member_*", "organizers:invitation_revoke"),
        ),
        CabinetLink(_("Legal profile"), "organizers:profile", ROLES_PROFILE, order=90),
        CabinetLink(
            _("API keys"),
            "organizers:api_keys",
            ROLES_TEAM,
            order=95,
            also_current_on=("organizers:api_key_revoke",),
        ),
        CabinetLink(
            _("Webhooks"),
            "organizers:webhooks",
            ROLES_TEAM,
            order=96,
            also_current_on=("organizers:webhook_*",),
        ),
    ):
        cabinet_link_register(link)
