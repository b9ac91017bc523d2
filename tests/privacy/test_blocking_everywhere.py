"""A blocked buyer's data reaches the organizer nowhere: every cabinet URL, every file it links.

Signed in as the organizer's owner, the test visits every cabinet route of the URL resolver
(with real object ids, from the access matrix's shared objects), every page or file those pages
link under the cabinet (PDF tickets, attachments, exports, reports), the order search by e-mail,
phone and surname, and the check-in answer — both while the blocking request is only received
(the policy blocks "from the moment the request is made") and after staff block.
"""

import io
import json
import re
import zipfile

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from organizers.roles import OWNER
from privacy.models import BlockingRequest
from privacy.services import blocking_block, blocking_request_create
from tests.security.test_access_matrix import MATRIX, _build
from tickets.checkin.services import scanner_device_create
from tickets.models import Order
from tickets.reports.services import exports as export_service

SURNAME = "Жаксыбекова"
PHONE = "+77019998877"
LINK = re.compile(r'href="(/(?:[a-z]{2}/)?(?:orders/)?cabinet/[^"#]+)"')


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    private_root = tmp_path_factory.mktemp("private")
    media_root = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PRIVATE_MEDIA_ROOT=private_root, MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        w = _build(private_root)
        w.media_root = media_root
        w.email = w.buyer.email
        # The buyer's own identifiers, unlike anything else in the world (the organizer's).
        Order.objects.filter(pk__in=[w.paid.pk, w.pending.pk]).update(surname=SURNAME, phone=PHONE)
        w.paid.refresh_from_db()
        w.pending.refresh_from_db()
        w.scanner_token = scanner_device_create(
            organizer=w.organizer, label="Вход Б", created_by=None
        ).token
        # A stored export written *before* the block: it must not be served as it was.
        spec = export_service.ExportSpec(
            organizer=w.organizer,
            event=w.event,
            session=None,
            columns=list(export_service.DEFAULT_COLUMNS),
            question_ids=[w.question.pk],
            file_format="xlsx",
        )
        export = export_service.attendee_export_request(spec=spec, user=None, language="ru")
        w.stored_export = export_service.attendee_export_run(export_id=export.pk)
        yield w
        transaction.set_rollback(True)


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode() for n in archive.namelist() if ".xml" in n)
    if "json" in kind:
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode("utf-8", errors="replace")


def _leaks(text: str, world) -> list[str]:
    needles = (world.email, PHONE, PHONE[2:], SURNAME)
    text = re.sub(r'value="[^"]*"', "", text)  # what the organizer typed into a form
    return [needle for needle in needles if needle in text]


def _owner(world) -> Client:
    client = Client()
    client.force_login(world.users[OWNER])
    return client


SEARCHES = (PHONE, "8 701 999 88 77", SURNAME)


def _searches(world) -> list[str]:
    listing = reverse("tickets:cabinet_orders", args=[world.organizer.slug])
    return [listing + f"?q={needle}" for needle in (world.email, *SEARCHES)]


def _found_by_search(world) -> dict[str, bool]:
    """The search box echoes what was typed: what matters is whether the order is found."""
    client = _owner(world)
    return {url: world.paid.code in client.get(url).content.decode() for url in _searches(world)}


def _cabinet_pages(world) -> list[str]:
    urls = []
    for name, rule in sorted(MATRIX.items()):
        signed_in_page = rule.expect.get("anonymous") == 302 and "buyer" in rule.expect
        if rule.method == "get" and rule.expect.get(OWNER) == 200 and signed_in_page:
            urls.append(reverse(name, kwargs=rule.kwargs(world)))
    urls.append(reverse("tickets:cabinet_order", args=[world.organizer.slug, world.pending.code]))
    return urls


def _walk(world) -> dict[str, list[str]]:
    """Every cabinet page, then every cabinet link found on them: {url: leaked values}."""
    client = _owner(world)
    seen: dict[str, list[str]] = {}
    queue = _cabinet_pages(world)
    pages = set(queue)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        # a restricted buyer's attachments are gone for the team (404), nothing else is
        allowed = (200, 302, 404) if "/attachments/" in url else (200, 302)
        assert response.status_code in allowed, (url, response.status_code)
        text = _text(response) if response.status_code == 200 else ""
        seen[url] = _leaks(text, world)
        if url in pages:  # follow the links of the pages themselves, one level deep
            for link in LINK.findall(text):
                link = link.replace("&amp;", "&")
                if link not in seen and "/refund" not in link:
                    queue.append(link)
    return seen


def _unprefixed(url: str) -> str:
    return re.sub(r"^/(en|kk)/", "/", url)


def _checkin_answer(world) -> str:
    response = Client().post(
        reverse("tickets:api_checkin"),
        data=json.dumps({"code": "EVT1:" + world.item.secret, "event": world.event.slug}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.scanner_token}",
    )
    assert response.status_code == 200
    return response.content.decode()


def _request_block(world) -> BlockingRequest:
    return blocking_request_create(
        request=BlockingRequest(
            requester_kind=BlockingRequest.RequesterKind.SUBJECT,
            requester_name="Иван Иванов",
            grounds=BlockingRequest.Grounds.UNLAWFUL,
            subject_email=world.email,
            subject_phone=PHONE,
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["received", "blocked"])
def test_no_cabinet_page_or_file_shows_a_blocked_buyer(world, stage, settings, admin_user):
    settings.PRIVATE_MEDIA_ROOT = world.private_root
    settings.MEDIA_ROOT = world.media_root
    with transaction.atomic():
        # Before the request the owner does see the buyer: the walk can find the data.
        before = _walk(world)
        assert any(before.values()), "the walk must see the buyer's data before the block"
        assert all(_found_by_search(world).values())
        before_answer = json.loads(_checkin_answer(world))
        assert SURNAME in before_answer["ticket"]["holder"]
        assert before_answer["ticket"]["holder_masked"] is False

        request = _request_block(world)
        if stage == "blocked":
            blocking_block(request=request, by=admin_user)
        after = _walk(world)
        leaks = {url: found for url, found in after.items() if found}
        assert not leaks, f"blocked buyer's data shown ({stage}): {leaks}"
        # the same pages and files were visited (in whichever language the links came)
        missing = {_unprefixed(u) for u in before} - {_unprefixed(u) for u in after}
        assert not missing, sorted(missing)[:8]
        assert not any(_found_by_search(world).values())  # found by the order code only
        listing = reverse("tickets:cabinet_orders", args=[world.organizer.slug])
        by_code = _owner(world).get(listing, {"q": world.paid.code}).content.decode()
        assert world.paid.code in by_code
        order_page = reverse("tickets:cabinet_order", args=[world.organizer.slug, world.paid.code])
        html = _owner(world).get(order_page).content.decode()
        assert 'data-testid="data-blocked-mark"' in html  # masked, not silently dropped
        assert world.paid.code in html
        answer = json.loads(_checkin_answer(world))
        assert answer["ticket"]["holder_masked"] is True
        assert SURNAME not in answer["ticket"]["holder"]
        transaction.set_rollback(True)
