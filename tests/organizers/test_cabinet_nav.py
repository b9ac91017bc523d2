"""The cabinet's navigation, shown on every cabinet page: each organizer's own addresses, in the
page's language, reversed once per link and language rather than on every page."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from organizers import cabinet
from organizers.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _urls(membership: Membership) -> list[str]:
    return [entry.url for entry in cabinet.cabinet_nav(membership=membership, current_url_name="")]


def test_each_organizer_gets_its_own_addresses_in_the_pages_language():
    first = MembershipFactory(role=Membership.Role.OWNER)
    second = MembershipFactory(role=Membership.Role.OWNER)
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            for membership in (first, second):
                slug = membership.organizer.slug
                expected = [
                    reverse(link.url_name, kwargs={"organizer_slug": slug})
                    for link in sorted(cabinet._links.values(), key=lambda link: link.order)
                ]
                assert _urls(membership) == expected
    with translation.override("kk"):
        assert _urls(first)[0].startswith("/kk/cabinet/")


def test_the_navigation_reverses_no_address_once_its_links_were_seen():
    membership = MembershipFactory(role=Membership.Role.OWNER)
    other = MembershipFactory(role=Membership.Role.OWNER)
    _urls(membership)
    with mock.patch.object(cabinet, "reverse", side_effect=cabinet.reverse) as reversed_:
        urls = _urls(other)
    assert reversed_.call_count == 0
    assert all(f"/cabinet/{other.organizer.slug}/" in url for url in urls)


def _head(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[html.index('<div class="cabinet-head">') : html.index("</nav>\n\n</div>")]


def test_the_cabinet_head_is_written_once_and_follows_the_organizer_role_page_and_language(
    client,
):
    """The head (organizer, status, role, navigation) is rendered once per organizer, role,
    page and language, then reused; a renamed organizer, another role, another page or
    language each get their own."""
    from organizers.templatetags import cabinet_tags

    membership = MembershipFactory(role=Membership.Role.OWNER)
    organizer = membership.organizer
    client.force_login(membership.user)
    team = reverse("organizers:team", args=[organizer.slug])
    first = _head(client, team)
    assert organizer.public_name in first and 'href="' + team + '" aria-current="page"' in first
    with mock.patch.object(
        cabinet_tags, "cabinet_nav", side_effect=cabinet_tags.cabinet_nav
    ) as navigation:
        assert _head(client, team) == first
    assert navigation.call_count == 0
    profile = reverse("organizers:profile", args=[organizer.slug])
    assert 'href="' + profile + '" aria-current="page"' in _head(client, profile)
    organizer.public_name = "Театр <Новый>"
    organizer.save()
    assert "Театр &lt;Новый&gt;" in _head(client, team)
    Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.MANAGER)
    manager = _head(client, reverse("organizers:dashboard", args=[organizer.slug]))
    assert "Менеджер" in manager or "менеджер" in manager
    assert reverse("organizers:team", args=[organizer.slug]) not in manager
    english = _head(client, f"/en{reverse('organizers:dashboard', args=[organizer.slug])}")
    assert "Organizer cabinet" in english and "Кабинет" not in english
