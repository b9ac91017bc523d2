"""Russian and Kazakh pages carry no English labels or internal notes: buyers' pages, the
cabinet's event, promo-code and order pages, order history notes and the admin's MFA table."""

import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event
from tests.factories import MembershipFactory, SessionFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.models import OrderLog
from tickets.order_notes import order_note_display

pytestmark = pytest.mark.django_db

# Labels and notes that were once shown in English on Russian or Kazakh pages.
ENGLISH = [
    "Event",
    "Ticket type",
    "Ticket",
    "Venue",
    "Sessions",
    "Published",
    "Draft",
    "Free",
    "Sold out",
    "Authenticators",
    "partial refund",
    "checkout",
    "free order",
    "payment time is over",
    "test",
]


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def english_in(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return [label for label in ENGLISH if re.search(rf"(?<![\w@.-]){label}(?![\w@.-])", text)]


@pytest.fixture
def world(client):
    membership = MembershipFactory(role="owner")
    organizer = membership.organizer
    session = SessionFactory(
        event__organizer=organizer,
        event__status=Event.Status.PUBLISHED,
        starts_at=timezone.now() + timedelta(days=5),
    )
    ticket_type = TicketTypeFactory(session=session, price=Decimal("5000"), quantity=10)
    order = place_order({ticket_type: 2})
    for note in ("partial refund 5000.00: дубль", "test", "payment time is over"):
        OrderLog.objects.create(
            order=order, from_status=order.status, to_status=order.status, note=note
        )
    client.force_login(membership.user)
    return organizer, session.event, order


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_pages_in_russian_and_kazakh_have_no_english_labels(client, world, language):
    organizer, event, order = world
    with translation.override(language):
        urls = [
            reverse("events:home"),
            reverse("events:catalogue"),
            event.get_absolute_url(),
            reverse("events_cabinet:event_create", kwargs={"organizer_slug": organizer.slug}),
            reverse("tickets:cabinet_promo_codes", kwargs={"organizer_slug": organizer.slug}),
            reverse(
                "tickets:cabinet_order",
                kwargs={"organizer_slug": organizer.slug, "code": order.code},
            ),
        ]
    assert order.log.filter(note="checkout").exists()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_in(response.content.decode()) == [], url


def test_the_check_catches_an_english_label():
    assert "Ticket type" in english_in("<p>Ticket type: <b>VIP</b></p>")
    assert english_in('<a href="/checkout/">Оформить</a><p>x@test.kz</p>') == []


@pytest.mark.parametrize(
    ("note", "ru", "kk"),
    [
        ("checkout", "оформлен покупателем", "сатып алушы рәсімдеді"),
        ("test", "тестовая оплата", None),
        (
            "partial refund 12500.00: дубль",
            "частичный возврат 12\u00a0500\u00a0₸: дубль",
            "ішінара қайтару 12\u00a0500\u00a0₸: дубль",
        ),
        ("отменил организатор", "отменил организатор", "отменил организатор"),
    ],
)
def test_order_history_notes_are_translated(note, ru, kk):
    with translation.override("ru"):
        assert order_note_display(note) == ru
    with translation.override("kk"):
        shown = order_note_display(note)
        assert english_in(f"<p>{shown}</p>") == []
        if kk is not None:
            assert shown == kk


def test_the_admin_names_authenticators_in_every_language():
    assert Authenticator in admin.site._registry
    for language, plural in (("ru", "аутентификаторы"), ("kk", "аутентификаторлар")):
        with translation.override(language):
            assert str(Authenticator._meta.verbose_name_plural) == plural
            headers = [
                str(getattr(admin.site._registry[Authenticator], name).short_description)
                for name in admin.site._registry[Authenticator].list_display
            ]
            assert english_in("<p>" + " ".join(headers) + "</p>") == []
            assert not {"user", "type", "created_at"} & set(headers)


def test_event_statuses_agree_with_the_noun():
    with translation.override("ru"):
        assert str(Event.Status.PUBLISHED.label) == "Опубликовано"
    with translation.override("kk"):
        assert str(Event.Status.PUBLISHED.label) == "Жарияланды"


def test_kazakh_months_are_lower_case_after_the_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import dateformat

    moment = datetime(2026, 12, 18, 19, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    with translation.override("kk"):
        assert dateformat.format(moment, "j E Y") == "18 желтоқсан 2026"
