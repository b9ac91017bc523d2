"""Staff review in the admin: pending -> verified, or rejected with a reason; both e-mailed."""

import pytest
from django.core import mail
from django.urls import reverse

from organizers.models import Organizer
from organizers.services import organizer_verify
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    client.user = staff
    return client


@pytest.fixture
def pending():
    membership = MembershipFactory(
        organizer__status=Organizer.Status.PENDING, user__email="owner@step.kz"
    )
    return membership.organizer


def _admin_form_data(client, organizer, **changes):
    url = reverse("admin:organizers_organizer_change", args=[organizer.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    data.pop("logo", None)
    for prefix in ("memberships", "invitations"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(changes)
    return url, data


def test_staff_verify_an_organizer_and_the_owner_is_emailed(
    staff_client, pending, django_capture_on_commit_callbacks
):
    url, data = _admin_form_data(staff_client, pending, status="verified")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Organizer.Status.VERIFIED
    assert pending.reviewed_by == staff_client.user
    assert pending.reviewed_at is not None
    assert len(mail.outbox) == 1
    assert "owner@step.kz" in mail.outbox[0].to
    assert pending.public_name in mail.outbox[0].subject


def test_rejection_needs_a_reason(staff_client, pending):
    url, data = _admin_form_data(staff_client, pending, status="rejected", rejection_reason="")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "rejection_reason" in response.context["adminform"].form.errors
    pending.refresh_from_db()
    assert pending.status == Organizer.Status.PENDING


def test_rejection_with_reason_is_emailed(
    staff_client, pending, django_capture_on_commit_callbacks
):
    url, data = _admin_form_data(
        staff_client, pending, status="rejected", rejection_reason="БИН не совпадает с выпиской"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Organizer.Status.REJECTED
    assert pending.rejection_reason == "БИН не совпадает с выпиской"
    assert len(mail.outbox) == 1
    assert "БИН не совпадает с выпиской" in mail.outbox[0].body


def test_bulk_verify_action(staff_client, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:organizers_organizer_changelist"),
            {"action": "verify_selected", "_selected_action": [pending.pk]},
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Organizer.Status.VERIFIED
    assert len(mail.outbox) == 1


def test_rejected_organizer_sees_the_reason_in_the_cabinet(client):
    membership = MembershipFactory(
        organizer__status=Organizer.Status.REJECTED,
        organizer__rejection_reason="Нужна выписка из банка",
    )
    client.force_login(membership.user)
    response = client.get(
        reverse("organizers:dashboard", kwargs={"organizer_slug": membership.organizer.slug})
    )
    assert "Нужна выписка из банка" in response.content.decode()


def test_the_review_e_mail_is_in_the_organizers_language(
    pending, django_capture_on_commit_callbacks
):
    pending.language = "en"
    pending.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        organizer_verify(organizer=pending, reviewer=None)
    (message,) = mail.outbox
    assert message.subject.endswith("is verified on eventum")
