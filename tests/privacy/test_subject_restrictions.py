"""Blocking and withdrawal take effect on the paths a buyer and staff use, not only in helpers."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.urls import reverse

from privacy.models import (
    BlockingRequest,
    ConsentRecord,
    ConsentWithdrawal,
    Disclosure,
    WithdrawalAnswer,
)
from privacy.services import (
    Subject,
    blocking_request_create,
    consent_record,
    subjects_guard,
    withdrawal_answer_record,
)
from tests.factories import PASSWORD, MembershipFactory, TicketTypeFactory, UserFactory
from tests.tickets.flows import place_order

pytestmark = pytest.mark.django_db


def subject_is_restricted(*, email: str = "", phone: str = "", user=None) -> bool:
    """Is this one subject restricted now, as every list and page asks (``subjects_guard``)?"""
    user_id = user.pk if user is not None else None
    guard = subjects_guard([Subject(email=email, phone=phone, user_id=user_id)])
    return guard.is_restricted(email=email, phone=phone, user_id=user_id)


def _received(**subject) -> BlockingRequest:
    return blocking_request_create(
        request=BlockingRequest(
            requester_kind=BlockingRequest.RequesterKind.SUBJECT,
            requester_name="Айгерим",
            grounds=BlockingRequest.Grounds.UNLAWFUL,
            **subject,
        )
    )


def test_a_request_by_order_code_only_blocks_that_orders_buyer():
    order = place_order(email="coded@example.kz")
    request = _received(subject_order_code=order.code.lower())
    assert request.subject_email == "coded@example.kz" and request.status == "received"
    assert subject_is_restricted(email="coded@example.kz")
    assert subject_is_restricted(phone=order.phone)


def test_a_request_naming_an_accounts_email_follows_the_account(client):
    user = UserFactory(email="moving@example.kz")
    request = _received(subject_email="Moving@Example.kz")
    assert request.subject_user == user
    user.email = "new-address@example.kz"  # even if the address changed some other way
    user.save()
    assert subject_is_restricted(user=user)


def test_a_blocked_account_cannot_add_or_switch_email_addresses(client):
    user = UserFactory(email="edit@example.kz")
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    _received(subject_email=user.email)
    client.force_login(user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "other@example.kz"}, follow=True
    )
    assert "заблокированы" in response.content.decode()
    assert not EmailAddress.objects.filter(email="other@example.kz").exists()
    assert client.get(reverse("account_email")).status_code == 200  # the page itself opens


def test_a_blocked_email_cannot_sign_up():
    _received(subject_email="signup@example.kz")
    from django.test import Client

    response = Client().post(
        reverse("account_signup"),
        {"email": "signup@example.kz", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "заблокированы" in response.content.decode()
    assert not UserFactory._meta.model.objects.filter(email="signup@example.kz").exists()


def test_withdrawal_in_the_account_masks_the_buyer_and_staff_answer_it(client, admin_user):
    buyer = UserFactory(email="withdraw@example.kz")
    tt = TicketTypeFactory()
    order = place_order({tt: 1}, email=buyer.email, user=buyer)
    manager = MembershipFactory(organizer=tt.session.event.organizer).user
    cabinet = reverse("tickets:cabinet_order", args=[tt.session.event.organizer.slug, order.code])
    team = client.__class__()
    team.force_login(manager)
    assert "withdraw@example.kz" in team.get(cabinet).content.decode()

    client.force_login(buyer)
    refused = client.post(reverse("privacy:account_withdraw"), follow=True)
    assert not ConsentWithdrawal.objects.exists() and refused.status_code == 200
    client.post(reverse("privacy:account_withdraw"), {"confirm": "yes"})
    withdrawal = ConsentWithdrawal.objects.get()
    assert withdrawal.channel == "site" and withdrawal.subject_user == buyer
    assert subject_is_restricted(user=buyer)
    html = team.get(cabinet).content.decode()
    assert "withdraw@example.kz" not in html and 'data-testid="data-blocked-mark"' in html
    page = client.get(reverse("privacy:account")).content.decode()
    assert "Наш ответ готовится" in page or 'data-testid="withdrawal"' in page

    withdrawal_answer_record(
        withdrawal=withdrawal,
        continued_processing="Храним данные об оплате заказа",
        legal_ground="Закон о бухгалтерском учёте, ст. 7",
        by=admin_user,
    )
    page = client.get(reverse("privacy:account")).content.decode()
    assert "Закон о бухгалтерском учёте, ст. 7" in page
    assert WithdrawalAnswer.objects.get().answered_by == admin_user
    # a new checkout asks for consent again and ends the withdrawal's effect
    place_order({tt: 1}, email=buyer.email, user=buyer)
    assert not subject_is_restricted(user=buyer)


def test_staff_answer_a_withdrawal_in_the_admin(admin_client, admin_user):
    buyer = UserFactory(email="letter@example.kz")
    from privacy.services import processing_consent_withdraw

    withdrawal = processing_consent_withdraw(user=buyer)
    url = reverse("admin:privacy_consentwithdrawal_change", args=[withdrawal.pk])
    response = admin_client.post(
        url,
        {
            "answers-TOTAL_FORMS": "1",
            "answers-INITIAL_FORMS": "0",
            "answers-MIN_NUM_FORMS": "0",
            "answers-MAX_NUM_FORMS": "1000",
            "answers-0-continued_processing": "Ничего",
            "answers-0-legal_ground": "—",
            "answers-0-withdrawal": str(withdrawal.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    answer = WithdrawalAnswer.objects.get()
    assert answer.withdrawal == withdrawal and answer.answered_by == admin_user


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def mfa_on(settings):
    settings.STAFF_MFA_REQUIRED = True


def test_staff_without_a_second_factor_are_ordinary_users_outside_the_admin(client, mfa_on):
    order = place_order(email="somebody@example.kz")
    staff = UserFactory(is_staff=True, is_superuser=True)
    urls = [
        reverse("tickets:order_detail", args=[order.code]),
        reverse("privacy:private_file", args=["privacy/blocking/x.pdf"]),
    ]
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert [client.get(url).status_code for url in urls] == [404, 404]  # no authenticator yet

    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    assert client.get(urls[0]).status_code == 404  # this session never passed the code
    client.logout()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    page = client.get(urls[0])
    assert page.status_code == 200 and "somebody@example.kz" in page.content.decode()
    assert Disclosure.objects.filter(channel="staff").exists()  # staff access is recorded

    # Lost phone: another superuser deletes the authenticator (README). The old session and
    # any new password-only one are ordinary again until a new authenticator is set up.
    Authenticator.objects.filter(user=staff).delete()
    assert client.get(urls[0]).status_code == 404
    client.logout()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert client.get(urls[0]).status_code == 404
    assert client.get("/admin/").url == reverse("mfa_activate_totp")


def test_promotional_letters_ask_again_right_before_sending(django_capture_on_commit_callbacks):
    from privacy.services import consent_record
    from tickets.models import AttendeeMessage, MessageDelivery
    from tickets.reports.services.messages import message_deliver_batch, message_send

    tt = TicketTypeFactory()
    orders = [place_order({tt: 1}, email=f"fan{n}@example.kz") for n in range(2)]
    for order in orders:
        order.status = "paid"
        order.save(update_fields=["status"])
        consent_record(
            purpose="marketing", action="given", wording="Да", channel="site", email=order.email
        )
    event = tt.session.event
    with django_capture_on_commit_callbacks():  # queued, not yet sent
        message = message_send(
            organizer=event.organizer,
            event=event,
            session=None,
            kind=AttendeeMessage.Kind.PROMOTIONAL,
            subject="Скидка",
            body="Текст",
            user=None,
        )
    assert set(message.deliveries.values_list("status", flat=True)) == {"queued"}
    _received(subject_email="fan1@example.kz")  # arrives between queueing and sending
    mail.outbox.clear()
    message_deliver_batch(message_id=message.pk)
    assert [m.to for m in mail.outbox] == [["fan0@example.kz"]]
    skipped = MessageDelivery.objects.get(email="fan1@example.kz")
    assert skipped.status == MessageDelivery.Status.SKIPPED_BLOCKED


def test_the_admin_shows_that_a_provisional_block_is_in_force(admin_client, admin_user):
    from privacy.services import blocking_block, blocking_reject

    received = _received(subject_email="shown@example.kz")
    other = _received(subject_email="other@example.kz")
    blocking_block(request=other, by=admin_user)
    url = reverse("admin:privacy_blockingrequest_changelist")
    html = admin_client.get(url).content.decode()
    assert "Да, временно (до рассмотрения)" in html
    blocking_reject(request=received, by=admin_user, reason="Не подтверждена личность")
    html = admin_client.get(url).content.decode()
    assert "Да, временно (до рассмотрения)" not in html
    assert not subject_is_restricted(email="shown@example.kz")


def test_staff_shortcuts_show_a_blocked_buyer_masked_and_record_the_access(client):
    import io

    from pypdf import PdfReader

    from tests.tickets.delivery_helpers import paid_order

    order = paid_order(quantity=1, email="staffview@example.kz")
    _received(subject_email="staffview@example.kz")
    client.force_login(UserFactory(is_staff=True))  # the suite's staff pass the second factor
    page = client.get(reverse("tickets:order_detail", args=[order.code])).content.decode()
    assert "staffview@example.kz" not in page and 'data-testid="data-blocked-mark"' in page
    pdf = client.get(reverse("tickets:order_tickets_pdf", args=[order.code]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert order.surname not in text and order.code in text.replace(" ", "")
    # masked views hand over no personal data, so they write no disclosure rows
    assert not Disclosure.objects.filter(channel="staff").exists()


def _flash(response) -> str:
    html = response.content.decode()
    return html[html.find('<ul class="messages"') :].split("</ul>")[0]


def test_the_team_resends_tickets_to_the_buyer_without_seeing_the_address(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from tickets.delivery import services as delivery

    monkeypatch.setattr(delivery, "RESEND_PAUSE_SECONDS", 0)
    from organizers.models import Membership
    from tests.tickets.delivery_helpers import paid_order, staff_of

    order = paid_order(quantity=1, email="resend@example.kz")
    organizer = order.event.organizer
    client.force_login(staff_of(organizer, role=Membership.Role.MANAGER))
    mail.outbox.clear()
    url = reverse("tickets:cabinet_order_resend", args=[organizer.slug, order.code])
    with django_capture_on_commit_callbacks(execute=True):
        flash = _flash(client.post(url, follow=True))
    assert "эл. почту покупателя" in flash and "resend@example.kz" not in flash
    assert [m.to for m in mail.outbox] == [["resend@example.kz"]]
    _received(subject_email="resend@example.kz")  # blocked: the letter still goes to the buyer
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, follow=True).content.decode()
    assert "resend@example.kz" not in page  # masked everywhere on the page now
    assert mail.outbox[-1].to == ["resend@example.kz"]


def test_the_guard_over_many_subjects_finds_each_kind_of_restriction_in_every_statement(
    django_assert_max_num_queries,
):
    """A guard over an export's worth of buyers asks blocking requests and withdrawals together,
    a statement per few hundred identifiers of each kind (SQLite takes fewer a statement than
    PostgreSQL): a restriction is found whichever statement its subject falls in."""
    subjects = [Subject(email=f"buyer{n}@example.kz", phone=f"+7701{n:07d}") for n in range(1_200)]
    user = UserFactory(email="account@example.kz")
    subjects.append(Subject(email="someone@example.kz", user_id=user.pk))
    _received(subject_email="BUYER7@example.kz")  # the first statement
    _received(subject_phone="+77010000900")  # a later one, by phone
    _received(subject_user=user)  # the last, by account
    consent_record(
        purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER,
        action=ConsentRecord.Action.WITHDRAWN,
        wording="Отзываю согласие",
        channel=ConsentRecord.Channel.SITE,
        email="buyer1100@example.kz",
    )
    # the statements, then the withdrawn subject's history: a handful, not one per subject
    with django_assert_max_num_queries(10):
        guard = subjects_guard(subjects)
    restricted = [
        s for s in subjects if guard.is_restricted(email=s.email, phone=s.phone, user_id=s.user_id)
    ]
    assert [s.email for s in restricted] == [
        "buyer7@example.kz",
        "buyer900@example.kz",
        "buyer1100@example.kz",
        "someone@example.kz",
    ]
    assert guard.is_blocked(email="buyer7@example.kz")
    assert not guard.is_blocked(email="buyer1100@example.kz")
    assert guard.has_withdrawn(email="buyer1100@example.kz")
