from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from eventum.money import format_kzt
from tests.factories import MembershipFactory
from tests.tickets.reports_data import ROLES, build_sales, member, paid_order
from tickets.models import Order

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def sales():
    return build_sales()


@pytest.fixture
def owner_client(client, sales):
    client.force_login(member(sales.organizer, ROLES.OWNER))
    return client


def test_event_dashboard_figures_match_the_orders_exactly(owner_client, sales):
    assert sales.orders["promo"].total == D("9000.00")
    url = reverse("tickets:cabinet_event_dashboard", args=[sales.organizer.slug, sales.event.slug])
    response = owner_client.get(url)
    assert response.status_code == 200
    r = response.context["revenue"]
    assert (r.orders, r.gross, r.refunds, r.net) == (5, D("30000"), D("8000"), D("22000"))
    assert (r.fee, r.payout) == (D("1100.00"), D("20900.00"))
    t = response.context["tickets"]
    assert (t.sold, t.refunded, t.checked_in) == (7, 2, 1)
    first, second = response.context["sessions"]
    assert (first.capacity, first.sold, first.left, first.checked_in) == (30, 6, 23, 1)
    assert (second.capacity, second.sold, second.left, second.checked_in) == (10, 1, 9, 0)
    by_name = {f.ticket_type.pk: f for f in first.ticket_types + second.ticket_types}
    parter = by_name[sales.tt1.pk]
    assert (parter.sold, parter.refunded, parter.held, parter.left) == (4, 1, 1, 15)
    assert parter.revenue == D("19000") and parter.checked_in == 1
    assert (
        by_name[sales.tt2.pk].sold,
        by_name[sales.tt2.pk].revenue,
        by_name[sales.tt2.pk].left,
    ) == (
        2,
        D("0"),
        8,
    )
    assert (
        by_name[sales.tt3.pk].sold,
        by_name[sales.tt3.pk].refunded,
        by_name[sales.tt3.pk].revenue,
    ) == (
        1,
        1,
        D("3000"),
    )
    [promo] = response.context["promo"]
    assert (promo.code, promo.orders, promo.discount, promo.revenue) == (
        "TEN",
        1,
        D("1000"),
        D("9000"),
    )
    html = response.content.decode()
    assert f'data-figure="gross">{format_kzt(D("30000"))}' in html
    assert f'data-figure="payout">{format_kzt(D("20900"))}' in html
    assert str(sales.tt3.name) in html and "TEN" in html


def test_chart_has_one_bar_per_day_with_the_paid_orders(owner_client, sales):
    url = reverse("tickets:cabinet_event_dashboard", args=[sales.organizer.slug, sales.event.slug])
    response = owner_client.get(url)
    chart = response.context["chart"]
    assert [b.day.orders for b in chart.bars] == [1, 0, 0, 4]
    assert [b.day.revenue for b in chart.bars] == [D("10000"), 0, 0, D("20000")]
    assert chart.bars[0].day.day == timezone.localdate() - timedelta(days=3)
    # the tallest bar reaches the top of the plot, an empty day has no height
    assert chart.bars[1].height == 0 and chart.bars[3].height > chart.bars[0].height
    html = response.content.decode()
    assert html.count('class="chart-bar"') == 4
    assert "<svg" in html and "<script>" not in html


def test_organizer_dashboard_sums_all_events_and_lists_each(owner_client, sales):
    response = owner_client.get(reverse("tickets:cabinet_dashboard", args=[sales.organizer.slug]))
    r = response.context["revenue"]
    assert (r.orders, r.gross, r.refunds, r.net, r.fee, r.payout) == (
        6,
        D("32000"),
        D("8000"),
        D("24000"),
        D("1200.00"),
        D("22800.00"),
    )
    assert response.context["tickets"].sold == 8
    rows = {row.event.pk: row for row in response.context["rows"]}
    assert set(rows) == {sales.event.pk, sales.other_event.pk}
    assert rows[sales.other_event.pk].revenue.gross == D("2000")
    assert rows[sales.other_event.pk].tickets.sold == 1
    assert sales.orders["stranger"].event.title not in response.content.decode()


def test_fee_percent_comes_from_the_setting(owner_client, sales, settings):
    settings.PORTAL_FEE_PERCENT = D("7.5")
    response = owner_client.get(reverse("tickets:cabinet_dashboard", args=[sales.organizer.slug]))
    assert response.context["revenue"].fee == D("1800.00")
    assert response.context["revenue"].payout == D("22200.00")


def test_dashboard_queries_do_not_grow_with_orders_or_events(
    owner_client, sales, django_assert_max_num_queries
):
    urls = [
        reverse("tickets:cabinet_dashboard", args=[sales.organizer.slug]),
        reverse("tickets:cabinet_event_dashboard", args=[sales.organizer.slug, sales.event.slug]),
    ]
    for url in urls:
        with django_assert_max_num_queries(17):
            assert owner_client.get(url).status_code == 200
    for _n in range(6):
        paid_order({sales.tt1: 1})
        paid_order({sales.tt3: 1}, email="more@example.kz")
    from tests.factories import TicketTypeFactory

    for _n in range(3):
        paid_order({TicketTypeFactory(session__event__organizer=sales.organizer): 1})
    for url in urls:
        with django_assert_max_num_queries(17):
            assert owner_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [(ROLES.OWNER, 200), (ROLES.ACCOUNTANT, 200), (ROLES.MANAGER, 403), (ROLES.CHECKIN, 403)],
)
def test_dashboards_and_payout_are_for_owners_and_accountants(client, sales, role, status):
    client.force_login(member(sales.organizer, role))
    slug = sales.organizer.slug
    for url in (
        reverse("tickets:cabinet_dashboard", args=[slug]),
        reverse("tickets:cabinet_event_dashboard", args=[slug, sales.event.slug]),
        reverse("tickets:cabinet_payout", args=[slug]),
    ):
        assert client.get(url).status_code == status


def test_another_organizers_event_is_not_found(client, sales):
    other = MembershipFactory(role=ROLES.OWNER)
    client.force_login(other.user)
    # through their own slug, the event of someone else is a 404
    url = reverse("tickets:cabinet_event_dashboard", args=[other.organizer.slug, sales.event.slug])
    assert client.get(url).status_code == 404
    # and the other organizer's dashboard is not theirs either
    assert (
        client.get(reverse("tickets:cabinet_dashboard", args=[sales.organizer.slug])).status_code
        == 404
    )


def test_pending_and_expired_orders_do_not_count(owner_client, sales):
    Order.objects.filter(pk=sales.orders["pending"].pk).update(status=Order.Status.EXPIRED)
    response = owner_client.get(
        reverse("tickets:cabinet_event_dashboard", args=[sales.organizer.slug, sales.event.slug])
    )
    assert response.context["revenue"].gross == D("30000")


@pytest.mark.parametrize("name", ["tickets:cabinet_dashboard", "tickets:cabinet_payout"])
def test_many_events_come_a_page_at_a_time_with_a_search(
    owner_client, sales, name, django_assert_max_num_queries
):
    from tests.factories import EventFactory

    for n in range(25):
        EventFactory(organizer=sales.organizer, title_ru=f"Лекция {n}")
    url = reverse(name, args=[sales.organizer.slug])
    with django_assert_max_num_queries(18):
        first = owner_client.get(url)
    rows = first.context["rows"]
    assert rows.paginator.count == 27 and len(rows.object_list) == 20
    second = owner_client.get(url, {"page": 2}).context["rows"]
    assert len(second.object_list) == 7
    seen = {row.event.pk for row in rows} | {row.event.pk for row in second}
    assert {sales.event.pk, sales.other_event.pk} <= seen
    found = owner_client.get(url, {"q": sales.other_event.title_ru}).context["rows"]
    assert [row.event.pk for row in found] == [sales.other_event.pk]
    assert found.object_list[0].revenue.gross == D("2000")
    assert "Лекция 24" in first.content.decode() and "Лекция 0" not in first.content.decode()


def test_event_titles_and_buyers_are_escaped_in_the_cabinets_rows(owner_client, sales):
    """The rows written in Python (dashboard, payout report, order list) encode what
    ``{{ }}`` encodes: a title or a name with markup shows as text."""
    sales.event.title = sales.event.title_ru = "<i>Rock & \"Roll\"</i> 'live'"
    sales.event.save()
    order = sales.orders["promo"]
    Order.objects.filter(pk=order.pk).update(name="<b>O'Neil</b>", surname="&")
    shown = "&lt;i&gt;Rock &amp; &quot;Roll&quot;&lt;/i&gt; &#x27;live&#x27;"
    slug = sales.organizer.slug
    for name in ("tickets:cabinet_dashboard", "tickets:cabinet_payout", "tickets:cabinet_orders"):
        html = owner_client.get(reverse(name, args=[slug])).content.decode()
        assert shown in html and "<i>Rock" not in html, name
    orders = owner_client.get(reverse("tickets:cabinet_orders", args=[slug])).content.decode()
    assert "&amp; &lt;b&gt;O&#x27;Neil&lt;/b&gt;" in orders and "<b>O'Neil" not in orders
