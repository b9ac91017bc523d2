"""The operator of personal data is public: edited by staff, shown on the policy page, in the
footer and in e-mails, with the postal address a registered letter goes to."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from privacy.models import Operator, SubjectAccessRequest, bin_is_valid
from privacy.services import operator_current, operator_save
from privacy.services.access_confirmation import subject_access_request_submit

pytestmark = pytest.mark.django_db

VALID_BIN = "210140001232"


def _operator_form(**changes) -> dict:
    data = {
        "name_ru": "ТОО «Ивентум Казахстан»",
        "name_kk": "«Ивентум Қазақстан» ЖШС",
        "name_en": "Eventum Kazakhstan LLP",
        "bin": VALID_BIN,
        "legal_address_ru": "г. Астана, пр. Мангилик Ел, 55",
        "postal_address_ru": "010000, г. Астана, а/я 77",
        "postal_address_kk": "010000, Астана қ., 77 а/ж",
        "postal_address_en": "PO Box 77, Astana 010000",
        "privacy_email": "privacy@eventum.one",
        "responsible_person_ru": "Сейткали Нурлан, DPO",
    }
    data.update(changes)
    return data


def _saved_operator() -> Operator:
    operator = Operator(bin=VALID_BIN, privacy_email="privacy@eventum.one")
    operator.name_ru = "ТОО «Ивентум Казахстан»"
    operator.name_kk = "«Ивентум Қазақстан» ЖШС"
    operator.name_en = "Eventum Kazakhstan LLP"
    operator.legal_address_ru = "г. Астана, пр. Мангилик Ел, 55"
    operator.postal_address_ru = "010000, г. Астана, а/я 77"
    operator.postal_address_en = "PO Box 77, Astana 010000"
    operator.responsible_person_ru = "Сейткали Нурлан, DPO"
    return operator_save(operator=operator, by=None)


def test_before_staff_save_it_the_operator_comes_from_settings(settings):
    settings.OPERATOR_NAME = "ТОО «Из настроек»"
    settings.OPERATOR_POSTAL_ADDRESS = "050000, Алматы, а/я 1"
    operator = operator_current()
    assert operator.pk is None
    assert operator.name == "ТОО «Из настроек»"
    assert operator.postal_address == "050000, Алматы, а/я 1"
    assert operator.privacy_email == "info@eventum.one"


def test_staff_edit_the_operator_in_the_admin_and_every_page_shows_it_at_once(admin_client, client):
    client.get("/")  # the default is cached now: saving must replace it everywhere
    response = admin_client.post(reverse("admin:privacy_operator_add"), _operator_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    operator = Operator.objects.get()
    assert operator.bin == VALID_BIN and operator.updated_by is not None
    footer = client.get("/").content.decode()
    assert "ТОО «Ивентум Казахстан»" in footer
    assert VALID_BIN in footer and "010000, г. Астана, а/я 77" in footer
    assert 'href="mailto:privacy@eventum.one"' in footer
    english = client.get("/en/").content.decode()
    assert "Eventum Kazakhstan LLP" in english and "PO Box 77, Astana 010000" in english


def test_there_is_one_operator_record_and_a_second_one_cannot_be_added(admin_client):
    listing = admin_client.get(reverse("admin:privacy_operator_changelist")).content.decode()
    assert reverse("admin:privacy_operator_add") in listing
    operator = _saved_operator()
    listing = admin_client.get(reverse("admin:privacy_operator_changelist")).content.decode()
    assert reverse("admin:privacy_operator_change", args=[operator.pk]) in listing
    assert reverse("admin:privacy_operator_add") not in listing
    assert admin_client.get(reverse("admin:privacy_operator_add")).status_code == 403
    delete_url = reverse("admin:privacy_operator_delete", args=[operator.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert Operator.objects.count() == 1
    with pytest.raises(IntegrityError):
        Operator.objects.create(singleton=1, name="Второй", bin=VALID_BIN)


def test_saving_again_changes_the_one_record(admin_client):
    operator = _saved_operator()
    response = admin_client.post(
        reverse("admin:privacy_operator_change", args=[operator.pk]),
        _operator_form(privacy_email="dpo@eventum.one"),
    )
    assert response.status_code == 302
    assert Operator.objects.get().privacy_email == "dpo@eventum.one"
    assert operator_current().privacy_email == "dpo@eventum.one"


def test_a_bin_with_a_wrong_check_digit_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:privacy_operator_add"), _operator_form(bin="210140001233")
    )
    assert response.status_code == 200
    assert "check for a typo" in response.content.decode() or "опечат" in (
        response.content.decode()
    )
    assert not Operator.objects.exists()
    assert bin_is_valid(VALID_BIN)
    assert not bin_is_valid("21014000123") and not bin_is_valid("x" * 12)


def test_the_policy_page_names_the_operator_and_where_to_send_the_registered_letter(client):
    _saved_operator()
    html = client.get(reverse("privacy:policy")).content.decode()
    facts = html.split('data-testid="operator-facts"')[1].split("</dl>")[0]
    for value in (
        "ТОО «Ивентум Казахстан»",
        VALID_BIN,
        "г. Астана, пр. Мангилик Ел, 55",
        "010000, г. Астана, а/я 77",
        "privacy@eventum.one",
        "Сейткали Нурлан, DPO",
    ):
        assert value in facts
    withdraw = html.split('id="withdraw"')[1].split("</section>")[0]
    assert "заказным письмом с уведомлением о вручении" in withdraw.lower()
    assert "ТОО «Ивентум Казахстан», 010000, г. Астана, а/я 77" in withdraw
    assert reverse("privacy:account") in withdraw


def test_the_english_policy_page_gives_the_english_postal_address(client):
    _saved_operator()
    html = client.get("/en/privacy/").content.decode()
    withdraw = html.split('id="withdraw"')[1].split("</section>")[0]
    assert "registered letter with acknowledgement of delivery" in withdraw
    assert "Eventum Kazakhstan LLP, PO Box 77, Astana 010000" in withdraw


def test_buyer_e_mails_end_with_the_operator_and_its_privacy_address(
    mailoutbox, django_capture_on_commit_callbacks
):
    _saved_operator()
    with translation.override("kk"), django_capture_on_commit_callbacks(execute=True):
        subject_access_request_submit(
            request=SubjectAccessRequest(
                requester_name="Айгерим", subject_email="aigerim@example.kz"
            )
        )
    body = mailoutbox[-1].body
    assert "«Ивентум Қазақстан» ЖШС" in body
    assert "privacy@eventum.one" in body and VALID_BIN in body


def test_the_sign_up_confirmation_e_mail_names_the_operator(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _saved_operator()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.kz",
                "password1": "a-long-signup-pass-31",
                "password2": "a-long-signup-pass-31",
            },
        )
    assert response.status_code == 302
    assert mailoutbox, "no confirmation e-mail was sent"
    body = mailoutbox[-1].body
    assert "ТОО «Ивентум Казахстан»" in body and "privacy@eventum.one" in body


def test_the_tickets_e_mail_names_the_operator_in_the_buyers_language():
    from tests.tickets.delivery_helpers import paid_order
    from tickets.delivery.emails import email_tickets_message

    _saved_operator()
    order = paid_order()
    order.language = "en"
    message = email_tickets_message(order, to=order.email, pdf=None)
    html = message.alternatives[0][0]
    assert "Eventum Kazakhstan LLP" in message.body and "privacy@eventum.one" in message.body
    assert "Eventum Kazakhstan LLP" in html and 'href="mailto:privacy@eventum.one"' in html
