"""The dashboard, an event's dashboard and the payout report make the same number of queries
with 3 events and orders as with 30: their sales come from the summary, not from the orders."""

import re
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.template import base
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import SessionFactory, TicketTypeFactory
from tests.tickets.reports_data import ROLES, member, paid_order
from tickets.models import CheckIn
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


def _sell(organizer, events: int, event=None) -> None:
    """One more event (or ``event``'s session) per round, each with an order, every third
    refunded in part and every other one checked in."""
    for n in range(events):
        session = (
            SessionFactory(event=event) if event else SessionFactory(event__organizer=organizer)
        )
        ticket_type = TicketTypeFactory(session=session, price=Decimal("1000"), quantity=10)
        order = paid_order({ticket_type: 2}, email=f"n{n}@example.kz")
        first, second = order.items.order_by("pk")
        if n % 3 == 0:
            order_refund(order_id=order.pk, actor=Actor(label="organizer"), item_ids=[first.pk])
        if n % 2 == 0:
            CheckIn.objects.create(
                item=second, session=session, checked_in_at=timezone.now(), scanner_label="t"
            )


def _queries(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: the cached state read once
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_dashboards_and_payout_queries_are_the_same_for_3_and_30_events(client):
    first = SessionFactory()
    organizer, event = first.event.organizer, first.event
    client.force_login(member(organizer, ROLES.OWNER))
    slug = organizer.slug
    urls = [
        reverse("tickets:cabinet_dashboard", args=[slug]),
        reverse("tickets:cabinet_event_dashboard", args=[slug, event.slug]),
        reverse("tickets:cabinet_payout", args=[slug]),
    ]
    _sell(organizer, 2)
    _sell(organizer, 1, event=event)
    few = [_queries(client, url) for url in urls]
    _sell(organizer, 18)
    _sell(organizer, 9, event=event)
    many = [_queries(client, url) for url in urls]
    # the session, the user, the organizer with the membership (3), then the dashboard: the
    # revenue with the last day of sales and the tickets (1) and the check-ins (1), a page of
    # events (count and rows) with their money and tickets (1) and check-ins (1), the chart's
    # days (1) and promo codes (1); an event's dashboard reads the event and its sessions'
    # figures (1 + 3) instead of the events; the payout report: the page of events with their
    # money only (3) and the total (1)
    assert many == few == [11, 11, 7]
    page = client.get(urls[2])
    assert len(page.context["rows"]) == 20  # the payout report pages its 21 events
    assert page.context["total"].orders == 30


def test_the_pages_of_events_read_only_their_titles_and_addresses(client):
    """The dashboard and the payout report list twenty events a page: their titles and links,
    not every column of every event (descriptions, covers, settings)."""
    first = SessionFactory()
    organizer = first.event.organizer
    client.force_login(member(organizer, ROLES.OWNER))
    _sell(organizer, 2)
    for name in ("tickets:cabinet_dashboard", "tickets:cabinet_payout"):
        url = reverse(name, args=[organizer.slug])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert first.event.title in response.content.decode()
        events = [q["sql"] for q in captured if 'FROM "events_event"' in q["sql"]]
        assert events and all('"events_event"."description' not in sql for sql in events)
        assert all('"events_event"."cover' not in sql for sql in events)


def _variables_rendered(client, url: str) -> int:
    client.get(url)  # warm: the cabinet's head is written on a page's first request only
    render = base.VariableNode.render
    with mock.patch.object(base.VariableNode, "render", autospec=True, side_effect=render) as seen:
        assert client.get(url).status_code == 200
    return seen.call_count


def test_the_pages_of_events_cost_the_same_template_work_for_3_and_20_events(client):
    """The events' rows are written by a tag, not by a template loop: the template renders as
    many variables for a page of 3 events as for a page of 20."""
    first = SessionFactory()
    organizer = first.event.organizer
    client.force_login(member(organizer, ROLES.OWNER))
    urls = [
        reverse("tickets:cabinet_dashboard", args=[organizer.slug]),
        reverse("tickets:cabinet_payout", args=[organizer.slug]),
    ]
    _sell(organizer, 2)
    few = [_variables_rendered(client, url) for url in urls]
    _sell(organizer, 17)
    many = [_variables_rendered(client, url) for url in urls]
    assert many == few
    html = client.get(urls[0]).content.decode()
    event_links = re.findall(rf'href="/cabinet/{organizer.slug}/events/[^"/]+/dashboard/"', html)
    assert len(event_links) == 20
