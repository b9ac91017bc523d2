"""The team: invitations by e-mail with a role, role changes, and what each role can reach."""

import pytest
from django.core import mail
from django.urls import reverse

from organizers.models import Invitation, Membership
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganizerFactory,
    TicketTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return MembershipFactory(role="owner")


def _team_url(organizer):
    return reverse("organizers:team", kwargs={"organizer_slug": organizer.slug})


def test_owner_invites_by_email_and_the_invitee_joins_with_that_role(
    client, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _team_url(owner.organizer), {"email": "Door@Example.kz", "role": "checkin"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "door@example.kz"
    assert invitation.role == "checkin"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["door@example.kz"]
    accept_url = reverse("organizers:invitation_accept", kwargs={"token": invitation.token})
    assert accept_url in mail.outbox[0].body

    invitee = UserFactory(email="door@example.kz")
    client.force_login(invitee)
    assert owner.organizer.public_name in client.get(accept_url).content.decode()
    response = client.post(accept_url)
    assert response.status_code == 302
    membership = Membership.objects.get(user=invitee)
    assert membership.organizer == owner.organizer
    assert membership.role == "checkin"
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee


def test_invitation_cannot_be_accepted_by_another_account(client, owner):
    invitation = Invitation.objects.create(
        organizer=owner.organizer, email="manager@example.kz", role="manager"
    )
    client.force_login(UserFactory(email="someone-else@example.kz"))
    accept_url = reverse("organizers:invitation_accept", kwargs={"token": invitation.token})
    response = client.post(accept_url, follow=True)
    assert not Membership.objects.filter(role="manager").exists()
    assert "manager@example.kz" in response.content.decode()


def test_withdrawn_invitation_is_gone(client, owner):
    invitation = Invitation.objects.create(
        organizer=owner.organizer, email="x@example.kz", role="manager"
    )
    client.force_login(owner.user)
    url = reverse(
        "organizers:invitation_revoke",
        kwargs={"organizer_slug": owner.organizer.slug, "pk": invitation.pk},
    )
    assert client.post(url).status_code == 302
    assert not Invitation.objects.exists()


def test_owner_changes_a_role_and_removes_a_member(client, owner):
    member = MembershipFactory(organizer=owner.organizer, role="accountant")
    client.force_login(owner.user)
    slug = owner.organizer.slug
    client.post(
        reverse("organizers:member_role", kwargs={"organizer_slug": slug, "pk": member.pk}),
        {"role": "manager"},
    )
    member.refresh_from_db()
    assert member.role == "manager"
    client.post(
        reverse("organizers:member_remove", kwargs={"organizer_slug": slug, "pk": member.pk}),
        {"confirm": "yes"},
    )
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_removing_a_member_asks_first(client, owner):
    member = MembershipFactory(organizer=owner.organizer, role="accountant")
    client.force_login(owner.user)
    url = reverse(
        "organizers:member_remove", kwargs={"organizer_slug": owner.organizer.slug, "pk": member.pk}
    )
    for response in (client.get(url), client.post(url)):
        html = response.content.decode()
        assert response.status_code == 200
        assert member.user.email in html
        assert "Удалить из команды" in html
    assert Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("role", ["manager", "checkin", "accountant"])
def test_only_owners_see_the_member_removal_page(client, owner, role):
    member = MembershipFactory(organizer=owner.organizer, role=role)
    client.force_login(member.user)
    url = reverse(
        "organizers:member_remove", kwargs={"organizer_slug": owner.organizer.slug, "pk": owner.pk}
    )
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_the_last_owner_cannot_leave_or_be_demoted(client, owner):
    client.force_login(owner.user)
    slug = owner.organizer.slug
    response = client.post(
        reverse("organizers:member_role", kwargs={"organizer_slug": slug, "pk": owner.pk}),
        {"role": "manager"},
        follow=True,
    )
    owner.refresh_from_db()
    assert owner.role == "owner"
    assert response.status_code == 200
    client.post(
        reverse("organizers:member_remove", kwargs={"organizer_slug": slug, "pk": owner.pk}),
        {"confirm": "yes"},
    )
    assert Membership.objects.filter(pk=owner.pk).exists()


# --- What each role can reach -------------------------------------------------------------


def _cabinet_urls(organizer, event):
    slug = organizer.slug
    session = event.sessions.get()
    ticket_type = session.ticket_types.get()
    return {
        "dashboard": reverse("organizers:dashboard", kwargs={"organizer_slug": slug}),
        "profile": reverse("organizers:profile", kwargs={"organizer_slug": slug}),
        "team": _team_url(organizer),
        "event_list": reverse("events_cabinet:event_list", kwargs={"organizer_slug": slug}),
        "event_create": reverse("events_cabinet:event_create", kwargs={"organizer_slug": slug}),
        "event_detail": reverse(
            "events_cabinet:event_detail", kwargs={"organizer_slug": slug, "pk": event.pk}
        ),
        "event_edit": reverse(
            "events_cabinet:event_edit", kwargs={"organizer_slug": slug, "pk": event.pk}
        ),
        "session_edit": reverse(
            "events_cabinet:session_edit", kwargs={"organizer_slug": slug, "pk": session.pk}
        ),
        "ticket_type_edit": reverse(
            "events_cabinet:ticket_type_edit",
            kwargs={"organizer_slug": slug, "pk": ticket_type.pk},
        ),
    }


EXPECTED = {
    "owner": {
        "dashboard": 200,
        "profile": 200,
        "team": 200,
        "event_list": 200,
        "event_create": 200,
        "event_detail": 200,
        "event_edit": 200,
        "session_edit": 200,
        "ticket_type_edit": 200,
    },
    "manager": {
        "dashboard": 200,
        "profile": 403,
        "team": 403,
        "event_list": 200,
        "event_create": 200,
        "event_detail": 200,
        "event_edit": 200,
        "session_edit": 200,
        "ticket_type_edit": 200,
    },
    "checkin": {
        "dashboard": 200,
        "profile": 403,
        "team": 403,
        "event_list": 403,
        "event_create": 403,
        "event_detail": 403,
        "event_edit": 403,
        "session_edit": 403,
        "ticket_type_edit": 403,
    },
    "accountant": {
        "dashboard": 200,
        "profile": 403,
        "team": 403,
        "event_list": 403,
        "event_create": 403,
        "event_detail": 403,
        "event_edit": 403,
        "session_edit": 403,
        "ticket_type_edit": 403,
    },
}


@pytest.mark.parametrize("role", ["owner", "manager", "checkin", "accountant"])
def test_each_role_reaches_exactly_its_pages(client, role):
    ticket_type = TicketTypeFactory()
    event = ticket_type.session.event
    membership = MembershipFactory(organizer=event.organizer, role=role)
    client.force_login(membership.user)
    seen = {
        name: client.get(url).status_code
        for name, url in _cabinet_urls(event.organizer, event).items()
    }
    assert seen == EXPECTED[role]


@pytest.mark.parametrize("role", ["owner", "manager", "checkin", "accountant"])
def test_another_organizers_pages_and_objects_are_404(client, role):
    mine = MembershipFactory(role=role)
    theirs = TicketTypeFactory().session.event
    client.force_login(mine.user)
    # Their cabinet under their slug: not a member, so nothing exists.
    for name, url in _cabinet_urls(theirs.organizer, theirs).items():
        assert client.get(url).status_code == 404, name
    # Their objects under my own slug: my membership is fine, their objects are not mine.
    if role in ("owner", "manager"):
        own_event = EventFactory(organizer=mine.organizer)
        urls = _cabinet_urls(mine.organizer, theirs)
        for name in ("event_detail", "event_edit", "session_edit", "ticket_type_edit"):
            response = client.get(urls[name])
            assert response.status_code == 404, name
            assert theirs.title not in response.content.decode()
        publish = reverse(
            "events_cabinet:event_cancel",
            kwargs={"organizer_slug": mine.organizer.slug, "pk": theirs.pk},
        )
        assert client.get(publish).status_code == 404
        assert client.post(publish, {"title": theirs.title_ru}).status_code == 404
        theirs.refresh_from_db()
        assert theirs.status == "published"
        assert own_event.status == "published"


def test_owner_cannot_manage_another_organizers_members(client, owner):
    stranger = MembershipFactory(organizer=OrganizerFactory(), role="manager")
    client.force_login(owner.user)
    url = reverse(
        "organizers:member_remove",
        kwargs={"organizer_slug": owner.organizer.slug, "pk": stranger.pk},
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert Membership.objects.filter(pk=stranger.pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    organizer = OrganizerFactory()
    response = client.get(
        reverse("organizers:dashboard", kwargs={"organizer_slug": organizer.slug})
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("role", "sees_orders"), [("manager", True), ("checkin", False)])
def test_dashboard_links_follow_the_role(client, role, sees_orders):
    membership = MembershipFactory(role=role)
    client.force_login(membership.user)
    slug = membership.organizer.slug
    page = client.get(reverse("organizers:dashboard", kwargs={"organizer_slug": slug}))
    orders_url = reverse("tickets:cabinet_orders", args=[slug])
    events_url = reverse("events_cabinet:event_list", kwargs={"organizer_slug": slug})
    assert (f'href="{orders_url}"' in page.content.decode()) is sees_orders
    assert (events_url in page.content.decode()) is sees_orders
    checkin_url = reverse("tickets:checkin_events", args=[slug])
    assert f'href="{checkin_url}"' in page.content.decode()
