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
