"""A request from the site form: nothing about the subject before the e-mailed link is opened;
the link works once, for 24 hours; then the requester gets the export and staff see the
confirmation."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from eventum.models import OutboxMessage
from privacy.models import SubjectAccessRequest
from privacy.services.access_confirmation import access_token_hash
from tests.privacy.access_world import make_buyer, sections_of

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/\S*/access-request/confirm/([\w-]+)/)")


@pytest.fixture
def aigerim(staff_user):
    return make_buyer(n=1, email="aigerim@example.kz", name="Айгерим", staff=staff_user)


@pytest.fixture
def bolat(staff_user):
    return make_buyer(n=2, email="bolat@example.kz", name="Болат", staff=staff_user)


def ask(client, email: str, **extra) -> object:
    return client.post(
        reverse("privacy:access_request"),
        {
            "requester_name": "Айгерим",
            "requester_email": email,
            "subject_email": email,
            "request_text": "Какие данные обо мне хранятся?",
            **extra,
        },
    )


def link_from(mailoutbox, address: str) -> tuple[str, str]:
    """The confirmation link's path and token from the only letter to ``address``."""
    (letter,) = [m for m in mailoutbox if m.to == [address]]
    found = LINK.search(letter.body)
    assert found, letter.body
    return found.group(1), found.group(2)


@pytest.fixture
def asked(client, aigerim, bolat, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "aigerim@example.kz")
    path, token = link_from(mailoutbox, "aigerim@example.kz")
    return response, path, token


def test_nothing_about_the_subject_before_the_link_is_opened(asked, aigerim, mailoutbox):
    response, _path, _token = asked
    page = response.content.decode()
    (letter,) = mailoutbox
    stored = json.dumps(list(OutboxMessage.objects.values_list("args", flat=True)))
    for text in (page, letter.subject, letter.body, stored):
        for value in aigerim.values()[1:]:  # the e-mail itself is what the requester typed
            assert value not in text, value
    assert "Проверьте почту" in page
    request = SubjectAccessRequest.objects.get()
    assert request.status == "unconfirmed" and request.verified_at is None
    assert not request.is_open  # not in the staff's queue of requests to answer yet


def test_the_link_goes_to_the_subjects_email_and_its_token_is_stored_hashed(asked):
    _response, _path, token = asked
    request = SubjectAccessRequest.objects.get()
    assert request.confirmation_email == "aigerim@example.kz"
    assert request.confirmation_token_hash == access_token_hash(token)
    assert token not in json.dumps(list(SubjectAccessRequest.objects.values()), default=str)


def test_unknown_email_gets_the_same_answer(
    client, asked, mailoutbox, django_capture_on_commit_callbacks
):
    known, _path, _token = asked
    with django_capture_on_commit_callbacks(execute=True):
        unknown = ask(client, "nobody@example.kz")
    numbers = SubjectAccessRequest.objects.order_by("pk").values_list("pk", flat=True)

    def page(response, number) -> str:
        html = response.content.decode().replace(f"номером {number}", "")
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)

    assert known.status_code == unknown.status_code == 200
    assert page(known, numbers[0]) == page(unknown, numbers[1])
    assert [m.to for m in mailoutbox] == [["aigerim@example.kz"], ["nobody@example.kz"]]


def test_opening_the_link_shows_a_button_and_changes_nothing(client, asked, aigerim):
    _response, path, _token = asked
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Подтвердить и показать мои данные" in html
    assert aigerim.order.code not in html
    request = SubjectAccessRequest.objects.get()
    assert request.verified_at is None and request.status == "unconfirmed"


def test_confirming_hands_over_the_export_once(client, asked, aigerim, bolat):
    _response, path, _token = asked
    response = client.post(path, {"format": "json"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    sections = sections_of(data)
    assert sections["profile"]["email"] == "aigerim@example.kz"
    assert [order["order"] for order in sections["orders"]] == [aigerim.order.code]
    text = response.content.decode()
    for value in aigerim.values():
        assert value in text, value
    for value in bolat.values():
        assert value not in text, value

    request = SubjectAccessRequest.objects.get()
    assert request.verified_at is not None
    assert request.status == "answered" and request.answered_at >= request.verified_at
    assert "JSON" in request.answer_text

    again = client.post(path, {"format": "json"})
    assert again.status_code == 410
    assert "уже использована" in again.content.decode()
    assert aigerim.order.code not in again.content.decode()
    assert client.get(path).status_code == 410


def test_readable_page_after_confirming(client, asked, aigerim):
    _response, path, _token = asked
    html = client.post(path, {"format": "html"}).content.decode()
    assert aigerim.order.code in html and "Платежи" in html


def test_an_expired_link_is_refused(client, asked, aigerim):
    _response, path, _token = asked
    SubjectAccessRequest.objects.update(
        confirmation_sent_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    for response in (client.get(path), client.post(path, {"format": "json"})):
        assert response.status_code == 410
        html = response.content.decode()
        assert "Срок действия ссылки истёк" in html and "24" in html
        assert aigerim.order.code not in html
    assert SubjectAccessRequest.objects.get().verified_at is None


def test_a_made_up_or_damaged_token_is_refused(client, asked):
    _response, _path, token = asked
    for bad in (token[:-1], "x" * 43, "x" * 200):
        response = client.post(reverse("privacy:access_confirm", args=[bad]), {"format": "html"})
        assert response.status_code == 404
        assert "недействительна" in response.content.decode()
    assert SubjectAccessRequest.objects.get().verified_at is None


def test_an_unknown_format_is_refused_before_the_link_is_spent(client, asked):
    _response, path, _token = asked
    response = client.post(path, {"format": "xml"})
    assert response.status_code == 400
    assert SubjectAccessRequest.objects.get().verified_at is None


def test_a_phone_typed_in_the_form_does_not_widen_the_export(
    client, aigerim, bolat, mailoutbox, django_capture_on_commit_callbacks
):
    """Only the address that was proven counts: Bolat's phone does not bring his orders."""
    from tickets.models import Order

    Order.objects.filter(pk=bolat.order.pk).update(phone="+77019998877")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "aigerim@example.kz", subject_phone="+77019998877")
    path, _token = link_from(mailoutbox, "aigerim@example.kz")
    text = client.post(path, {"format": "json"}).content.decode()
    assert aigerim.order.code in text and bolat.order.code not in text


def test_staff_export_waits_for_the_confirmation(admin_client, asked, aigerim):
    _response, _path, _token = asked
    request = SubjectAccessRequest.objects.get()
    changelist = reverse("admin:privacy_subjectaccessrequest_changelist")
    action = {"action": "export_subject_data", "_selected_action": [request.pk]}
    refused = admin_client.post(changelist, action, follow=True)
    assert refused["Content-Type"].startswith("text/html")
    assert "не подтвердил e-mail" in refused.content.decode()
    assert aigerim.order.code not in refused.content.decode()

    SubjectAccessRequest.objects.filter(pk=request.pk).update(
        verified_at=timezone.now(), status="received"
    )
    export = admin_client.post(changelist, action)
    assert export["Content-Type"].startswith("application/json")
    assert aigerim.order.code in export.content.decode()


def test_staff_see_when_the_email_was_confirmed(admin_client, client, asked):
    _response, path, _token = asked
    client.post(path, {"format": "html"})
    request = SubjectAccessRequest.objects.get()
    page = admin_client.get(
        reverse("admin:privacy_subjectaccessrequest_change", args=[request.pk])
    ).content.decode()
    assert "e-mail подтверждён" in page.lower() and "aigerim@example.kz" in page
    confirmed = timezone.localtime(request.verified_at)
    assert f"{confirmed.hour}:{confirmed.minute:02d}" in page  # the admin writes 0:10, not 00:10
    listing = admin_client.get(reverse("admin:privacy_subjectaccessrequest_changelist"))
    assert "e-mail подтверждён" in listing.content.decode().lower()


def test_the_signed_in_buyer_needs_no_link(client, aigerim, mailoutbox):
    client.force_login(aigerim.user)
    response = client.get(reverse("privacy:account_data", args=["json"]))
    assert aigerim.order.code in response.content.decode()
    assert mailoutbox == []


def test_unconfirmed_requests_do_not_nag_staff(client, asked):
    from privacy.services.reminders import privacy_reminders_collect

    _response, path, _token = asked
    assert privacy_reminders_collect().access_open == []
    client.get(path)  # only opening the page: still unconfirmed
    assert privacy_reminders_collect().access_open == []
