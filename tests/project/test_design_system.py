"""One form style, the keyboard hints, the styled error pages, the favicon and account e-mails."""

from decimal import Decimal

import pytest
from django import forms
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from eventum.database_outage import server_error
from organizers.roles import CHECKIN
from privacy.models import PolicyVersion
from tests.factories import MembershipFactory, SessionFactory, TicketTypeFactory, UserFactory
from tests.tickets.helpers import choose

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy():
    return PolicyVersion.objects.create(
        version="2026-1", text="Политика", published_at=timezone.now() - timezone.timedelta(days=1)
    )


@pytest.fixture(autouse=True)
def _russian_by_default():
    """A request in another language must not leave it active for the next test."""
    translation.activate("ru")
    yield
    translation.activate("ru")


def _field_block(html: str, name: str) -> str:
    """The ``<div class="field ...">`` that holds the input called ``name``."""
    blocks = html.split('<div class="field')
    found = [b for b in blocks if f'name="{name}"' in b]
    assert found, f"no field {name}"
    return found[0]


def test_sign_in_renders_through_the_portals_field_template(client):
    html = client.get(reverse("account_login")).content.decode()
    login = _field_block(html, "login")
    assert '<label for="id_login">' in login
    assert 'type="email"' in login and 'inputmode="email"' in login
    assert 'autocomplete="email"' in login
    form = html.split('action="/accounts/login/"')[1].split("</form>")[0]
    assert "<p>" not in form  # not as_p


def test_a_sign_up_error_is_next_to_its_field_and_described_by_it(client, policy):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.kz", "password1": "short", "password2": "short"},
    )
    html = response.content.decode()
    block = _field_block(html, "password1")
    assert 'class="field field-invalid"' in html
    assert 'class="errorlist' in block
    assert 'aria-describedby="id_password1_errors"' in block or (
        'aria-describedby="id_password1_helptext id_password1_errors"' in block
    )
    assert 'aria-invalid="true"' in block


def test_checkout_offers_the_right_keyboards_and_autofill(client, policy):
    session = SessionFactory()
    ticket_type = TicketTypeFactory(session=session, price=Decimal("5000"), quantity=5)
    choose(client, session, {ticket_type: 1})
    html = client.get(reverse("tickets:checkout")).content.decode()
    phone = _field_block(html, "phone")
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone and 'autocomplete="tel"' in phone
    assert 'inputmode="email"' in _field_block(html, "email")
    assert 'autocomplete="family-name"' in _field_block(html, "surname")
    assert 'autocomplete="given-name"' in _field_block(html, "name")


def test_a_one_time_code_opens_the_digit_keyboard():
    class CodeForm(forms.Form):
        code = forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))
        name = forms.CharField()  # a "name" without "surname" is not a person's given name

    html = str(CodeForm().as_div())
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html
    assert "given-name" not in html


def test_the_blocking_form_is_pre_filled_for_a_signed_in_buyer(client):
    user = UserFactory(email="aigerim@example.kz", first_name="Айгерим", last_name="Ахметова")
    client.force_login(user)
    html = client.get(reverse("privacy:blocking_request")).content.decode()
    assert 'name="requester_email" value="aigerim@example.kz"' in html
    assert 'name="subject_email" value="aigerim@example.kz"' in html
    assert 'name="requester_name" value="Айгерим Ахметова"' in html
    assert '<option value="subject" selected>' in html
    access = client.get(reverse("privacy:access_request")).content.decode()
    assert 'name="subject_email" value="aigerim@example.kz"' in access


def test_the_blocking_form_is_empty_for_a_visitor(client):
    html = client.get(reverse("privacy:blocking_request")).content.decode()
    assert 'name="requester_email" value=' not in html


@pytest.mark.parametrize(
    ("prefix", "title"), [("", "Страница не найдена"), ("/kk", "Бет табылмады"), ("/en", "Page")]
)
def test_an_unknown_address_gets_the_styled_404_page(client, prefix, title):
    response = client.get(prefix + "/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="error-page"' in html and title in html
    assert "css/tokens.css" in html and 'id="cookie-banner"' in html  # the portal's own layout


def test_a_role_without_access_gets_the_styled_403_page_with_the_reason(client):
    membership = MembershipFactory(role=CHECKIN)
    client.force_login(membership.user)
    response = client.get(reverse("organizers:team", args=[membership.organizer.slug]))
    html = response.content.decode()
    assert response.status_code == 403
    assert 'class="error-page"' in html
    assert "Ваша роль в команде не даёт доступа к этой странице" in html


def test_a_server_error_gets_the_styled_500_page_without_the_request_context():
    request = RequestFactory().get("/")
    with translation.override("kk"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert 'class="error-page"' in html and "Біз жақта бір нәрсе дұрыс болмады" in html


def test_the_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_account_e_mails_name_the_site(client, policy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "new@example.kz",
                "password1": "a-long-pass-31x",
                "password2": "a-long-pass-31x",
            },
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Вас приветствует eventum!" in body
    assert "Вас приветствует !" not in body
