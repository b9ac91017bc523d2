"""The subject access export: every register that holds something about the buyer, and only
that buyer."""

import json

import pytest
from django.urls import reverse

from privacy.services.access import subject_data_collect
from tests.privacy.access_world import make_buyer, sections_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def aigerim(staff_user):
    return make_buyer(n=1, email="aigerim@example.kz", name="Айгерим", staff=staff_user)


@pytest.fixture
def bolat(staff_user):
    return make_buyer(n=2, email="bolat@example.kz", name="Болат", staff=staff_user)


@pytest.fixture
def export(aigerim, bolat) -> dict:
    return subject_data_collect(user=aigerim.user)


def test_orders_carry_payments_ticket_emails_and_check_ins(export, aigerim):
    (order,) = sections_of(export)["orders"]
    assert order["order"] == aigerim.order.code
    assert order["email"] == "aigerim@example.kz" and order["ip_address"] == aigerim.ip
    (payment,) = order["payments"]
    assert payment["provider"] == "test" and payment["amount"] == "5000.00"
    assert payment["transaction"] == aigerim.transaction_id and payment["completed_at"]
    assert [email["to"] for email in order["emails"]] == ["aigerim@example.kz"]
    assert order["emails"][0]["kind"] == "Подтверждение заказа"
    (ticket,) = order["tickets"]
    assert ticket["check_in"]["scanner"] == "Вход 1" and ticket["check_in"]["checked_in_at"]


def test_messages_received_from_organizers(export, aigerim):
    (message,) = sections_of(export)["messages"]
    assert message["subject"] == aigerim.message_subject
    assert message["text"] == "Новая дата концерта 1."
    assert message["to"] == "aigerim@example.kz" and message["sent_at"]


def test_consents_and_cookie_choices_are_separate_sections(export, aigerim):
    sections = sections_of(export)
    assert {row["wording"] for row in sections["consents"]} == {"Хочу новости 1", "Согласен"}
    (cookie,) = sections["cookie_choices"]
    assert cookie["browser"] == aigerim.browser_id and cookie["wording"] == "Аналитика — да"


def test_ip_rows_tied_to_the_orders_and_the_account(export, aigerim):
    sections = sections_of(export)
    events = sections["ip_events"]
    assert {event["order"] for event in events} == {aigerim.order.code}
    assert {(event["ip"], event["kind"]) for event in events} == {
        ("10.0.0.1", "Заказ создан"),
        ("10.0.0.1", "Оплата прошла"),
        (aigerim.ip, "Оплата не прошла"),
    }
    assert [row["ip"] for row in sections["ip_log"]["rows"]] == [aigerim.log_ip]
    assert [row["path"] for row in sections["ip_log"]["rows"]] == [aigerim.log_path]
    daily = {(row["day"], row["ip"]): row["requests"] for row in sections["ip_daily"]["rows"]}
    assert daily == {("2026-05-01", "203.0.111.0"): 11, ("2026-06-01", "198.51.101.0"): 21}
    assert sections["ip_daily"]["total"] == 2


def test_disclosures_about_the_subject(export, aigerim):
    (disclosure,) = sections_of(export)["disclosures"]
    assert disclosure["recipient"] == aigerim.recipient
    assert disclosure["fields"] == ["name", "email"]


def test_purposes_and_retention_follow_the_settings(export, settings):
    purposes = sections_of(export)["purposes"]
    assert len(purposes) == 5
    assert all(row["purpose"] and row["retention"] for row in purposes)
    ip_statistics = purposes[1]
    assert f"{settings.IP_LOG_RETENTION_DAYS} дн" in ip_statistics["retention"]
    settings.IP_LOG_RETENTION_DAYS = 30
    assert (
        "30 дн"
        in sections_of(subject_data_collect(email="x@example.kz"))["purposes"][1]["retention"]
    )


def test_nothing_of_another_buyer(export, aigerim, bolat):
    text = json.dumps(export, ensure_ascii=False)
    for value in aigerim.values():
        assert value in text, value
    for value in bolat.values():
        assert value not in text, value


def test_the_buyers_own_download_is_complete(client, aigerim, bolat):
    client.force_login(aigerim.user)
    response = client.get(reverse("privacy:account_data", args=["json"]))
    data = json.loads(response.content)
    keys = [section["key"] for section in data["sections"]]
    for key in (
        "profile",
        "consents",
        "cookie_choices",
        "blocking",
        "disclosures",
        "ip_log",
        "ip_events",
        "ip_daily",
        "orders",
        "messages",
        "purposes",
    ):
        assert key in keys
    text = response.content.decode()
    assert aigerim.order.code in text and bolat.order.code not in text


def test_readable_page_names_the_tickets_keys(client, aigerim):
    client.force_login(aigerim.user)
    html = client.get(reverse("privacy:account_data", args=["html"])).content.decode()
    for label in ("Платежи", "Письма с билетами", "Проход", "Сообщения организаторов"):
        assert label in html, label
    assert "Сколько хранится" in html
    assert ">payments<" not in html and ">check_in<" not in html
