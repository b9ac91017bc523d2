"""The consent text of Art. 8(4) of the law on personal data: shown on the checkout, the widget
and the sign-up page, built from the form and its recipients, and stored word for word with
its language and channel in the consent ledger."""

import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from privacy.models import ConsentRecord, Operator
from privacy.services import operator_save
from privacy.services.consent_notice import country_name
from tests.factories import TicketTypeFactory
from tests.tickets.factories import QuestionFactory
from tests.tickets.helpers import buyer_data, choose
from tickets.models import Order, Question
from tickets.payments.cloudpayments import CloudPaymentsProvider

pytestmark = pytest.mark.django_db

OPERATOR_BIN = "210140001232"
WIDGET_HOST = "https://tickets.partner.kz"


@pytest.fixture
def operator() -> Operator:
    operator = Operator(bin=OPERATOR_BIN, privacy_email="privacy@eventum.one")
    operator.name_ru = "ТОО «Ивентум Казахстан»"
    operator.name_kk = "«Ивентум Қазақстан» ЖШС"
    operator.name_en = "Eventum Kazakhstan LLP"
    operator.legal_address_ru = "г. Астана, пр. Мангилик Ел, 55"
    operator.legal_address_kk = "Астана қ., Мәңгілік Ел даңғ., 55"
    operator.legal_address_en = "55 Mangilik Yel Ave, Astana"
    operator.postal_address_ru = "010000, г. Астана, а/я 77"
    operator.postal_address_kk = "010000, Астана қ., 77 а/ж"
    operator.postal_address_en = "PO Box 77, Astana 010000"
    operator.responsible_person_ru = "Сейткали Нурлан"
    return operator_save(operator=operator, by=None)


@pytest.fixture
def ticket_type(operator):
    ticket_type = TicketTypeFactory(price=Decimal("0"), quantity=10)
    event = ticket_type.session.event
    event.organizer.legal_name = "ТОО «Концертное агентство Тумар»"
    event.organizer.widget_origins = WIDGET_HOST
    event.organizer.save()
    QuestionFactory(event=event, kind=Question.Kind.TEXT, label="Размер футболки")
    QuestionFactory(event=event, kind=Question.Kind.FILE, label="Студенческий билет")
    return ticket_type


def shown_text(page: str) -> str:
    """The consent text as the page shows it: the paragraphs of the consent box, tags removed."""
    box = re.search(r'data-testid="consent-notice"[^>]*>(.*?)</div>', page, re.S)
    assert box, "the page shows no consent text"
    paragraphs = re.findall(r"<p>(.*?)</p>", box.group(1), re.S)
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in paragraphs)


def _checkout_url(language: str = "ru") -> str:
    with translation.override(language):
        return reverse("tickets:checkout")


def _checkout(client, ticket_type, language="ru"):
    choose(client, ticket_type.session, {ticket_type: 1})
    page = client.get(_checkout_url(language))
    assert page.status_code == 200
    text = page.content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', text).group(1)
    digest = re.search(r'name="consent_digest" value="([^"]+)"', text).group(1)
    return text, key, digest


def test_checkout_names_operator_form_data_recipients_term_and_withdrawal(client, ticket_type):
    page, key, digest = _checkout(client, ticket_type)
    text = shown_text(page)
    for fact in (
        "ТОО «Ивентум Казахстан»",
        OPERATOR_BIN,
        "г. Астана, пр. Мангилик Ел, 55",  # the operator's address
        "ТОО «Концертное агентство Тумар»",  # the organizer by its legal name
        "фамилия, имя, номер телефона, адрес электронной почты",  # the form's own fields
        "«Размер футболки»",  # the event's question
        "«Студенческий билет»",  # the attachment
        "010000, г. Астана, а/я 77",  # where a registered letter goes
        "privacy@eventum.one",
        "http://testserver/privacy/account/",
    ):
        assert fact in text, fact
    assert "Трансграничная передача: нет" in text

    response = client.post(
        _checkout_url(),
        buyer_data(key, consent_digest=digest, **{_field(page, "Размер футболки"): "M"}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    order = Order.objects.get()
    row = ConsentRecord.objects.get(purpose="processing_and_transfer")
    assert row.wording == text  # the exact text the page showed
    assert (row.channel, row.wording_language, row.source) == ("site", "ru", f"order:{order.code}")


def _field(page: str, label: str) -> str:
    return re.search(rf'for="id_(q_\d+)"[^>]*>{label}', page).group(1)


@pytest.mark.parametrize(
    ("language", "expected", "russian"),
    [
        ("kk", "«Ивентум Қазақстан» ЖШС", "Трансграничная"),
        ("kk", "тегі, аты, телефон нөмірі, электрондық пошта мекенжайы", "фамилия"),
        ("en", "Eventum Kazakhstan LLP", "Трансграничная"),
        ("en", "surname, first name, phone number, e-mail address", "фамилия"),
    ],
)
def test_the_text_is_shown_and_stored_in_the_buyers_language(
    client, ticket_type, language, expected, russian
):
    page, key, digest = _checkout(client, ticket_type, language)
    text = shown_text(page)
    assert expected in text and russian not in text
    response = client.post(
        _checkout_url(language),
        buyer_data(key, consent_digest=digest),
    )
    assert response.status_code == 302
    row = ConsentRecord.objects.get(purpose="processing_and_transfer")
    assert (row.wording, row.wording_language) == (text, language)


def test_a_payment_provider_abroad_is_named_with_its_country_as_a_cross_border_transfer(
    client, ticket_type, settings, monkeypatch
):
    settings.TICKETS_PAYMENT_PROVIDERS = ["test", "cloudpayments"]
    settings.CLOUDPAYMENTS_PUBLIC_ID, settings.CLOUDPAYMENTS_API_SECRET = "pk_test", "secret"
    text = shown_text(_checkout(client, ticket_type)[0])
    assert "CloudPayments Kazakhstan — оплата заказа" in text
    assert "Трансграничная передача: нет" in text

    monkeypatch.setattr(CloudPaymentsProvider, "processing_country", "RU")
    text = shown_text(client.get(_checkout_url()).content.decode())
    assert "Трансграничная передача: да" in text
    assert "CloudPayments Kazakhstan (Российская Федерация)" in text
    # the test provider's page is our own: nothing reaches it, so it is no recipient
    assert "eventum (test provider)" not in text


def test_an_answer_to_an_older_text_is_asked_again_and_nothing_is_stored(client, ticket_type):
    page, key, digest = _checkout(client, ticket_type)
    operator = Operator.objects.get()
    operator.postal_address_ru = "050000, г. Алматы, а/я 5"
    operator_save(operator=operator, by=None)
    response = client.post(_checkout_url(), buyer_data(key, consent_digest=digest))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Условия согласия изменились" in page
    assert "050000, г. Алматы, а/я 5" in shown_text(page)
    assert not Order.objects.exists() and not ConsentRecord.objects.exists()


def _w(url: str) -> str:
    return parse_qs(urlsplit(url).query)["w"][0]


def test_a_widget_purchase_is_recorded_as_channel_widget_with_the_text_it_showed(ticket_type):
    start = Client().get(
        reverse("widget:start"),
        {"event": ticket_type.session.event.slug, "origin": WIDGET_HOST, "lang": "kk"},
    )
    event_url = start["Location"]
    chosen = Client().post(
        event_url,
        {"w": _w(event_url), "session": ticket_type.session_id, f"qty_{ticket_type.pk}": 1},
    )
    checkout_url = chosen["Location"]
    page = Client().get(checkout_url).content.decode()
    text = shown_text(page)
    assert "«Ивентум Қазақстан» ЖШС" in text
    assert "http://testserver/kk/privacy/" in text  # links work from the organizer's site
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    digest = re.search(r'name="consent_digest" value="([^"]+)"', page).group(1)
    response = Client().post(
        urlsplit(checkout_url).path,
        {
            "w": _w(checkout_url),
            "surname": "Иванова",
            "name": "Айгерим",
            "phone": "+7 701 123 45 67",
            "email": "aigerim@example.kz",
            "consent_processing": "on",
            "idempotency_key": key,
            "consent_digest": digest,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = ConsentRecord.objects.get(purpose="processing_and_transfer")
    assert (row.channel, row.wording_language, row.wording) == ("widget", "kk", text)


def test_sign_up_shows_and_stores_the_text_of_its_own_form(client, operator):
    page = client.get(reverse("account_signup")).content.decode()
    text = shown_text(page)
    assert OPERATOR_BIN in text and "адрес электронной почты" in text
    assert "не передаются третьим лицам" in text
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.kz",
            "password1": "a-long-signup-pass-31",
            "password2": "a-long-signup-pass-31",
        },
    )
    assert response.status_code == 302
    row = ConsentRecord.objects.get(purpose="processing_and_transfer")
    assert (row.wording, row.channel, row.wording_language) == (text, "site", "ru")


def test_the_builder_says_the_channel_and_language_it_was_built_for(ticket_type):
    from tickets.checkout_consent import checkout_consent_notice
    from tickets.forms import CheckoutForm

    event = ticket_type.session.event
    questions = list(event.questions.all())
    with translation.override("en"):
        notice = checkout_consent_notice(
            event=event, form=CheckoutForm(questions=questions), questions=questions, channel="api"
        )
    assert (notice.channel, notice.language) == ("api", "en")
    assert "the attached file “Студенческий билет”" in notice.text


@pytest.mark.parametrize(
    ("language", "name"),
    [("ru", "Российская Федерация"), ("kk", "Ресей Федерациясы"), ("en", "Russian Federation")],
)
def test_a_recipients_country_is_named_in_the_language_active_when_the_notice_is_built(
    language, name
):
    with translation.override(language):
        assert country_name("ru") == name
    assert country_name("xx") == "XX"  # not listed: its ISO code


def _built(**changes) -> str:
    from privacy.services.consent_notice import (
        ConsentNoticeInput,
        ConsentRecipient,
        consent_notice_build,
    )

    notice = {
        "data": ["фамилия", "телефон"],
        "purposes": ["продажа билетов"],
        "recipients": [ConsentRecipient(name="ТОО «Тумар»", role="организатор")],
        "channel": "site",
    }
    site_url = changes.pop("site_url", "")
    notice.update(changes)
    return consent_notice_build(notice=ConsentNoticeInput(**notice), site_url=site_url).text


def test_a_text_built_again_from_the_same_parts_is_the_same_and_any_change_builds_anew(
    operator, settings
):
    from privacy.models import PolicyVersion
    from privacy.services.consent_notice import ConsentRecipient, _paragraphs
    from privacy.services.policy import policy_publish

    _paragraphs.cache_clear()
    text = _built()
    assert _built() == text and _paragraphs.cache_info().hits == 1
    _paragraphs.cache_clear()
    assert _built() == text  # as a text built anew
    changed = {
        "data": _built(data=["фамилия", "e-mail"]),
        "purposes": _built(purposes=["возврат денег"]),
        "recipients": _built(
            recipients=[ConsentRecipient(name="ТОО «Тумар»", role="организатор", country="RU")]
        ),
        "special": _built(special_data=["ответ на «Диагноз»"]),
        "site": _built(site_url="https://eventum.one"),
    }
    assert "e-mail" in changed["data"] and "возврат денег" in changed["purposes"]
    assert "Трансграничная передача: да" in changed["recipients"]
    assert "ответ на «Диагноз»" in changed["special"]
    assert "https://eventum.one/" in changed["site"]
    with translation.override("kk"):
        kazakh = _built()
    settings.RETENTION_ORDERS_YEARS = 7
    longer = _built()
    settings.RETENTION_ORDERS_YEARS = 5
    operator.name_ru = "ТОО «Новый оператор»"
    operator_save(operator=operator, by=None)
    renamed = _built()
    policy_publish(policy=PolicyVersion.objects.create(version="2027-1", text="Новая редакция"))
    newer = _built()
    assert "ТОО «Новый оператор»" in renamed and "ТОО «Новый оператор»" not in text
    assert "заказы и платежи — 7 лет" in longer and "заказы и платежи — 5 лет" in text
    assert "2027-1" in newer and "2027-1" not in renamed
    assert len({text, kazakh, longer, renamed, newer, *changed.values()}) == 10
