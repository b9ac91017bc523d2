"""Every upload refuses a disguised type, an oversized file and a decompression bomb with a
clear message, and stores the file under a name the server made, never the client's path."""

import functools
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Event
from organizers.models import Organizer
from privacy.models import BlockingRequest, ConsentWithdrawal
from tests.factories import MembershipFactory, OrganizerFactory, SessionFactory, TicketTypeFactory
from tests.tickets.factories import QuestionFactory
from tests.tickets.helpers import PNG, buyer_data, choose, idempotency_key
from tickets.models import Answer, Order, Question

pytestmark = pytest.mark.django_db

PATH_TRICK = "../../../../etc/cron.d/evil.png"
SCRIPT = b"#!/bin/sh\nrm -rf /\n"


def _png(size=(400, 300)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def _bomb(size=(12_000, 12_000)) -> bytes:
    """A few hundred kilobytes that decode to ``size`` pixels of black."""
    buffer = BytesIO()
    Image.new("1", size, 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _all_files(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def _nothing_escaped(tmp_path: Path) -> None:
    """No upload landed outside the media folders (the tests' media lives under tmp_path)."""
    assert not (tmp_path.parent / "etc").exists()
    assert not any("evil" in p.name for p in _all_files(tmp_path.parent))


# Event covers (cabinet) --------------------------------------------------------------------


@pytest.fixture
def manager(client):
    membership = MembershipFactory(role="manager")
    client.force_login(membership.user)
    client.organizer = membership.organizer
    return client


@pytest.fixture
def event_data():
    from tests.factories import CategoryFactory, CityFactory

    return {
        "title_ru": "Ночь домбры",
        "title_kk": "Домбыра түні",
        "title_en": "Dombra Night",
        "description_ru": "Концерт.",
        "category": CategoryFactory().pk,
        "age_rating": "6+",
        "venue_name": "Дворец Республики",
        "venue_city": CityFactory().pk,
        "venue_address": "пр. Достык, 56",
    }


def _create_event(client, data, cover):
    url = reverse("events_cabinet:event_create", kwargs={"organizer_slug": client.organizer.slug})
    return client.post(url, {**data, "cover": cover})


def test_cover_with_a_path_in_its_name_is_stored_under_the_events_slug(
    manager, event_data, settings, tmp_path
):
    cover = SimpleUploadedFile(PATH_TRICK, _png((1600, 900)), content_type="image/png")
    assert _create_event(manager, event_data, cover).status_code == 302
    event = Event.objects.get()
    assert event.cover.name == f"events/covers/{event.slug}.jpg"
    assert all("evil" not in p.name for p in _all_files(settings.MEDIA_ROOT))
    _nothing_escaped(tmp_path)


def test_script_named_like_a_picture_is_not_a_cover(manager, event_data):
    cover = SimpleUploadedFile("cover.jpg", SCRIPT, content_type="image/jpeg")
    response = _create_event(manager, event_data, cover)
    assert response.status_code == 200
    assert "JPEG, PNG или WebP" in str(response.context["form"].errors["cover"])
    assert not Event.objects.exists()


def test_cover_bomb_past_pillows_own_guard_is_a_form_error(manager, event_data):
    """Bigger than Pillow's MAX_IMAGE_PIXELS: Pillow would only warn; it must not be decoded."""
    cover = SimpleUploadedFile("cover.png", _bomb((10_000, 10_000)), content_type="image/png")
    response = _create_event(manager, event_data, cover)
    assert response.status_code == 200
    assert "cover" in response.context["form"].errors
    assert not Event.objects.exists()


# Checkout attachments ----------------------------------------------------------------------


@pytest.fixture
def file_question(policy):
    stalls = TicketTypeFactory(session=SessionFactory(), quantity=10)
    question = QuestionFactory(event=stalls.session.event, kind=Question.Kind.FILE, required=True)
    return stalls, question


def _checkout_with(client, file_question, upload):
    stalls, question = file_question
    choose(client, stalls.session, {stalls: 1})
    data = buyer_data(idempotency_key(client))
    data[f"q_{question.pk}"] = upload
    return client.post(reverse("tickets:checkout"), data)


def test_attachment_with_a_path_in_its_name_is_stored_under_a_random_name(
    client, file_question, settings, tmp_path
):
    response = _checkout_with(
        client, file_question, SimpleUploadedFile(PATH_TRICK, PNG, content_type="image/png")
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.file_name == "evil.png"  # shown to the organizer, never used on disk
    stored = Path(answer.file.name)
    assert stored.parts[0] == "answers" and "evil" not in stored.name and ".." not in stored.parts
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / stored).read_bytes() == PNG
    _nothing_escaped(tmp_path)


def test_attachment_pdf_that_is_really_a_script_is_refused(client, file_question):
    upload = SimpleUploadedFile("certificate.pdf", SCRIPT, content_type="application/pdf")
    response = _checkout_with(client, file_question, upload)
    assert response.status_code == 400
    assert "PDF, JPEG, PNG" in response.content.decode()
    assert not Order.objects.exists() and not Answer.objects.exists()


def test_oversized_attachment_is_refused_with_the_limit(client, file_question, settings):
    settings.TICKETS_ATTACHMENT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4" + b"0" * (1024 * 1024 + 1))
    response = _checkout_with(client, file_question, upload)
    assert response.status_code == 400
    assert "1 МБ" in response.content.decode() or "1 MB" in response.content.decode()
    assert not Order.objects.exists()


# Privacy: the public blocking-request form and the staff's letter scans ---------------------


def _blocking_request(client, document):
    return client.post(
        reverse("privacy:blocking_request"),
        {
            "requester_kind": "legal_representative",
            "requester_name": "Садыков Ерлан",
            "requester_email": "lawyer@example.kz",
            "subject_email": "child@example.kz",
            "grounds": "other",
            "authority_document": document,
        },
    )


def test_authority_document_with_a_path_in_its_name_gets_a_generated_name(client, tmp_path):
    document = SimpleUploadedFile(
        "../../../etc/evil.pdf", b"%PDF-1.4 power of attorney", content_type="application/pdf"
    )
    assert _blocking_request(client, document).status_code == 200
    stored = Path(BlockingRequest.objects.get().authority_document.name)
    assert stored.parts[:2] == ("privacy", "blocking")
    assert stored.name.startswith("authority-") and stored.suffix == ".pdf"
    assert "evil" not in stored.name
    _nothing_escaped(tmp_path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("doverennost.pdf", SCRIPT, "PDF, JPEG или PNG"),
        ("doverennost.pdf", b"<html><script>alert(1)</script>", "PDF, JPEG или PNG"),
        ("scan.png", "bomb", "слишком много пикселей"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PDF, JPEG или PNG"),
    ],
    ids=["script-as-pdf", "html-as-pdf", "decompression-bomb", "broken-png"],
)
def test_bad_authority_documents_are_refused_with_a_message(client, name, content, message):
    content = _bomb((10_000, 10_000)) if content == "bomb" else content
    response = _blocking_request(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BlockingRequest.objects.exists()


def test_oversized_authority_document_is_refused(client, monkeypatch):
    monkeypatch.setattr("privacy.documents.MAX_DOCUMENT_BYTES", 1000)
    document = SimpleUploadedFile("doverennost.pdf", b"%PDF-1.4" + b"0" * 1000)
    response = _blocking_request(client, document)
    assert "больше 10 МБ" in response.content.decode()
    assert not BlockingRequest.objects.exists()


def _withdrawal(admin_client, scan):
    return admin_client.post(
        reverse("admin:privacy_consentwithdrawal_add"),
        {
            "channel": "letter",
            "received_on": "01.06.2026",
            "letter_number": "№ 7",
            "scan": scan,
            "scope": "all",
            "subject_email": "buyer@example.kz",
        },
    )


def test_letter_scan_that_is_not_a_document_is_refused(admin_client):
    response = _withdrawal(admin_client, SimpleUploadedFile("letter.pdf", SCRIPT))
    assert response.status_code == 200
    assert "PDF, JPEG или PNG" in response.content.decode()
    assert not ConsentWithdrawal.objects.exists()


def test_letter_scan_is_stored_under_a_generated_name(admin_client, tmp_path):
    scan = SimpleUploadedFile("../../evil.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    response = _withdrawal(admin_client, scan)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Path(ConsentWithdrawal.objects.get().scan.name)
    assert stored.name.startswith("letter-") and "evil" not in stored.name
    _nothing_escaped(tmp_path)


# Organizer logos (staff, in the admin) -------------------------------------------------------


def _logo_form(organizer, logo):
    from organizers.admin import OrganizerAdminForm

    form_class = type(
        "LogoForm",
        (OrganizerAdminForm,),
        {"Meta": type("Meta", (), {"model": Organizer, "fields": ["logo"]})},
    )
    return form_class(data={}, files={"logo": logo}, instance=organizer)


def test_logo_is_stored_under_a_generated_name(tmp_path):
    organizer = OrganizerFactory()
    form = _logo_form(organizer, SimpleUploadedFile(PATH_TRICK, _png(), content_type="image/png"))
    assert form.is_valid(), form.errors
    form.save()
    organizer.refresh_from_db()
    stored = Path(organizer.logo.name)
    assert stored.parent == Path("organizers/logos") and stored.name.startswith("logo-")
    _nothing_escaped(tmp_path)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("logo.png", "bomb", "logo_pixels"),
        ("logo.png", SCRIPT, "invalid_image"),
        ("logo.gif", b"GIF89a" + b"\x00" * 64, "invalid_image"),
    ],
    ids=["decompression-bomb", "script-as-png", "broken-gif"],
)
def test_bad_logos_are_refused(name, content, code):
    content = _bomb((9_000, 9_000)) if content == "bomb" else content
    form = _logo_form(OrganizerFactory(), SimpleUploadedFile(name, content))
    assert not form.is_valid()
    assert code in [error.code for error in form.errors.as_data()["logo"]]


def test_oversized_logo_is_refused(monkeypatch):
    monkeypatch.setattr("organizers.logos.LOGO_MAX_BYTES", 1000)
    form = _logo_form(OrganizerFactory(), SimpleUploadedFile("logo.png", _png((800, 800))))
    assert not form.is_valid()
    assert "logo_too_large" in [error.code for error in form.errors.as_data()["logo"]]
