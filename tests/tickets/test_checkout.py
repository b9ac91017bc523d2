import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.models import TicketType
from privacy.models import ConsentRecord, IpEvent
from privacy.services import consent_record, policy_current
from privacy.services.ledger import chain_verify
from tests.factories import MembershipFactory, SessionFactory, TicketTypeFactory, UserFactory
from tests.tickets.factories import QuestionFactory, new_token
from tests.tickets.helpers import PNG, buyer_data, choose, idempotency_key
from tickets.models import Answer, Order, OrderLog, Question, Reservation
from tickets.services.cart import cart_set_quantities
from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(policy):
    session = SessionFactory()
    return session


@pytest.fixture
def stalls(session):
    return TicketTypeFactory(session=session, name_ru="Партер", price=Decimal("12500"), quantity=5)


@pytest.fixture
def balcony(session):
    return TicketTypeFactory(session=session, name_ru="Балкон", price=Decimal("7000"), quantity=5)


def _taken(tt) -> int:
    return TicketType.objects.get(pk=tt.pk).quantity_taken


def test_choice_form_posts_to_cart_and_checkout_shows_the_hold(client, session, stalls, balcony):
    response = choose(client, session, {stalls: 2, balcony: 1})
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:checkout")
    page = client.get(reverse("tickets:checkout"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "32\u00a0000\u00a0₸" in html  # 2 × 12 500 + 7 000
    assert 'data-seconds-left="' in html
    seconds = int(html.split('data-seconds-left="')[1].split('"')[0])
    assert 14 * 60 < seconds <= 15 * 60
    assert reverse("privacy:policy") in html
    assert (_taken(stalls), _taken(balcony)) == (2, 1)


def test_portal_and_widget_share_one_checkout_form_naming_the_policy_version(
    client, session, stalls
):
    """One template (``tickets/_checkout_form.html``): the portal shows the policy version in
    force as the widget does, and keeps its CSRF token where the widget sends its state."""
    choose(client, session, {stalls: 1})
    page = client.get(reverse("tickets:checkout"))
    assert "tickets/_checkout_form.html" in [t.name for t in page.templates]
    html = page.content.decode()
    version = policy_current().version
    assert f'href="{reverse("privacy:policy")}"' in html
    assert f"версия {version}" in html
    assert 'name="csrfmiddlewaretoken"' in html.split('class="checkout-form"')[1]
    assert 'name="w"' not in html


def test_the_checkout_form_is_a_file_upload_only_when_it_asks_for_a_file(client, session, stalls):
    """A browser sends a form without a file as plain fields (cheaper to read than a
    multipart body); an event asking for an attachment gets the multipart form."""

    def form_tag() -> str:
        html = client.get(reverse("tickets:checkout")).content.decode()
        tags = [t.split(">")[0] for t in html.split("<form")[1:]]
        return next(t for t in tags if 'class="checkout-form"' in t)

    choose(client, session, {stalls: 1})
    assert "enctype" not in form_tag()
    QuestionFactory(event=session.event, kind=Question.Kind.FILE, label="Справка")
    assert 'enctype="multipart/form-data"' in form_tag()


def test_checkout_creates_a_pending_order_with_tickets_answers_and_consent(
    client, session, stalls, balcony, settings
):
    event = session.event
    text_q = QuestionFactory(event=event, kind=Question.Kind.TEXT, label="Компания", required=True)
    number_q = QuestionFactory(event=event, kind=Question.Kind.NUMBER, label="Возраст")
    choice_q = QuestionFactory(
        event=event, kind=Question.Kind.CHOICE, label="Размер", choices="S\nM\nL"
    )
    yes_q = QuestionFactory(event=event, kind=Question.Kind.YES_NO, label="Парковка")
    date_q = QuestionFactory(event=event, kind=Question.Kind.DATE, label="Дата рождения")
    file_q = QuestionFactory(event=event, kind=Question.Kind.FILE, label="Справка", required=True)
    choose(client, session, {stalls: 2, balcony: 1})
    key = idempotency_key(client)
    data = buyer_data(key, postal_address="Алматы, ул. Абая 1")
    data.update(
        {
            f"q_{text_q.pk}": "ТОО Ромашка",
            f"q_{number_q.pk}": "27",
            f"q_{choice_q.pk}": "M",
            f"q_{yes_q.pk}": "yes",
            f"q_{date_q.pk}": "1999-03-08",
            f"q_{file_q.pk}": SimpleUploadedFile("scan.pdf", PNG, content_type="application/pdf"),
        }
    )
    response = client.post(reverse("tickets:checkout"), data)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert order.status == Order.Status.PENDING
    assert order.phone == "+77011234567"
    assert order.email == "aigerim@example.kz"
    assert order.total == Decimal("32000.00")
    assert len(order.code) == 8 and len(order.secret) >= 22
    assert order.items.count() == 3
    assert sorted(order.items.values_list("amount", flat=True)) == [
        Decimal("7000.00"),
        Decimal("12500.00"),
        Decimal("12500.00"),
    ]
    answers = {a.question_id: a for a in Answer.objects.filter(order=order)}
    assert answers[text_q.pk].value == "ТОО Ромашка"
    assert answers[number_q.pk].value == "27"
    assert answers[choice_q.pk].value == "M"
    assert answers[yes_q.pk].value == "yes"
    assert answers[date_q.pk].value == "1999-03-08"
    attachment = answers[file_q.pk]
    assert attachment.file_content_type == "image/png"  # sniffed, not what the browser said
    assert attachment.file_name == "scan.pdf"
    stored = settings.PRIVATE_MEDIA_ROOT / attachment.file.name
    assert stored.read_bytes() == PNG
    assert str(settings.MEDIA_ROOT) not in str(stored)
    # holds moved to the order: availability unchanged, nothing live in the cart
    assert (_taken(stalls), _taken(balcony)) == (2, 1)
    assert not Reservation.objects.filter(order__isnull=True, released_at__isnull=True).exists()
    consent = ConsentRecord.objects.get()
    assert consent.purpose == "processing_and_transfer"
    assert consent.action == "given"
    assert consent.source == f"order:{order.code}"
    assert consent.policy_version == policy_current()
    assert consent.email == "aigerim@example.kz" and consent.phone == "+77011234567"
    assert "privacy policy" in consent.wording or "политик" in consent.wording
    assert OrderLog.objects.get(order=order).to_status == "pending"
    page = client.get(response["Location"])
    assert order.code in page.content.decode()
    assert "ТОО Ромашка" in page.content.decode()


def test_marketing_consent_is_recorded_only_when_ticked(client, session, stalls):
    choose(client, session, {stalls: 1})
    client.post(
        reverse("tickets:checkout"), buyer_data(idempotency_key(client), consent_marketing="on")
    )
    assert sorted(ConsentRecord.objects.values_list("purpose", flat=True)) == [
        "marketing",
        "processing_and_transfer",
    ]
    assert Order.objects.get().marketing_consent is True


def test_a_checkouts_consents_extend_the_ledgers_chain_after_the_rows_before(
    client, session, stalls
):
    """The ledger's lock and head are read with the order's tickets; the consents given with
    the order (two here) follow the rows already there, in order, and the chain verifies."""
    consent_record(
        purpose="marketing", action="given", wording="earlier", channel="site", email="a@b.kz"
    )
    head = ConsentRecord.objects.get().chain_hash
    choose(client, session, {stalls: 1})
    client.post(
        reverse("tickets:checkout"), buyer_data(idempotency_key(client), consent_marketing="on")
    )
    rows = list(ConsentRecord.objects.order_by("pk"))
    assert [row.purpose for row in rows] == ["marketing", "processing_and_transfer", "marketing"]
    assert rows[1].chain_previous == head and rows[2].chain_previous == rows[1].chain_hash
    assert chain_verify(ConsentRecord).broken is None


@pytest.mark.django_db(transaction=True)  # outside any transaction: no test's own around it
def test_chained_rows_are_appended_after_a_known_head_only_inside_a_transaction():
    from django.db import transaction

    row = consent_record(
        purpose="marketing", action="given", wording="w", channel="site", save=False
    )
    with pytest.raises(transaction.TransactionManagementError):
        ConsentRecord.objects.append_statements([row], head="")
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("ip_address", ["10.0.0.7", None])
def test_an_orders_consents_are_written_with_or_without_an_ip_event(ip_address):
    """The consents are sent with the order's IP event; with no address to record (an app's
    order without one) they are sent alone — never dropped."""
    ticket_type = TicketTypeFactory(price=Decimal("0"), quantity=5)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={ticket_type.pk: 1})
    order = order_create(
        cart_token=token,
        idempotency_key=new_token(),
        buyer=BuyerDetails(surname="Иванов", name="Иван", phone="+77011234567", email="i@x.kz"),
        consent=ConsentInput(
            processing_wording="Согласен",
            marketing=True,
            marketing_wording="Реклама",
            ip_address=ip_address,
        ),
    )
    rows = list(ConsentRecord.objects.order_by("pk"))
    assert [(row.purpose, row.source) for row in rows] == [
        ("processing_and_transfer", f"order:{order.code}"),
        ("marketing", f"order:{order.code}"),
    ]
    assert chain_verify(ConsentRecord).broken is None
    events = IpEvent.objects.filter(reference=order.code)
    assert events.count() == (1 if ip_address == "10.0.0.7" else 0)


def test_second_submit_with_the_same_key_returns_the_same_order(client, session, stalls):
    choose(client, session, {stalls: 2})
    data = buyer_data(idempotency_key(client))
    first = client.post(reverse("tickets:checkout"), data)
    second = client.post(reverse("tickets:checkout"), data)
    assert Order.objects.count() == 1
    assert first["Location"] == second["Location"] == Order.objects.get().get_absolute_url()
    assert _taken(stalls) == 2


def test_missing_consent_and_bad_phone_get_clear_russian_errors(client, session, stalls):
    choose(client, session, {stalls: 1})
    data = buyer_data(idempotency_key(client), phone="12345")
    del data["consent_processing"]
    response = client.post(reverse("tickets:checkout"), data, HTTP_ACCEPT_LANGUAGE="ru")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Без этого согласия" in html
    assert "Это не похоже на номер телефона" in html
    assert not Order.objects.exists()


def test_errors_are_in_kazakh_on_the_kazakh_site(client, session, stalls):
    choose(client, session, {stalls: 1})
    key = idempotency_key(client)
    data = buyer_data(key, email="not-an-email")
    del data["consent_processing"]
    response = client.post("/kk" + reverse("tickets:checkout"), data)
    assert response.status_code == 400
    assert "келісім" in response.content.decode().lower()
    assert not Order.objects.exists()


def test_disguised_attachment_is_refused(client, session, stalls):
    question = QuestionFactory(event=session.event, kind=Question.Kind.FILE, required=True)
    choose(client, session, {stalls: 1})
    data = buyer_data(idempotency_key(client))
    data[f"q_{question.pk}"] = SimpleUploadedFile(
        "photo.png", b"#!/bin/sh\necho hi\n", content_type="image/png"
    )
    response = client.post(reverse("tickets:checkout"), data)
    assert response.status_code == 400
    assert "PDF, JPEG, PNG" in response.content.decode()
    assert not Order.objects.exists()


def test_oversized_attachment_is_refused(client, session, stalls, settings):
    settings.TICKETS_ATTACHMENT_MAX_BYTES = 50
    question = QuestionFactory(event=session.event, kind=Question.Kind.FILE)
    choose(client, session, {stalls: 1})
    data = buyer_data(idempotency_key(client))
    data[f"q_{question.pk}"] = SimpleUploadedFile("big.png", PNG, content_type="image/png")
    response = client.post(reverse("tickets:checkout"), data)
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_attachment_is_served_only_to_buyer_organizer_and_staff(client, session, stalls):
    question = QuestionFactory(event=session.event, kind=Question.Kind.FILE)
    choose(client, session, {stalls: 1})
    data = buyer_data(idempotency_key(client))
    data[f"q_{question.pk}"] = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
    client.post(reverse("tickets:checkout"), data)
    order = Order.objects.get()
    answer = order.answers.get()
    url = reverse("tickets:attachment_download", args=[order.code, answer.pk])
    # the buyer (secret link)
    response = client.get(url + f"?s={order.secret}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    # a stranger, with or without a guessed secret
    stranger = client.__class__()
    assert stranger.get(url).status_code == 404
    assert stranger.get(url + "?s=guess").status_code == 404
    # someone else's organizer team
    other_member = MembershipFactory().user
    stranger.force_login(other_member)
    assert stranger.get(url).status_code == 404
    # the organizer's team: from its cabinet page, not the buyer's link
    owner = MembershipFactory(organizer=session.event.organizer).user
    team = client.__class__()
    team.force_login(owner)
    assert team.get(url).status_code == 404
    organizer = session.event.organizer
    cabinet_url = reverse(
        "tickets:cabinet_order_attachment", args=[organizer.slug, order.code, answer.pk]
    )
    assert b"".join(team.get(cabinet_url).streaming_content) == PNG
    assert stranger.get(cabinet_url).status_code == 404
    # staff (with a second factor, as every staff privilege)
    staff = client.__class__()
    staff.force_login(UserFactory(is_staff=True))
    assert staff.get(url).status_code == 200


def test_free_order_is_paid_at_once_and_confirmed_by_email(
    client, session, mailoutbox, django_capture_on_commit_callbacks
):
    free = TicketTypeFactory(session=session, price=Decimal("0"), quantity=10)
    choose(client, session, {free: 2})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.total == 0 and order.paid_at is not None
    assert not order.payments.exists()
    assert list(order.log.values_list("from_status", "to_status")) == [
        ("", "pending"),
        ("pending", "paid"),
    ]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["aigerim@example.kz"]
    assert order.code in mailoutbox[0].subject
    assert "Заказ" in mailoutbox[0].subject
    page = client.get(response["Location"])
    assert "Бесплатный, подтверждён" in page.content.decode()  # free: nothing was paid


def test_checkout_after_the_hold_expired_says_so(client, session, stalls):
    choose(client, session, {stalls: 2})
    key = idempotency_key(client)
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(reverse("tickets:checkout"), buyer_data(key), follow=True)
    assert response.redirect_chain[0][0].startswith(session.event.get_absolute_url())
    assert "Время брони истекло" in response.content.decode()
    assert not Order.objects.exists()
    assert _taken(stalls) == 0


def test_an_expired_hold_goes_back_on_sale_with_the_order_of_the_live_ones(
    client, session, stalls, balcony
):
    """The order's transaction releases the cart's expired holds (no transaction of their own
    before it): the order holds the live tickets only, the expired ones are on sale again."""
    choose(client, session, {stalls: 2, balcony: 1})
    key = idempotency_key(client)
    Reservation.objects.filter(ticket_type=stalls).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(reverse("tickets:checkout"), buyer_data(key))
    assert response.status_code == 302
    order = Order.objects.get()
    assert [item.ticket_type_id for item in order.items.all()] == [balcony.pk]
    assert (_taken(stalls), _taken(balcony)) == (0, 1)
    stalls_hold = Reservation.objects.get(ticket_type=stalls)
    assert stalls_hold.released_at is not None and stalls_hold.order_id is None


def test_second_browser_cannot_take_the_last_ticket_the_first_holds(client, session):
    last = TicketTypeFactory(session=session, quantity=1, name_ru="Последний")
    choose(client, session, {last: 1})
    other = client.__class__()
    response = choose(other, session, {last: 1})
    assert response.status_code == 302
    assert response["Location"].startswith(session.event.get_absolute_url())
    followed = other.get(response["Location"])
    assert "распродан" in followed.content.decode()
    assert _taken(last) == 1


def test_guest_order_is_claimed_when_the_same_email_is_verified(client, session, stalls):
    choose(client, session, {stalls: 1})
    client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))
    order = Order.objects.get()
    assert order.user is None
    user = UserFactory(email="aigerim@example.kz")
    address = EmailAddress.objects.get(user=user)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    order.refresh_from_db()
    assert order.user == user
    client.force_login(user)
    listing = client.get(reverse("tickets:my_orders"))
    assert order.code in listing.content.decode()


def test_signed_in_buyer_sees_own_orders_only_with_few_queries(
    client, session, stalls, django_assert_max_num_queries
):
    user = UserFactory()
    client.force_login(user)
    for _n in range(3):
        choose(client, session, {stalls: 1})
        client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))
    stranger = client.__class__()
    choose(stranger, session, {stalls: 1})
    stranger.post(reverse("tickets:checkout"), buyer_data(idempotency_key(stranger)))
    mine = Order.objects.filter(user=user)
    assert mine.count() == 3
    with django_assert_max_num_queries(8):
        page = client.get(reverse("tickets:my_orders"))
    html = page.content.decode()
    for order in mine:
        assert order.code in html
    assert Order.objects.get(user__isnull=True).code not in html
    overview = client.get(reverse("account_overview"))
    assert reverse("tickets:my_orders") in overview.content.decode()


def test_order_page_needs_the_secret_or_the_account(client, session, stalls):
    choose(client, session, {stalls: 1})
    client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))
    order = Order.objects.get()
    stranger = client.__class__()
    assert stranger.get(reverse("tickets:order_detail", args=[order.code])).status_code == 404
    assert stranger.get(order.get_absolute_url()).status_code == 200


def test_signing_in_claims_guest_orders_of_a_verified_address(client, session, stalls):
    choose(client, session, {stalls: 1})
    client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))
    user = UserFactory(email="aigerim@example.kz")
    unverified = UserFactory()
    EmailAddress.objects.create(user=unverified, email="other-guest@example.kz", verified=False)
    Order.objects.create(
        code="GUEST234",
        secret="s" * 32,
        idempotency_key="k" * 32,
        event=session.event,
        surname="X",
        name="Y",
        phone="+77011234567",
        email="other-guest@example.kz",
    )
    login = client.__class__()
    login.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery-42"}
    )
    assert Order.objects.get(email="aigerim@example.kz").user == user
    login.post(
        reverse("account_login"),
        {"login": unverified.email, "password": "correct-horse-battery-42"},
    )
    assert Order.objects.get(code="GUEST234").user is None


def test_nonsense_quantity_gets_a_clear_message(client, session, stalls):
    response = client.post(
        reverse("tickets:cart_update"),
        {"session": session.pk, f"qty_{stalls.pk}": "-2"},
        follow=True,
    )
    assert "целым числом" in response.content.decode()
    assert _taken(stalls) == 0
    assert client.post(reverse("tickets:cart_update"), {"session": "abc"}).status_code == 302


def test_choosing_again_keeps_a_held_type_whose_row_is_disabled(client, session, stalls):
    last = TicketTypeFactory(session=session, quantity=1)
    choose(client, session, {last: 1})
    # the page now shows "last" as sold out (its input is disabled, so it is not posted)
    client.post(reverse("tickets:cart_update"), {"session": session.pk, f"qty_{stalls.pk}": "2"})
    assert (_taken(last), _taken(stalls)) == (1, 2)


def test_event_page_shows_what_the_cart_already_holds(client, session, stalls, balcony):
    choose(client, session, {stalls: 2})
    html = client.get(session.event.get_absolute_url()).content.decode()
    assert f'name="qty_{stalls.pk}" min="0" max="10" value="2"' in html
    assert f'name="qty_{balcony.pk}" min="0" max="10" value="0"' in html


def test_a_new_buyer_reserves_and_checks_out_in_a_bounded_number_of_queries(
    client, session, django_assert_max_num_queries
):
    """The on-sale rush path (see bench/): a regression here costs every buyer of a big sale."""
    free = TicketTypeFactory(session=session, price=Decimal("0"), quantity=100)
    # the session's event and its ticket types (and whether they are sold by seat: the cart
    # does not read them again), the new cart (inserted without looking: its token was made
    # now), the hold, the new session row (inserted without looking either, and without a
    # transaction around its one statement) — 8 on SQLite; on PostgreSQL the session's event
    # and its ticket types go in one round trip: 7
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 8):
        assert choose(client, session, {free: 1}).status_code == 302
    # the cart's event with its organizer (and whether it asks questions: this one does not,
    # so none are read), the key's order, block check, expired holds released (in the order's
    # transaction), order, ticket, log, consent (+ its chain head, and on PostgreSQL its lock),
    # IP log, the outbox's messages in one insert; the organizer's payment methods, the policy
    # in force and the operator (all three then cached) named in the consent text; the
    # organizer's webhooks told of the paid order; whether it sold its session's last ticket
    # (event.sold_out, one statement); the sales summary (its upserts: the tickets just made
    # are counted without reading them again). Counted tickets read nothing about seats (the
    # holds say so). The order is inserted without a savepoint (a taken code writes nothing
    # and another is drawn), the consent row without one, the web session's change is one
    # statement. 30 on SQLite; on PostgreSQL statements that follow one another go in one
    # round trip (the cart's event with the key's order; the cart's lock with the block
    # check; the expired holds' release with the key's order under the cart's lock and the
    # live holds; the holds' hand-over with the tickets, the order's log, the ledger's lock
    # and its chain's head; the consent rows with the IP event and its counts; the order's
    # move with its summary, log and sell-out check): 16
    pg = connection.vendor == "postgresql"
    with django_assert_max_num_queries(16 if pg else 30):
        response = client.post(reverse("tickets:checkout"), buyer_data(uuid.uuid4().hex))
    assert response.status_code == 302
    assert Order.objects.get().status == Order.Status.PAID
    # the next buyer: the payment methods, the policy, the operator and the organizer's active
    # webhooks come from the cache — 26 on SQLite, 12 on PostgreSQL
    client.cookies.clear()
    assert choose(client, session, {free: 1}).status_code == 302
    with django_assert_max_num_queries(12 if pg else 26):
        response = client.post(reverse("tickets:checkout"), buyer_data(uuid.uuid4().hex))
    assert response.status_code == 302
    assert Order.objects.filter(status=Order.Status.PAID).count() == 2


def test_the_checkout_reads_questions_only_of_an_event_that_asks_some(
    client, session, stalls, django_assert_num_queries
):
    from tests.tickets.factories import new_token
    from tickets.selectors import event_for_checkout, event_questions
    from tickets.services.cart import cart_set_quantities

    token = new_token()
    cart_set_quantities(cart_token=token, quantities={stalls.pk: 1})
    event = event_for_checkout(cart_token=token)
    with django_assert_num_queries(0):
        assert event_questions(event=event) == []
    question = QuestionFactory(event=session.event, label="Компания", required=True)
    event = event_for_checkout(cart_token=token)
    assert event_questions(event=event) == [question]
    # a question added after the page was shown is asked on the next submit
    choose(client, session, {stalls: 1})
    response = client.post(reverse("tickets:checkout"), buyer_data(uuid.uuid4().hex))
    assert response.status_code == 400 and not Order.objects.exists()
    response = client.post(
        reverse("tickets:checkout"),
        buyer_data(uuid.uuid4().hex, **{f"q_{question.pk}": "ТОО Ромашка"}),
    )
    assert response.status_code == 302
    assert Answer.objects.get().value == "ТОО Ромашка"


def test_a_key_already_used_returns_its_order_and_leaves_the_new_holds_alone(stalls):
    from tests.tickets.factories import new_token
    from tickets.selectors import order_for_idempotency_key
    from tickets.services.cart import cart_set_quantities
    from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create

    def checkout(token: str, key: str) -> Order:
        return order_create(
            cart_token=token,
            idempotency_key=key,
            buyer=BuyerDetails(surname="Иванов", name="Иван", phone="+77011234567", email="b@e.kz"),
            consent=ConsentInput(processing_wording="Согласен"),
        )

    assert order_for_idempotency_key("never-used") is None
    first_cart, second_cart, key = new_token(), new_token(), new_token()
    cart_set_quantities(cart_token=first_cart, quantities={stalls.pk: 1})
    first = checkout(first_cart, key)
    assert order_for_idempotency_key(key) == first
    cart_set_quantities(cart_token=second_cart, quantities={stalls.pk: 2})
    assert checkout(second_cart, key) == first
    assert Order.objects.count() == 1
    held = Reservation.objects.get(cart__token=second_cart)
    assert (held.quantity, held.order_id, held.released_at) == (2, None, None)
    assert _taken(stalls) == 3


def test_a_refused_choice_goes_back_to_its_sessions_page_and_a_missing_session_home(
    client, session, stalls
):
    url = reverse("tickets:cart_update")
    page = session.get_absolute_url()
    too_many = client.post(url, {"session": session.pk, f"qty_{stalls.pk}": "6"})
    assert too_many.status_code == 302 and too_many["Location"] == page
    nonsense = client.post(url, {"session": session.pk, f"qty_{stalls.pk}": "x"})
    assert nonsense["Location"] == page
    nothing = client.post(url, {"session": session.pk, f"qty_{stalls.pk}": "0"})
    assert nothing["Location"] == page
    gone = client.post(url, {"session": session.pk + 1000, f"qty_{stalls.pk}": "1"})
    assert gone["Location"] == reverse("events:home")
    assert _taken(stalls) == 0


def test_a_quantity_posted_for_another_sessions_ticket_type_is_ignored(client, session, stalls):
    elsewhere = TicketTypeFactory(session=SessionFactory(event=session.event), quantity=5)
    response = client.post(
        reverse("tickets:cart_update"),
        {"session": session.pk, f"qty_{stalls.pk}": "1", f"qty_{elsewhere.pk}": "2"},
    )
    assert response["Location"] == reverse("tickets:checkout")
    assert (_taken(stalls), _taken(elsewhere)) == (1, 0)
