"""The embedded widget through the test client: framing headers, a cookie-free flow, tokens."""

import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from organizers.origins import origin_allowed, origin_normalise, origins_parse
from tests.factories import EventFactory, TicketTypeFactory
from tickets.models import Cart, Order, Payment
from tickets.widget.tokens import SALT, WidgetState, widget_state_load

pytestmark = pytest.mark.django_db

HOST = "https://tickets.partner.kz"


def fresh() -> Client:
    """A new client for every request: nothing a cookie could carry survives between steps."""
    return Client()


def _frame_ancestors(response) -> str:
    """The frame-ancestors directive of the response's (strict, portal-wide) policy."""
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy  # the rest of the strict policy is kept
    return next(d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors"))


def _no_cookies(response) -> None:
    assert not response.cookies, f"the widget set cookies: {list(response.cookies)}"


def _event(price=Decimal("5000"), origins=HOST, **kwargs):
    ticket_type = TicketTypeFactory(price=price, quantity=10, **kwargs)
    organizer = ticket_type.session.event.organizer
    organizer.widget_origins = origins
    organizer.save()
    return ticket_type


def _start(ticket_type, origin=HOST, lang="ru"):
    query = {"event": ticket_type.session.event.slug, "origin": origin, "lang": lang}
    return fresh().get(reverse("widget:start"), query)


def _w(url: str) -> str:
    return parse_qs(urlsplit(url).query)["w"][0]


def _buy(ticket_type, quantity=2, **buyer):
    """Start, choose, check out: each step a fresh client; returns the order page response."""
    response = _start(ticket_type)
    assert response.status_code == 302, response.content
    _no_cookies(response)
    event_url = response["Location"]
    page = fresh().get(event_url)
    assert page.status_code == 200
    _no_cookies(page)
    token = _w(event_url)
    response = fresh().post(
        event_url,
        {"w": token, "session": ticket_type.session_id, f"qty_{ticket_type.pk}": quantity},
    )
    assert response.status_code == 302, response.content
    _no_cookies(response)
    checkout_url = response["Location"]
    page = fresh().get(checkout_url)
    assert page.status_code == 200
    _no_cookies(page)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "w": _w(checkout_url),
        "surname": "Иванова",
        "name": "Айгерим",
        "phone": "+7 701 123 45 67",
        "email": "aigerim@example.kz",
        "consent_processing": "on",
        "idempotency_key": key,
        **buyer,
    }
    response = fresh().post(reverse("widget:checkout"), data)
    _no_cookies(response)
    return response, data


def test_origins_are_validated_and_normalised():
    assert origins_parse("https://Tickets.Example.kz/\n\nhttp://127.0.0.1:8080\n") == [
        "https://tickets.example.kz",
        "http://127.0.0.1:8080",
    ]
    assert origin_normalise("https://example.kz:443") == "https://example.kz"
    for bad in ("example.kz", "https://example.kz/path", "*", "ftp://example.kz", "https://*"):
        with pytest.raises(ValidationError):
            origin_normalise(bad)
    assert origin_allowed("https://a.example.kz", ["https://*.example.kz"])
    assert not origin_allowed("https://example.kz.evil.com", ["https://*.example.kz"])
    assert not origin_allowed("http://a.example.kz", ["https://*.example.kz"])


def test_free_purchase_without_any_cookie_and_framing_for_the_organizer_only():
    ticket_type = _event(price=Decimal("0"), origins=f"{HOST}\nhttps://*.partner.kz")
    response, _data = _buy(ticket_type)
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.items.count() == 2
    assert order.user is None
    assert order.language == "ru"
    page = fresh().get(response["Location"])
    _no_cookies(page)
    html = page.content.decode()
    assert f'data-order-completed="{order.code}"' in html
    assert f'data-widget-origin="{HOST}"' in html
    assert order.secret in html  # the link to the full order page
    assert _frame_ancestors(page) == f"frame-ancestors 'self' {HOST} https://*.partner.kz"
    assert "X-Frame-Options" not in page
    assert page["Referrer-Policy"] == "no-referrer"


def test_paid_purchase_with_the_test_provider_inside_the_widget():
    ticket_type = _event(price=Decimal("5000"))
    response, _data = _buy(ticket_type)
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING and order.total == Decimal("10000")
    order_url = response["Location"]
    page = fresh().get(order_url)
    assert "data-order-completed" not in page.content.decode()
    pay_url = reverse("widget:order_pay", args=[order.code])
    response = fresh().post(pay_url, {"w": _w(order_url), "s": order.secret, "provider": "test"})
    assert response.status_code == 302
    payment_url = response["Location"]
    assert "/widget/pay/test/" in payment_url
    page = fresh().get(payment_url)
    assert page.status_code == 200 and "X-Frame-Options" not in page
    response = fresh().post(
        payment_url, {"w": _w(payment_url), "s": order.secret, "decision": "approve"}
    )
    _no_cookies(response)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get(order=order).status == Payment.Status.SUCCEEDED
    page = fresh().get(response["Location"])
    assert f'data-order-completed="{order.code}"' in page.content.decode()


def test_a_second_submit_of_the_same_form_finds_the_same_order():
    ticket_type = _event(price=Decimal("0"))
    first, data = _buy(ticket_type)
    again = fresh().post(reverse("widget:checkout"), data)
    assert again.status_code == 302
    # The same order page; only the signed token's timestamp may have moved on.
    assert urlsplit(again["Location"]).path == urlsplit(first["Location"]).path
    assert Order.objects.count() == 1


def test_checkout_without_consent_shows_the_error_and_the_policy_link():
    from privacy.services import policy_current

    ticket_type = _event(price=Decimal("0"))
    response, _data = _buy(ticket_type, consent_processing="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Без этого согласия" in html
    assert 'href="http://testserver/privacy/"' in html
    assert policy_current().version in html
    assert "tickets/_checkout_form.html" in [t.name for t in response.templates]
    assert 'name="csrfmiddlewaretoken"' not in html  # no cookies, no CSRF: the signed state
    assert not Order.objects.exists()


def test_the_widget_speaks_the_language_it_is_asked_for():
    ticket_type = _event()
    response = _start(ticket_type, lang="kk")
    assert response["Location"].startswith("/kk/widget/events/")
    page = fresh().get(response["Location"])
    assert 'lang="kk"' in page.content.decode()
    assert widget_state_load(_w(response["Location"])).language == "kk"
    english = _start(ticket_type, lang="en")
    assert english["Location"].startswith("/en/widget/")
    assert "Choose these tickets" in fresh().get(english["Location"]).content.decode()


def test_an_unregistered_origin_is_refused_with_a_reason():
    ticket_type = _event()
    response = _start(ticket_type, origin="https://evil.example.com")
    assert response.status_code == 403
    assert "не зарегистрирован" in response.content.decode()
    assert _frame_ancestors(response) == f"frame-ancestors 'self' {HOST}"
    assert not Cart.objects.exists()


def test_a_tampered_or_foreign_token_is_refused():
    ticket_type = _event()
    url = _start(ticket_type)["Location"]
    token = _w(url)
    response = fresh().get(url.split("?")[0], {"w": token[:-2] + "xx"})
    assert response.status_code == 400
    assert "X-Frame-Options" not in response
    # A token signed for another origin than the organizer registers.
    state = widget_state_load(token)
    forged = signing.dumps(
        {"c": state.cart_token, "o": state.organizer_id, "r": "https://evil.kz", "l": "ru"},
        salt=SALT,
        compress=True,
    )
    response = fresh().get(url.split("?")[0], {"w": forged})
    assert response.status_code == 403
    # Another organizer's event with this organizer's token.
    other = _event()
    response = fresh().get(reverse("widget:event", args=[other.session.event.slug]), {"w": token})
    assert response.status_code == 404


def test_a_post_without_the_signed_token_does_nothing():
    ticket_type = _event()
    url = reverse("widget:event", args=[ticket_type.session.event.slug])
    response = fresh().post(url, {"session": ticket_type.session_id, f"qty_{ticket_type.pk}": 1})
    assert response.status_code == 400
    assert "Срок действия этого окна истёк" in response.content.decode()
    assert not Cart.objects.exists()
    ticket_type.refresh_from_db()
    assert ticket_type.quantity_available == 10


def test_removing_an_origin_stops_its_open_widgets():
    ticket_type = _event()
    url = _start(ticket_type)["Location"]
    organizer = ticket_type.session.event.organizer
    organizer.widget_origins = "https://other.kz"
    organizer.save()
    response = fresh().get(url)
    assert response.status_code == 403
    assert _frame_ancestors(response) == "frame-ancestors 'self' https://other.kz"


def test_the_order_page_needs_the_order_secret():
    ticket_type = _event(price=Decimal("0"))
    response, _data = _buy(ticket_type)
    order = Order.objects.get()
    w = _w(response["Location"])
    assert fresh().get(reverse("widget:order", args=[order.code]), {"w": w}).status_code == 404
    wrong = fresh().get(reverse("widget:order", args=[order.code]), {"w": w, "s": "nope"})
    assert wrong.status_code == 404


def test_organizer_list_shows_only_upcoming_published_events():
    ticket_type = _event()
    organizer = ticket_type.session.event.organizer
    draft = EventFactory(organizer=organizer, status="draft", title_ru="Черновик")
    TicketTypeFactory(session__event=draft)
    response = fresh().get(
        reverse("widget:start"), {"organizer": organizer.slug, "origin": HOST, "lang": "ru"}
    )
    page = fresh().get(response["Location"])
    html = page.content.decode()
    assert ticket_type.session.event.title_ru in html
    assert "Черновик" not in html
    assert _frame_ancestors(page) == f"frame-ancestors 'self' {HOST}"


def test_promo_and_giving_tickets_back_in_the_widget():
    from tests.tickets.factories import PromoCodeFactory

    ticket_type = _event()
    event = ticket_type.session.event
    PromoCodeFactory(organizer=event.organizer, event=event, code="PARTNER10", value=10)
    url = _start(ticket_type)["Location"]
    w = _w(url)
    fresh().post(url, {"w": w, "session": ticket_type.session_id, f"qty_{ticket_type.pk}": 1})
    response = fresh().post(reverse("widget:cart_action"), {"w": w, "code": "partner10"})
    page = fresh().get(response["Location"])
    assert "4\u00a0500" in page.content.decode()
    assert Cart.objects.get().promo_code.code == "PARTNER10"
    bad = fresh().get(
        fresh().post(reverse("widget:cart_action"), {"w": w, "code": "NOPE"})["Location"]
    )
    assert "Такого промокода нет" in bad.content.decode()
    fresh().post(reverse("widget:cart_action"), {"w": w, "action": "empty"})
    ticket_type.refresh_from_db()
    assert ticket_type.quantity_available == 10


def test_a_bad_quantity_is_a_form_error():
    ticket_type = _event()
    url = _start(ticket_type)["Location"]
    response = fresh().post(
        url, {"w": _w(url), "session": ticket_type.session_id, f"qty_{ticket_type.pk}": "two"}
    )
    assert response.status_code == 400
    assert "целым числом" in response.content.decode()


def test_portal_pages_still_refuse_framing():
    ticket_type = _event()
    page = Client().get(ticket_type.session.event.get_absolute_url())
    assert page.status_code == 200
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    checkout = Client().get(reverse("tickets:checkout"))
    assert checkout["X-Frame-Options"] == "DENY"


def test_the_embed_script_is_small_cacheable_and_dependency_free():
    response = Client().get(reverse("widget:embed_js"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "max-age=86400" in response["Cache-Control"]
    body = b"".join(response) if response.streaming else response.content
    assert len(body) < 15 * 1024
    script = body.decode()
    assert "import " not in script and "require(" not in script
    assert (
        "attachShadow" in script and "postMessage" not in script.replace("addEventListener", "")[:0]
    )
    source = Path(__file__).resolve().parents[2] / "tickets" / "static" / "tickets" / "embed.js"
    assert source.stat().st_size < 15 * 1024


def test_widget_state_round_trip():
    state = WidgetState(cart_token="abc", organizer_id=7, origin=HOST, language="en")
    assert widget_state_load(state.dumps()) == state


def _member(role="owner"):
    from tests.factories import MembershipFactory

    ticket_type = _event(origins="")
    membership = MembershipFactory(organizer=ticket_type.session.event.organizer, role=role)
    client = Client()
    client.force_login(membership.user)
    return client, membership.organizer, ticket_type.session.event


def test_owner_registers_sites_and_copies_the_snippet_for_one_event():
    client, organizer, event = _member("owner")
    url = reverse("tickets:cabinet_embed", args=[organizer.slug])
    bad = client.post(url, {"widget_origins": "https://ok.kz\nhttps://bad.kz/path"})
    assert bad.status_code == 400
    assert "https://bad.kz/path" in bad.content.decode()
    organizer.refresh_from_db()
    assert organizer.widget_origins == ""
    response = client.post(
        url, {"widget_origins": "https://Tickets.Partner.kz/\nhttp://127.0.0.1:8081"}
    )
    assert response.status_code == 302
    organizer.refresh_from_db()
    assert organizer.widget_origin_list == [HOST, "http://127.0.0.1:8081"]
    page = client.get(url, {"event": event.slug, "lang": "kk"})
    snippet = page.context["snippet"]
    assert '<script src="http://testserver/widget/embed.js" async></script>' in snippet
    assert f'<div data-eventum-event="{event.slug}" data-lang="kk"></div>' in snippet
    every = client.get(url).context["snippet"]
    assert f'data-eventum-organizer="{organizer.slug}"' in every


def test_a_manager_sees_the_snippet_but_cannot_change_the_sites():
    client, organizer, _unused = _member("manager")
    url = reverse("tickets:cabinet_embed", args=[organizer.slug])
    assert client.get(url).status_code == 200
    assert client.post(url, {"widget_origins": "https://evil.kz"}).status_code == 403
    organizer.refresh_from_db()
    assert organizer.widget_origins == ""
    checkin, other, _e = _member("checkin")
    assert checkin.get(reverse("tickets:cabinet_embed", args=[other.slug])).status_code == 403


def test_an_organisation_buys_inside_the_widget():
    ticket_type = _event(session__event__allow_company_purchases=True)
    response, _data = _buy(
        ticket_type,
        as_company="on",
        company_name="ТОО «Алтын Дала»",
        company_bin="190340012348",
        company_address="г. Астана",
        holder_names="Болат Нурланов",
    )
    assert response.status_code == 302, response.content
    order = Order.objects.get()
    assert order.company.bin_iin == "190340012348"
    assert order.items.order_by("id").first().holder_name == "Болат Нурланов"
    page = fresh().get(response["Location"]).content.decode()
    assert "ТОО «Алтын Дала»" in page
