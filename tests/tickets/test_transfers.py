"""Giving a ticket to someone else when the organizer allows it: a new QR code (the old one
answers "unknown" at the door), the new holder's name on the ticket, their ticket by e-mail,
their consent and the hand-over of their data on record; a limit per ticket and a cut-off."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from organizers.models import Membership
from privacy.models import ConsentRecord, Disclosure
from tests.factories import MembershipFactory, TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.delivery_helpers import paid_order
from tickets.checkin.services import CheckInResult, checkin_scan
from tickets.delivery.services import ticket_prints
from tickets.models import TicketTransfer, TransferRules
from tickets.qr import qr_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def tt():
    return TicketTypeFactory(price=Decimal("6000"), quantity=10)


@pytest.fixture
def order(tt, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        paid = paid_order(tt=tt, quantity=2)
    mailoutbox.clear()
    return paid


@pytest.fixture
def allowed(tt):
    return TransferRules.objects.create(event=tt.session.event, allowed=True, cutoff_hours=2)


def _url(order) -> str:
    return reverse("tickets:order_transfer", args=[order.code]) + f"?s={order.secret}"


def _give(client, order, item, *, email="friend@example.kz", consent=True):
    data = {"s": order.secret, "item": item.pk, "name": "Асель Нурланова", "email": email}
    if consent:
        data["consent"] = "on"
    return client.post(_url(order), data)


def test_the_new_holder_gets_a_new_code_and_the_old_one_is_unknown(
    client, tt, order, allowed, django_capture_on_commit_callbacks, mailoutbox
):
    item = order.items.order_by("id").first()
    old_code = qr_payload(item)
    assert 'data-testid="transfer-link"' in client.get(order.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = _give(client, order, item)

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.holder_name, item.holder_email) == ("Асель Нурланова", "friend@example.kz")
    event, organizer = tt.session.event, tt.session.event.organizer
    old = checkin_scan(organizer=organizer, event=event, code=old_code)
    assert old.result == CheckInResult.UNKNOWN
    new = checkin_scan(organizer=organizer, event=event, code=qr_payload(item))
    assert new.result == CheckInResult.VALID
    assert new.holder == "Асель Нурланова"  # the door sees who holds it now
    to_holder = next(m for m in mailoutbox if m.to == ["friend@example.kz"])
    assert "Иванов Иван" in to_holder.body and event.title in to_holder.subject
    (_name, pdf, kind), *_wallet = to_holder.attachments
    assert kind == "application/pdf" and pdf.startswith(b"%PDF")
    assert order.secret not in to_holder.body  # the buyer's order link stays the buyer's
    transfer = TicketTransfer.objects.get(item=item)
    assert transfer.emailed_at is not None and transfer.from_email == "buyer@example.kz"
    assert ConsentRecord.objects.filter(
        email="friend@example.kz", purpose="processing_and_transfer", source__startswith="transfer:"
    ).exists()
    assert Disclosure.objects.filter(purpose__contains=f"transfer:{order.code}").exists()
    printed = ticket_prints(order, [item])[0]
    assert printed.buyer_name == "Асель Нурланова"


def test_without_the_organizers_permission_nothing_is_given(client, order):
    item = order.items.first()
    html = client.get(_url(order)).content.decode()
    assert "нельзя передать" in html
    assert (
        'data-testid="transfer-link"' not in client.get(order.get_absolute_url()).content.decode()
    )
    response = _give(client, order, item)
    assert response.status_code == 400
    assert not TicketTransfer.objects.exists()


def test_the_limit_per_ticket_holds(client, order, allowed):
    item = order.items.first()
    _give(client, order, item)
    response = _give(client, order, item, email="third@example.kz")
    assert response.status_code == 400
    assert TicketTransfer.objects.filter(item=item).count() == 1
    item.refresh_from_db()
    assert item.holder_email == "friend@example.kz"


def test_no_transfer_after_the_cut_off(client, tt, order, allowed):
    session = tt.session
    session.starts_at = timezone.now() + timedelta(hours=1)
    session.save(update_fields=["starts_at"])
    html = client.get(_url(order)).content.decode()
    assert 'data-testid="transfer-refused"' in html and "Поздно" in html
    assert _give(client, order, order.items.first()).status_code == 400
    assert not TicketTransfer.objects.exists()


def test_consent_is_required(client, order, allowed):
    response = _give(client, order, order.items.first(), consent=False)
    assert response.status_code == 400
    assert not TicketTransfer.objects.exists()


def test_a_blocked_person_cannot_receive_a_ticket(client, order, allowed):
    make_blocked(staff=UserFactory(is_staff=True), email="blocked@example.kz")
    response = _give(client, order, order.items.first(), email="blocked@example.kz")
    assert response.status_code == 400
    assert "заблокированы" in response.content.decode()
    assert not TicketTransfer.objects.exists()


def test_someone_without_the_link_cannot_give_tickets(client, order, allowed):
    url = reverse("tickets:order_transfer", args=[order.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"item": order.items.first().pk}).status_code == 404


def test_organizer_allows_transfers_in_the_cabinet(client, tt):
    event = tt.session.event
    manager = MembershipFactory(organizer=event.organizer, role=Membership.Role.MANAGER).user
    client.force_login(manager)
    url = reverse("tickets:cabinet_transfer_rules", args=[event.organizer.slug, event.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"allowed": "on", "max_per_ticket": "2", "cutoff_hours": "6"})
    assert response.status_code == 302
    rules = TransferRules.objects.get(event=event)
    assert (rules.allowed, rules.max_per_ticket, rules.cutoff_hours) == (True, 2, 6)


def test_the_cabinet_history_names_the_transfer_in_russian(client, tt, order, allowed):
    item = order.items.first()
    _give(client, order, item)
    manager = MembershipFactory(
        organizer=tt.session.event.organizer, role=Membership.Role.MANAGER
    ).user
    client.force_login(manager)
    page = client.get(
        reverse("tickets:cabinet_order", args=[tt.session.event.organizer.slug, order.code])
    ).content.decode()
    assert f"билет {order.code}-{item.pk} передан другому человеку" in page


def _pass_code(pkpass: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(pkpass))
    return json.loads(archive.read("pass.json"))["barcodes"][0]["message"]


def test_the_wallet_pass_is_re_issued_with_the_new_code_and_the_old_pass_does_not_admit(
    client, tt, order, allowed, django_capture_on_commit_callbacks, mailoutbox
):
    item = order.items.order_by("id").first()
    wallet_url = reverse("tickets:ticket_apple_wallet", args=[order.code, item.pk])
    old_pass = client.get(wallet_url, {"s": order.secret}).content
    with django_capture_on_commit_callbacks(execute=True):
        _give(client, order, item)
    item.refresh_from_db()

    to_holder = next(m for m in mailoutbox if m.to == ["friend@example.kz"])
    (new_pass,) = [
        content for name, content, kind in to_holder.attachments if name.endswith(".pkpass")
    ]
    assert _pass_code(new_pass) == qr_payload(item) != _pass_code(old_pass)
    event, organizer = tt.session.event, tt.session.event.organizer
    old = checkin_scan(organizer=organizer, event=event, code=_pass_code(old_pass))
    assert old.result == CheckInResult.UNKNOWN
    new = checkin_scan(organizer=organizer, event=event, code=_pass_code(new_pass))
    assert new.result == CheckInResult.VALID
    # downloaded again, the pass has the new code and the same serial (it replaces the old one)
    again = client.get(wallet_url, {"s": order.secret}).content
    assert _pass_code(again) == qr_payload(item)


def test_a_new_code_makes_a_new_google_wallet_object(order, settings):
    from tickets.checkin.services import ticket_secret_reissue
    from tickets.wallet.google import save_claims

    settings.GOOGLE_WALLET_ISSUER_ID = "3388000000012345678"
    item = order.items.order_by("id").first()
    before = save_claims(order, item, origin="https://eventum.kz")["payload"]
    ticket_secret_reissue(item_id=item.pk, actor_user=None)
    item.refresh_from_db()
    after = save_claims(order, item, origin="https://eventum.kz")["payload"]
    (old,), (new,) = before["eventTicketObjects"], after["eventTicketObjects"]
    assert old["id"] != new["id"] and new["barcode"]["value"] == qr_payload(item)
    assert old["ticketNumber"] == new["ticketNumber"]
