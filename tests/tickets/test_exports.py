import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from privacy.models import Disclosure
from tests.factories import UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.factories import QuestionFactory
from tests.tickets.reports_data import ROLES, build_sales, member, paid_order
from tickets.models import Answer, AttendeeExport
from tickets.reports.services import exports as export_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales():
    sales = build_sales()
    question = QuestionFactory(event=sales.event, label="Откуда узнали?")
    Answer.objects.create(order=sales.orders["paid"], question=question, value="=1+2 от друзей")
    Answer.objects.create(order=sales.orders["promo"], question=question, value="Instagram")
    sales.question = question
    make_blocked(staff=UserFactory(is_staff=True), email="promo@example.kz")
    return sales


@pytest.fixture
def owner(client, sales):
    user = member(sales.organizer, ROLES.OWNER)
    client.force_login(user)
    client.user = user
    return client


def _url(sales):
    return reverse("tickets:cabinet_attendee_export", args=[sales.organizer.slug, sales.event.slug])


COLUMNS = ["code", "ticket_type", "surname", "name", "email", "phone"]


def _read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_masks_blocked_buyers_and_has_the_answers(owner, sales):
    response = owner.post(
        _url(sales),
        {"file_format": "csv", "columns": COLUMNS, "questions": [sales.question.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _read_csv(response.content)
    assert header == [
        "Заказ",
        "Тип билета",
        "Фамилия",
        "Имя",
        "Эл. почта",
        "Телефон",
        "Откуда узнали?",
    ]
    by_code: dict[str, list[list[str]]] = {}
    for row in rows:
        by_code.setdefault(row[0], []).append(row)
    o = sales.orders
    # one row per valid ticket of a paid order: paid ×2, partial ×1, free ×2, promo ×2
    assert {code: len(r) for code, r in by_code.items()} == {
        o["paid"].code: 2,
        o["partial"].code: 1,
        o["free"].code: 2,
        o["promo"].code: 2,
    }
    paid = by_code[o["paid"].code][0]
    assert paid[2:6] == ["Иванов", "Иван", "paid@example.kz", "+77011234567"]
    assert paid[6] == "'=1+2 от друзей"  # a formula is never run by the spreadsheet
    blocked = by_code[o["promo"].code][0]
    assert blocked[1] == str(sales.tt1.name)  # not personal: kept
    # a masked phone starts with "+" but is no number: escaped like any such text
    assert blocked[2:7] == ["И***", "И***", "p***@e***.kz", "'+7********67", "***"]
    assert "promo@example.kz" not in response.content.decode("utf-8-sig")
    disclosure = Disclosure.objects.get(channel="export")
    assert disclosure.actor == owner.user
    assert disclosure.recipient == (sales.organizer.legal_name or sales.organizer.public_name)
    assert disclosure.fields == ["surname", "name", "email", "phone", "Откуда узнали?"]
    subjects = set(disclosure.subjects.values_list("subject", flat=True))
    assert subjects == {"paid@example.kz", "partial@example.kz", "free@example.kz"}
    assert disclosure.subject_count == 3


def test_xlsx_export_reads_back_with_chosen_columns_for_one_session(owner, sales):
    response = owner.post(
        _url(sales),
        {"file_format": "xlsx", "columns": ["code", "email"], "session": sales.tt1.session_id},
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Заказ", "Эл. почта"]
    emails = sorted(r[1] for r in rows[1:])
    # the second session's ticket (partial) is left out, the blocked buyer masked
    assert emails == sorted(
        ["paid@example.kz"] * 2 + ["free@example.kz"] * 2 + ["p***@e***.kz"] * 2
    )
    assert Disclosure.objects.filter(channel="export").count() == 1


def test_export_form_errors_are_shown_not_raised(owner, sales):
    response = owner.post(_url(sales), {"file_format": "pdf", "columns": []})
    assert response.status_code == 200
    form = response.context["form"]
    assert "file_format" in form.errors and "columns" in form.errors
    assert "Выберите хотя бы один столбец" in response.content.decode()
    assert not Disclosure.objects.exists()
    page = owner.get(_url(sales))
    assert page.status_code == 200 and "Откуда узнали?" in page.content.decode()


def test_large_export_is_built_by_a_task_and_downloaded_by_the_team(
    owner, sales, monkeypatch, client, django_capture_on_commit_callbacks, settings
):
    monkeypatch.setattr(export_service, "SYNC_ROW_LIMIT", 3)
    with django_capture_on_commit_callbacks(execute=True):
        posted = owner.post(
            _url(sales),
            {"file_format": "csv", "columns": ["code", "email"], "questions": []},
        )
        assert AttendeeExport.objects.get().status == AttendeeExport.Status.PENDING
    assert posted.url == reverse("tickets:cabinet_exports", args=[sales.organizer.slug])
    response = owner.get(posted.url)
    export = AttendeeExport.objects.get()
    assert export.status == AttendeeExport.Status.READY and export.row_count == 7
    assert export.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "Выгрузка готовится" in response.content.decode()
    download = reverse("tickets:cabinet_export_download", args=[sales.organizer.slug, export.pk])
    assert download in response.content.decode()
    file_response = owner.get(download)
    assert file_response.status_code == 200
    header, *rows = _read_csv(b"".join(file_response.streaming_content))
    assert header == ["Заказ", "Эл. почта"] and len(rows) == 7
    assert "p***@e***.kz" in {r[1] for r in rows}
    assert Disclosure.objects.filter(channel="export").count() == 1
    # running the task again changes nothing (no second file, no second disclosure)
    from tickets.reports.tasks import attendee_export_task

    attendee_export_task.delay(export.pk)
    assert Disclosure.objects.filter(channel="export").count() == 1
    # a manager, a stranger and another organizer's owner get no file
    client.force_login(member(sales.organizer, ROLES.MANAGER))
    assert client.get(download).status_code == 403
    stranger = member(sales.orders["stranger"].event.organizer, ROLES.OWNER)
    client.force_login(stranger)
    assert client.get(download).status_code == 404
    foreign = reverse(
        "tickets:cabinet_export_download",
        args=[sales.orders["stranger"].event.organizer.slug, export.pk],
    )
    assert client.get(foreign).status_code == 404


def test_a_failed_export_is_reported(owner, sales, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(export_service, "SYNC_ROW_LIMIT", 0)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export_service, "attendee_export_build", broken)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(_url(sales), {"file_format": "csv", "columns": ["code"]})
    export = AttendeeExport.objects.get()
    assert export.status == AttendeeExport.Status.FAILED and "disk full" in export.error
    page = owner.get(reverse("tickets:cabinet_exports", args=[sales.organizer.slug]))
    assert "disk full" in page.content.decode()


def test_export_queries_do_not_grow_with_rows(owner, sales, django_assert_max_num_queries):
    data = {
        "file_format": "csv",
        "columns": [*COLUMNS, "checked_in", "promo"],
        "questions": [sales.question.pk],
    }
    # 20, plus the disclosure log's chain head (and on PostgreSQL its lock)
    with django_assert_max_num_queries(23):
        assert owner.post(_url(sales), data).status_code == 200
    for n in range(10):
        paid_order({sales.tt1: 1}, email=f"more{n}@example.kz")
    with django_assert_max_num_queries(23):
        response = owner.post(_url(sales), data)
    assert len(_read_csv(response.content)) == 1 + 7 + 10


@pytest.mark.parametrize(
    ("role", "status"),
    [(ROLES.OWNER, 200), (ROLES.ACCOUNTANT, 200), (ROLES.MANAGER, 403), (ROLES.CHECKIN, 403)],
)
def test_export_roles(client, sales, role, status):
    client.force_login(member(sales.organizer, role))
    assert client.get(_url(sales)).status_code == status
    assert (
        client.get(reverse("tickets:cabinet_exports", args=[sales.organizer.slug])).status_code
        == status
    )


def test_another_organizers_event_cannot_be_exported(client, sales):
    other = member(sales.orders["stranger"].event.organizer, ROLES.OWNER)
    client.force_login(other)
    url = reverse(
        "tickets:cabinet_attendee_export",
        args=[sales.orders["stranger"].event.organizer.slug, sales.event.slug],
    )
    assert client.post(url, {"file_format": "csv", "columns": ["email"]}).status_code == 404
    assert not Disclosure.objects.exists()
