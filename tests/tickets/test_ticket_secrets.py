"""Every ticket carries an unguessable door secret that the organizer can re-issue."""

import pytest
from django.urls import reverse

from organizers.models import Membership
from tests.tickets.delivery_helpers import paid_order, staff_of
from tickets.checkin.services import CheckInResult, checkin_scan
from tickets.models import OrderItem, OrderLog
from tickets.qr import qr_payload

pytestmark = pytest.mark.django_db


def test_every_ticket_gets_its_own_long_random_secret():
    order = paid_order(quantity=3)
    secrets = [item.secret for item in order.items.all()]

    assert len(set(secrets)) == 3
    # token_urlsafe(24): 24 random bytes = 192 bits, 32 URL-safe characters.
    assert all(len(s) == 32 for s in secrets)
    assert all(item.secret_issued_at is not None for item in order.items.all())
    assert qr_payload(order.items.first()).startswith("EVT1:")


def test_reissued_secret_makes_the_old_code_unknown_and_is_logged(
    client, django_capture_on_commit_callbacks
):
    order = paid_order(quantity=1)
    organizer = order.event.organizer
    item = order.items.get()
    old_code = qr_payload(item)
    client.force_login(staff_of(organizer, role=Membership.Role.MANAGER))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tickets:cabinet_item_reissue", args=[organizer.slug, order.code, item.pk]),
            {"confirm": "yes"},
        )

    assert response.status_code == 302
    item.refresh_from_db()
    assert qr_payload(item) != old_code
    old = checkin_scan(organizer=organizer, event=order.event, code=old_code)
    assert old.result == CheckInResult.UNKNOWN
    new = checkin_scan(organizer=organizer, event=order.event, code=qr_payload(item))
    assert new.result == CheckInResult.VALID
    assert OrderLog.objects.filter(order=order, note__contains="re-issued").count() == 1
    # The stored PDF now prints the new code.
    assert order.pdf.fingerprint


def test_checkin_staff_cannot_reissue_secrets(client):
    order = paid_order(quantity=1)
    organizer = order.event.organizer
    item = order.items.get()
    client.force_login(staff_of(organizer))

    response = client.post(
        reverse("tickets:cabinet_item_reissue", args=[organizer.slug, order.code, item.pk]),
        {"confirm": "yes"},
    )

    assert response.status_code == 403
    assert OrderItem.objects.get(pk=item.pk).secret == item.secret
