"""Acts issued at the same moment on PostgreSQL: every one gets its own number, 1..N, no gap."""

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import OrganizerFactory
from tests.tickets.company_helpers import company_order, company_ticket_type, pay
from tests.tickets.race import race
from tickets.companies.acts import closing_act_issue
from tickets.models import ClosingAct, ClosingActCounter

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ORDERS = 8


def test_acts_issued_at_once_get_consecutive_numbers():
    assert connection.vendor == "postgresql"
    organizer = OrganizerFactory()
    ticket_type = company_ticket_type(organizer)
    orders = [pay(company_order(ticket_type, quantity=1)) for _ in range(ORDERS)]
    # the same order twice as well: it must still get one act
    targets = [o.pk for o in orders] + [orders[0].pk]

    wins, losses = race(len(targets), lambda n: closing_act_issue(order_id=targets[n]).number)

    assert not losses
    acts = ClosingAct.objects.filter(organizer=organizer)
    assert sorted(acts.values_list("number", flat=True)) == list(range(1, ORDERS + 1))
    assert acts.values("order").distinct().count() == ORDERS
    counter = ClosingActCounter.objects.get(organizer=organizer, year=timezone.localdate().year)
    assert counter.last_number == ORDERS
    assert len(wins) == ORDERS + 1
