from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from events.models import Event, TicketType
from privacy.services import marketing_allowed_emails
from tickets.models import AttendeeMessage, MessageDelivery, Order, OrderItem
from tickets.reports.selectors import SOLD

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo")
    call_command("seed_demo_sales")


def test_demo_orders_are_idempotent_and_consistent(demo):
    orders = Order.objects.filter(idempotency_key__startswith="demo-")
    count = orders.count()
    assert count >= 300
    call_command("seed_demo_sales")
    assert orders.count() == count
    assert Event.objects.filter(organizer__slug="dombra-live").count() == 3
    # what is counted as taken is exactly the valid tickets sold (no holds in the demo)
    for tt in TicketType.objects.filter(session__event__organizer__slug="dombra-live"):
        valid = OrderItem.objects.filter(ticket_type=tt, status=OrderItem.Status.VALID).count()
        assert tt.quantity_taken == valid
    # every order's total is the sum of its tickets, refunds the sum of refunded tickets
    checked = orders.annotate(
        items_total=Sum("items__amount"),
        refunded_items=Coalesce(
            Sum("items__amount", filter=Q(items__status="refunded")), Value(Decimal("0"))
        ),
    )
    mismatched = (
        checked.exclude(total=F("items_total")).count()
        + checked.exclude(refunded_amount=F("refunded_items")).count()
    )
    assert mismatched == 0
    assert orders.filter(status=Order.Status.REFUNDED).exists()
    assert orders.filter(promo_code__isnull=False).exists()
    assert orders.filter(total=0).exists()
    statuses = set(orders.values_list("status", flat=True))
    assert statuses <= set(SOLD)
    consenting = set(orders.filter(marketing_consent=True).values_list("email", flat=True))
    assert consenting and marketing_allowed_emails(consenting) == consenting


def test_demo_organizer_sees_totals_chart_and_check_ins(
    demo, client, django_assert_max_num_queries
):
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.get(email="organizer@demo.eventum.one")
    client.force_login(owner)
    with django_assert_max_num_queries(17):  # check-ins are counted apart from the summary
        response = client.get(reverse("tickets:cabinet_dashboard", args=["dombra-live"]))
    assert response.status_code == 200
    sold = Order.objects.filter(event__organizer__slug="dombra-live", status__in=SOLD)
    totals = sold.aggregate(gross=Sum("total"), refunds=Sum("refunded_amount"), n=Count("id"))
    r = response.context["revenue"]
    assert (r.gross, r.refunds, r.orders) == (totals["gross"], totals["refunds"], totals["n"])
    assert r.net == totals["gross"] - totals["refunds"] and r.gross > Decimal("1000000")
    assert len(response.context["rows"]) == 3
    assert len(response.context["chart"].bars) >= 20
    assert response.context["tickets"].checked_in > 0
    assert response.context["promo"][0].code == "DOMBRA10"


def test_demo_promotional_message_skips_buyers_without_consent(
    demo, client, mailoutbox, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="organizer@demo.eventum.one"))
    url = reverse("tickets:cabinet_messages", args=["dombra-live", "dombra-night-almaty"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "promotional", "subject": "Скидки", "body": "Новый концерт!"})
    message = AttendeeMessage.objects.get()
    sent = set(message.deliveries.filter(status="sent").values_list("email", flat=True))
    skipped = message.deliveries.filter(status=MessageDelivery.Status.SKIPPED_NO_CONSENT)
    assert sent and skipped.exists()
    assert {m.to[0] for m in mailoutbox} == sent
    assert sent == marketing_allowed_emails(sent)
