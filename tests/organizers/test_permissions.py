"""The reusable permission layer: 404 for strangers, 403 for the wrong role, login first."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from events.models import TicketType
from organizers.models import Membership
from organizers.permissions import (
    ROLES_CHECKIN,
    ROLES_EVENTS,
    ROLES_REPORTS,
    OrganizerRoleRequiredMixin,
    organizer_object_or_404,
    organizer_role_required,
)
from organizers.selectors import membership_by_slug
from tests.factories import MembershipFactory, OrganizerFactory, TicketTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


@organizer_role_required(*ROLES_EVENTS)
def events_view(request, organizer_slug):
    return HttpResponse(f"{request.organizer.slug}:{request.membership.role}")


def _get(user, slug):
    request = RequestFactory().get(f"/cabinet/{slug}/x/")
    request.user = user
    return events_view(request, organizer_slug=slug)


def test_member_with_allowed_role_gets_the_organizer_on_the_request():
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    response = _get(membership.user, membership.organizer.slug)
    assert response.content.decode() == f"{membership.organizer.slug}:manager"


def test_member_with_other_role_is_forbidden():
    membership = MembershipFactory(role=Membership.Role.CHECKIN)
    with pytest.raises(PermissionDenied):
        _get(membership.user, membership.organizer.slug)


def test_member_of_another_organizer_gets_404():
    membership = MembershipFactory(role=Membership.Role.OWNER)
    other = OrganizerFactory()
    with pytest.raises(Http404):
        _get(membership.user, other.slug)


def test_unknown_organizer_is_404():
    with pytest.raises(Http404):
        _get(UserFactory(), "no-such-organizer")


def test_anonymous_user_is_sent_to_login():
    organizer = OrganizerFactory()
    response = _get(AnonymousUser(), organizer.slug)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_role_name_is_a_programming_error():
    with pytest.raises(ValueError):
        organizer_role_required("janitor")


def test_mixin_checks_the_same_way():
    from django.views import View

    class Reports(OrganizerRoleRequiredMixin, View):
        organizer_roles = ROLES_REPORTS

        def get(self, request, organizer_slug):
            return HttpResponse(self.organizer.slug)

    accountant = MembershipFactory(role=Membership.Role.ACCOUNTANT)
    manager = MembershipFactory(role=Membership.Role.MANAGER, organizer=accountant.organizer)
    view = Reports.as_view()
    request = RequestFactory().get("/")
    request.user = accountant.user
    assert view(request, organizer_slug=accountant.organizer.slug).content.decode() == (
        accountant.organizer.slug
    )
    request.user = manager.user
    with pytest.raises(PermissionDenied):
        view(request, organizer_slug=accountant.organizer.slug)


def test_checkin_role_set_includes_door_staff_but_not_accountant():
    assert "checkin" in ROLES_CHECKIN
    assert "accountant" not in ROLES_CHECKIN


def test_membership_by_slug_returns_none_for_strangers_and_anonymous():
    membership = MembershipFactory()
    slug = membership.organizer.slug
    assert membership_by_slug(user=membership.user, organizer_slug=slug) == membership
    assert membership_by_slug(user=UserFactory(), organizer_slug=slug) is None
    assert membership_by_slug(user=AnonymousUser(), organizer_slug=slug) is None
    assert membership_by_slug(user=membership.user, organizer_slug="no-such-organizer") is None


def test_organizer_object_or_404_hides_other_organizers_objects():
    ticket_type = TicketTypeFactory()
    own = ticket_type.session.event.organizer
    found = organizer_object_or_404(
        TicketType,
        organizer=own,
        organizer_field="session__event__organizer",
        pk=ticket_type.pk,
    )
    assert found == ticket_type
    with pytest.raises(Http404):
        organizer_object_or_404(
            TicketType,
            organizer=OrganizerFactory(),
            organizer_field="session__event__organizer",
            pk=ticket_type.pk,
        )


def test_the_organizer_and_the_membership_cost_one_query(django_assert_num_queries):
    """Every cabinet request asks this: the organizer comes with the membership, not before."""
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    with django_assert_num_queries(1) as captured:
        response = _get(membership.user, membership.organizer.slug)
    assert response.content.decode() == f"{membership.organizer.slug}:manager"
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]  # one row: nothing to order
    other = OrganizerFactory()
    with django_assert_num_queries(1), pytest.raises(Http404):
        _get(membership.user, other.slug)
