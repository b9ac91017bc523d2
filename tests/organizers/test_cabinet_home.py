"""The organizer's home: signing in lands in the cabinet, every cabinet page shares one
navigation (by role), and the overview shows today's sales, the coming sessions and what waits."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from organizers.roles import ACCOUNTANT, CHECKIN, MANAGER, OWNER
from tests.factories import (
    EventFactory,
    MembershipFactory,
    SessionFactory,
    TicketTypeFactory,
    UserFactory,
)
from tests.tickets.flows import place_order
from tickets.delivery.models import EmailDelivery
from tickets.payments.services import payment_complete, payment_start
from tickets.refunds.models import RefundRequest
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def tt():
    return TicketTypeFactory(price=Decimal("5000"), quantity=10)


@pytest.fixture
def organizer(tt):
    return tt.session.event.organizer


def _member(organizer, role):
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(organizer=organizer, user=user, role=role)
    return user


def _paid(tt, quantity):
    order = place_order({tt: quantity})
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t{order.pk}", actor=Actor()
    )
    return order


def _sign_in(client, user, **query):
    url = reverse("account_login")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, {"login": user.email, "password": PASSWORD})


def test_an_organizer_lands_in_their_cabinet_after_signing_in(client, organizer):
    owner = _member(organizer, OWNER)
    response = _sign_in(client, owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("organizers:cabinet")
    # one organizer: the cabinet's index goes on to its overview
    index = client.get(response["Location"])
    assert index["Location"] == reverse("organizers:dashboard", args=[organizer.slug])


def test_a_buyer_lands_on_the_account_page_and_next_still_wins(client, organizer):
    buyer = UserFactory()
    buyer.set_password(PASSWORD)
    buyer.save()
    assert _sign_in(client, buyer)["Location"] == reverse("account_overview")
    client.logout()
    owner = _member(organizer, OWNER)
    assert _sign_in(client, owner, next="/events/")["Location"] == "/events/"


def test_the_account_page_leads_to_the_cabinet_or_to_becoming_an_organizer(client, organizer):
    owner = _member(organizer, OWNER)
    client.force_login(owner)
    page = client.get(reverse("account_overview")).content.decode()
    assert reverse("organizers:dashboard", args=[organizer.slug]) in page
    client.force_login(UserFactory())
    page = client.get(reverse("account_overview")).content.decode()
    assert reverse("organizers:organizer_create") in page


def _nav(html: str) -> str:
    start = html.index('<nav class="cabinet-nav"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            OWNER,
            [
                "events_cabinet:event_list",
                "tickets:cabinet_orders",
                "tickets:cabinet_dashboard",
                "organizers:team",
                "organizers:profile",
            ],
            [],
        ),
        (
            MANAGER,
            [
                "events_cabinet:event_list",
                "tickets:cabinet_orders",
                "tickets:checkin_events",
                "tickets:cabinet_promo_codes",
            ],
            [
                "tickets:cabinet_dashboard",
                "tickets:cabinet_bank_transfers",
                "organizers:team",
                "organizers:profile",
            ],
        ),
        (
            ACCOUNTANT,
            ["tickets:cabinet_dashboard", "tickets:cabinet_bank_transfers"],
            ["tickets:cabinet_orders", "events_cabinet:event_list", "tickets:checkin_events"],
        ),
        (
            CHECKIN,
            ["tickets:checkin_events"],
            ["tickets:cabinet_orders", "tickets:cabinet_dashboard", "events_cabinet:event_list"],
        ),
    ],
)
def test_the_navigation_shows_what_the_role_opens(client, organizer, role, shown, hidden):
    client.force_login(_member(organizer, role))
    nav = _nav(client.get(reverse("organizers:dashboard", args=[organizer.slug])).content.decode())
    for name in shown:
        assert f'href="{reverse(name, args=[organizer.slug])}"' in nav, name
    for name in hidden:
        assert f'href="{reverse(name, args=[organizer.slug])}"' not in nav, name


def test_the_current_section_is_marked_on_its_inner_pages(client, organizer, tt):
    client.force_login(_member(organizer, OWNER))
    order = _paid(tt, 1)
    nav = _nav(
        client.get(
            reverse("tickets:cabinet_order", args=[organizer.slug, order.code])
        ).content.decode()
    )
    orders = reverse("tickets:cabinet_orders", args=[organizer.slug])
    assert f'<a href="{orders}" aria-current="page">' in nav
    assert nav.count("aria-current") == 1


def _organizer_only_routes(resolver=None, prefix=""):
    """Every cabinet route whose only argument is the organizer."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            for name, inner in _organizer_only_routes(pattern, route):
                yield (name if ":" in name or not namespace else namespace + name), inner
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and route.startswith("cabinet/<slug:organizer_slug>/")
            and route.count("<") == 1
        ):
            yield pattern.name, route


def test_every_cabinet_page_shares_the_cabinet_layout(client, organizer):
    client.force_login(_member(organizer, OWNER))
    names = {name for name, _route in _organizer_only_routes() if name != "cabinet_moved"}
    assert {"tickets:cabinet_orders", "tickets:cabinet_dashboard", "organizers:team"} <= names
    for name in sorted(names):
        response = client.get(reverse(name, args=[organizer.slug]))
        if response.status_code == 405 or response["Content-Type"] == "application/json":
            continue  # a POST-only action, or the data behind a page
        assert response.status_code == 200, name
        assert 'class="cabinet-nav"' in response.content.decode(), name


def test_the_overview_shows_todays_sales_and_the_coming_sessions(
    client, organizer, tt, django_assert_max_num_queries
):
    client.force_login(_member(organizer, OWNER))
    _paid(tt, 3)
    place_order({tt: 2})  # not paid: not a sale
    later = SessionFactory(event=tt.session.event, starts_at=timezone.now() + timedelta(days=30))
    TicketTypeFactory(session=later, quantity=50)
    SessionFactory(event=tt.session.event, starts_at=timezone.now() - timedelta(days=1))  # past
    url = reverse("organizers:dashboard", args=[organizer.slug])
    # today's money and tickets come from the organizer's row of the day: one query
    with django_assert_max_num_queries(12):
        response = client.get(url)
    today = response.context["panels"][0][1]["today"]
    assert (today.revenue.orders, today.tickets, today.revenue.gross) == (1, 3, Decimal("15000"))
    upcoming = response.context["panels"][1][1]["upcoming"]
    assert [(row.session, row.sold, row.capacity) for row in upcoming] == [
        (tt.session, 3, 10),
        (later, 0, 50),
    ]
    html = response.content.decode()
    assert "продано 3 из 10" in html


def test_the_overview_lists_what_waits_for_the_organizer(client, organizer, tt):
    client.force_login(_member(organizer, OWNER))
    EventFactory(organizer=organizer, status="draft")
    SessionFactory(event=tt.session.event, starts_at=timezone.now() + timedelta(days=2))
    order = _paid(tt, 1)
    EmailDelivery.objects.create(
        order=order, kind="confirmation", to="x@example.kz", language="ru", status="failed"
    )
    RefundRequest.objects.create(order=order, amount=Decimal("5000"))
    response = client.get(reverse("organizers:dashboard", args=[organizer.slug]))
    attention = response.context["attention"]
    assert len(attention) == 4, [str(item.message) for item in attention]
    # the failed e-mail and the refund request come first
    assert [item.urgent for item in attention] == [True, True, False, False]
    assert {item.url for item in attention[:2]} == {
        reverse("tickets:cabinet_orders", args=[organizer.slug]),
        reverse("tickets:cabinet_refund_requests", args=[organizer.slug]),
    }


def test_a_checkin_member_sees_no_sales_figures(client, organizer, tt):
    client.force_login(_member(organizer, CHECKIN))
    _paid(tt, 2)
    response = client.get(reverse("organizers:dashboard", args=[organizer.slug]))
    templates = [template for template, _context in response.context["panels"]]
    assert templates == ["tickets/cabinet/_overview_upcoming.html"]
    assert response.context["attention"] == []
