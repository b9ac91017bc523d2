import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.tickets.reports_data import ROLES, build_sales, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales():
    return build_sales()


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_payout_csv_per_event_after_refunds_and_fee(client, sales, django_assert_max_num_queries):
    client.force_login(member(sales.organizer, ROLES.ACCOUNTANT))
    url = reverse("tickets:cabinet_payout", args=[sales.organizer.slug])
    with django_assert_max_num_queries(10):
        response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows, total = _csv(response)
    assert header[0] == "Событие" and len(header) == 7
    by_title = {row[0]: row[1:] for row in rows}
    assert by_title[sales.event.title] == [
        "5",
        "30000.00",
        "8000.00",
        "22000.00",
        "1100.00",
        "20900.00",
    ]
    assert by_title[sales.other_event.title] == [
        "1",
        "2000.00",
        "0.00",
        "2000.00",
        "100.00",
        "1900.00",
    ]
    assert total[1:] == ["6", "32000.00", "8000.00", "24000.00", "1200.00", "22800.00"]
    assert sales.orders["stranger"].event.title not in by_title


def test_payout_page_shows_the_same_figures(client, sales, settings):
    settings.PORTAL_FEE_PERCENT = Decimal("10")
    client.force_login(member(sales.organizer, ROLES.OWNER))
    response = client.get(reverse("tickets:cabinet_payout", args=[sales.organizer.slug]))
    assert response.context["total"].payout == Decimal("21600.00")
    html = response.content.decode()
    assert "21\u00a0600\u00a0₸" in html and "10%" in html


def test_managers_and_strangers_get_no_payout_report(client, sales):
    url = reverse("tickets:cabinet_payout", args=[sales.organizer.slug])
    client.force_login(member(sales.organizer, ROLES.MANAGER))
    assert client.get(url, {"format": "csv"}).status_code == 403
    client.force_login(member(sales.orders["stranger"].event.organizer, ROLES.OWNER))
    assert client.get(url, {"format": "csv"}).status_code == 404
