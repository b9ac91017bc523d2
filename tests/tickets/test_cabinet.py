from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.hooks import hook_call
from events.models import Event, TicketType
from organizers.models import Membership
from tests.factories import MembershipFactory, TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.flows import place_order
from tickets.models import Order, OrderItem, Refund
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_states import Actor
from tickets.templatetags import tickets_cabinet_orders

pytestmark = pytest.mark.django_db


def _paid_order(tt, quantity=2, email="buyer@example.kz"):
    order = place_order({tt: quantity}, email=email)
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


def _refund_confirmed(client, url, data, **kwargs):
    """The order page's POST shows the confirmation; its form, sent back, refunds."""
    page = client.post(url, data)
    assert page.status_code == 200 and page.templates[0].name.endswith("order_refund_confirm.html")
    expected = page.context["figures"].fingerprint
    return client.post(url, {**data, "confirm": "yes", "expected": expected}, **kwargs)


@pytest.fixture
def tt():
    return TicketTypeFactory(price=Decimal("5000"), quantity=10)


@pytest.fixture
def organizer(tt):
    return tt.session.event.organizer


@pytest.fixture
def manager_client(client, organizer):
    client.force_login(MembershipFactory(organizer=organizer, role=Membership.Role.MANAGER).user)
    return client


def test_order_list_shows_only_this_organizers_orders_with_few_queries(
    manager_client, organizer, tt, django_assert_max_num_queries
):
    mine = [place_order({tt: 1}) for _n in range(5)]
    theirs = place_order({TicketTypeFactory(): 1})
    url = reverse("tickets:cabinet_orders", args=[organizer.slug])
    # the page (the session, the user, the organizer with the membership, the rows — counted
    # by a query only when there are more than a page holds —, the privacy guard's one query
    # and a cold read of privacy state, then cached) and the disclosure trail in a savepoint:
    # both chains' heads in one read, the two inserts (on PostgreSQL before them both chains'
    # advisory lock in one query) — 12 on SQLite, 13 on PostgreSQL
    with django_assert_max_num_queries(13 if connection.vendor == "postgresql" else 12):
        response = manager_client.get(url)
    html = response.content.decode()
    assert all(o.code in html for o in mine)
    assert theirs.code not in html
    filtered = manager_client.get(url, {"q": mine[0].code}).content.decode()
    assert mine[0].code in filtered and mine[1].code not in filtered
    elsewhere = place_order({TicketTypeFactory(session__event__organizer=organizer): 1})
    by_event = manager_client.get(url, {"event": elsewhere.event.slug}).content.decode()
    assert elsewhere.code in by_event and mine[0].code not in by_event


def test_order_list_queries_do_not_grow_with_its_rows(manager_client, organizer):
    """3 and 30 orders (paid and pending, each buyer with their own e-mail and phone, one of
    them blocked and shown masked) cost the same queries: nothing is read per row."""
    plenty = TicketTypeFactory(
        session__event__organizer=organizer, price=Decimal("5000"), quantity=100
    )
    url = reverse("tickets:cabinet_orders", args=[organizer.slug])

    def add_orders(first: int, last: int) -> None:
        for n in range(first, last):
            email = f"buyer{n}@example.kz"
            order = (
                _paid_order(plenty, 1, email) if n % 2 else place_order({plenty: 1}, email=email)
            )
            Order.objects.filter(pk=order.pk).update(phone=f"+7701{n:07d}")

    def queries() -> tuple[int, str]:
        manager_client.get(url)  # the cold reads of the first request out of the way
        with CaptureQueriesContext(connection) as captured:
            response = manager_client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    add_orders(0, 3)
    make_blocked(staff=UserFactory(is_staff=True), email="buyer1@example.kz")
    few, _html = queries()
    add_orders(3, 30)
    many, html = queries()
    assert few == many
    assert html.count('data-testid="data-blocked-mark"') == 1
    assert "buyer1@example.kz" not in html and "buyer2@example.kz" in html
    code = Order.objects.get(email="buyer2@example.kz").code
    assert f'href="{reverse("tickets:cabinet_order", args=[organizer.slug, code])}"' in html
    assert html.count('data-status="paid"') == 15 and html.count('data-status="pending"') == 15


def test_other_organizers_and_checkin_staff_cannot_see_orders(client, organizer, tt):
    order = place_order({tt: 1})
    stranger = MembershipFactory().user
    client.force_login(stranger)
    assert client.get(reverse("tickets:cabinet_orders", args=[organizer.slug])).status_code == 404
    detail = reverse("tickets:cabinet_order", args=[organizer.slug, order.code])
    assert client.get(detail).status_code == 404
    checkin = MembershipFactory(organizer=organizer, role=Membership.Role.CHECKIN).user
    client.force_login(checkin)
    assert client.get(detail).status_code == 403
    # another organizer's manager cannot reach this order through their own slug either
    other = MembershipFactory(role=Membership.Role.MANAGER)
    client.force_login(other.user)
    url = reverse("tickets:cabinet_order", args=[other.organizer.slug, order.code])
    assert client.get(url).status_code == 404


def test_refund_of_one_ticket_returns_it_to_sale(
    manager_client, organizer, tt, mailoutbox, django_capture_on_commit_callbacks
):
    order = _paid_order(tt, quantity=2)
    item = order.items.first()
    url = reverse("tickets:cabinet_order_refund", args=[organizer.slug, order.code])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _refund_confirmed(
            manager_client, url, {"item": [item.pk], "reason": "заболел"}, follow=True
        )
    assert len(mailoutbox) == 1
    assert "Организатор вернул 5\u00a0000\u00a0₸" in mailoutbox[0].body
    assert "Возврат записан" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.refunded_amount == Decimal("5000.00")
    assert OrderItem.objects.get(pk=item.pk).status == OrderItem.Status.REFUNDED
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 1
    refund = Refund.objects.get()
    assert refund.created_by is not None and refund.reason == "заболел"
    # refunding the same ticket again is refused
    again = manager_client.post(url, {"item": [item.pk]}, follow=True)
    assert Refund.objects.count() == 1
    assert "Выберите хотя бы один действительный билет" in again.content.decode()


def test_full_refund_moves_the_order_to_refunded(manager_client, organizer, tt):
    order = _paid_order(tt, quantity=2)
    url = reverse("tickets:cabinet_order_refund", args=[organizer.slug, order.code])
    _refund_confirmed(manager_client, url, {"all": "1"})
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert order.refunded_amount == order.total
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 0
    entry = order.log.last()
    assert (entry.from_status, entry.to_status, entry.actor_label) == (
        "paid",
        "refunded",
        "organizer",
    )
    page = manager_client.get(reverse("tickets:cabinet_order", args=[organizer.slug, order.code]))
    html = page.content.decode()
    assert "Возвращён" in html
    assert "Оплачен → Возвращён" in html


def test_cancelling_the_event_cancels_and_refunds_its_orders_and_tells_buyers(
    tt, mailoutbox, django_capture_on_commit_callbacks
):
    pending = place_order({tt: 1}, email="pending@example.kz")
    paid = _paid_order(tt, quantity=2, email="paid@example.kz")
    other = place_order({TicketTypeFactory(): 1})
    event = tt.session.event
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
        hook_call("event_cancelled", event=event)
    pending.refresh_from_db()
    paid.refresh_from_db()
    assert pending.status == Order.Status.CANCELLED
    assert paid.status == Order.Status.REFUNDED
    assert paid.refunded_amount == Decimal("10000.00")
    assert Order.objects.get(pk=other.pk).status == Order.Status.PENDING
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 0
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == ["paid@example.kz", "pending@example.kz"]
    refunded_mail = next(m for m in mailoutbox if m.to == ["paid@example.kz"])
    assert "отменил" in refunded_mail.body and "возвращается" in refunded_mail.body


def test_order_list_reads_only_the_columns_it_shows(manager_client, organizer, tt):
    """The page's rows come without the orders' secrets and the events' descriptions and
    covers: fifty full orders and events a page cost more to build than the rest of the list."""
    order = place_order({tt: 1})
    url = reverse("tickets:cabinet_orders", args=[organizer.slug])
    with CaptureQueriesContext(connection) as captured:
        response = manager_client.get(url)
    assert order.code in response.content.decode()
    rows = [q["sql"] for q in captured if '"tickets_order"."code"' in q["sql"]]
    assert len(rows) == 1
    assert '"tickets_order"."secret"' not in rows[0]
    assert '"events_event"."description' not in rows[0]
    assert '"events_event"."cover' not in rows[0]


def test_order_list_rows_are_plain_values_with_the_events_title_in_the_pages_language(
    manager_client, organizer, tt
):
    """The rows are read as values, not built as orders and events (``OrderRow``), and say the
    event's title as the event's own field does: the page's language, else Russian."""
    order = place_order({tt: 1})
    Event.objects.filter(pk=tt.session.event_id).update(
        title_ru="Вечер домбры", title_kk="Домбыра кеші", title_en=""
    )
    url = reverse("tickets:cabinet_orders", args=[organizer.slug])
    with mock.patch.object(Order, "__init__", side_effect=AssertionError("an order built")):
        ru = manager_client.get(url)
    assert type(ru.context["page"].orders[0]).__name__ == "OrderRow"
    assert "Вечер домбры" in ru.content.decode()
    assert "Домбыра кеші" in manager_client.get("/kk" + url).content.decode()
    en = manager_client.get("/en" + url).content.decode()
    assert "Вечер домбры" in en and order.code in en  # no English title: the Russian one


def test_order_list_builds_one_status_badge_per_status_not_per_row(manager_client, organizer, tt):
    """Fifty rows a page: each status's badge is written once and reused by its rows."""
    paid = [_paid_order(tt, 1, f"paid{n}@example.kz") for n in range(3)]
    pending = [place_order({tt: 1}, email=f"wait{n}@example.kz") for n in range(3)]
    url = reverse("tickets:cabinet_orders", args=[organizer.slug])
    with mock.patch.object(
        tickets_cabinet_orders, "status_badge", side_effect=tickets_cabinet_orders.status_badge
    ) as badge:
        html = manager_client.get(url).content.decode()
    assert badge.call_count == 2
    assert html.count('data-status="paid"') == len(paid)
    assert html.count('data-status="pending"') == len(pending)


def _filters_html(html: str) -> str:
    return html[html.index('<form method="get" class="filters"') : html.index("<datalist")]


def test_order_list_writes_its_empty_filters_once_per_language(manager_client, organizer, tt):
    """The filter form's empty fields are rendered once per language and process and then
    reused: the same HTML, no widget rendered again; the other language gets its own."""
    from django.forms.widgets import Widget

    tickets_cabinet_orders._empty_fields.clear()
    place_order({tt: 1})
    url = reverse("tickets:cabinet_orders", args=[organizer.slug])
    first = _filters_html(manager_client.get(url).content.decode())
    with mock.patch.object(Widget, "render", autospec=True, side_effect=Widget.render) as widgets:
        again = _filters_html(manager_client.get(url).content.decode())
    assert widgets.call_count == 0
    assert again == first
    assert 'name="q" maxlength="100" id="id_q"' in first
    assert 'data-suggest="event"' in first and "Часть названия" in first
    english = _filters_html(manager_client.get(f"/en{url}").content.decode())
    assert "Part of its title" in english and "Часть названия" not in english
    assert english.replace("Part of its title", "") != first.replace("Часть названия", "")


def test_order_list_filters_keep_what_was_typed_escaped_and_their_errors(
    manager_client, organizer, tt
):
    """A filled field or one with an error is rendered for the request (never reused): the
    typed text escaped, the message shown; the next empty form shows neither."""
    url = reverse("tickets:cabinet_orders", args=[organizer.slug])
    manager_client.get(url)
    html = _filters_html(
        manager_client.get(url, {"q": '<b>"x', "session": "zz", "status": "paid"}).content.decode()
    )
    assert 'value="&lt;b&gt;&quot;x"' in html and "<b>" not in html
    assert html.count('role="alert"') == 1 and "Введите день, например" in html
    assert '<option value="paid" selected>' in html
    plain = _filters_html(manager_client.get(url).content.decode())
    assert "&lt;b&gt;" not in plain and 'role="alert"' not in plain
    assert '<option value="" selected>' in plain
