"""Formula injection: every CSV/XLSX the portal writes escapes text a spreadsheet would run."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from eventum.spreadsheets import CellKind, csv_bytes, escape_cell, xlsx_bytes
from tests.tickets.factories import QuestionFactory
from tests.tickets.reports_data import ROLES, build_sales, member, paid_order
from tickets.models import Answer, Order

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = ['=HYPERLINK("x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize(
    ("value", "kind", "written"),
    [
        ('=HYPERLINK("x")', CellKind.AUTO, '\'=HYPERLINK("x")'),
        ("+1+1", CellKind.AUTO, "'+1+1"),
        ("-2", CellKind.TEXT, "'-2"),  # a name that looks like a number is still a name
        ("@SUM(A1)", CellKind.AUTO, "'@SUM(A1)"),
        ("\tx", CellKind.AUTO, "'\tx"),
        ("\rx", CellKind.AUTO, "'\rx"),
        ("-1+1", CellKind.NUMBER, "'-1+1"),
        ("-5", CellKind.AUTO, "-5"),
        ("-5", CellKind.NUMBER, "-5"),
        ("12.50", CellKind.NUMBER, "12.50"),
        ("+77011234567", CellKind.PHONE, "+77011234567"),
        ("+7********67", CellKind.PHONE, "'+7********67"),
        ("Иванов", CellKind.TEXT, "Иванов"),
        ("a=b", CellKind.TEXT, "a=b"),
        ("", CellKind.TEXT, ""),
        (Decimal("-5.00"), CellKind.NUMBER, Decimal("-5.00")),
        (-3, CellKind.AUTO, -3),
        (None, CellKind.TEXT, None),
    ],
)
def test_escape_cell(value, kind, written):
    assert escape_cell(value, kind) == written


def test_csv_and_xlsx_keep_numbers_as_numbers_and_escape_the_rest():
    headers = ["=title", "amount", "note"]
    rows = [["a", "-5", "-5"], ["b", "12.50", "=1+2"], ["c", Decimal("3.10"), "\x01=evil"]]
    kinds = [CellKind.TEXT, CellKind.NUMBER, CellKind.TEXT]
    text = csv_bytes(headers, rows, kinds=kinds).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["'=title", "amount", "note"],
        ["a", "-5", "'-5"],
        ["b", "12.50", "'=1+2"],
        ["c", "3.10", "\x01=evil"],  # starts with \x01: no formula
    ]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(headers, rows, title="T", kinds=kinds))).active
    cells = list(sheet.iter_rows(min_row=1))
    assert cells[0][0].value == "'=title" and cells[0][0].data_type == "s"
    amounts = [row[1] for row in cells[1:]]
    assert [c.value for c in amounts] == [-5, 12.5, 3.1]
    assert {c.data_type for c in amounts} == {"n"}
    assert amounts[1].number_format == "0.00"
    notes = [row[2] for row in cells[1:]]
    # XML cannot hold \x01: it is dropped first, and what is left is still escaped
    assert [c.value for c in notes] == ["'-5", "'=1+2", "'=evil"]
    assert {c.data_type for c in notes} == {"s"}


@pytest.fixture
def hostile():
    """A sale with one paid order per hostile buyer name, and a hostile question and answer."""
    sales = build_sales()
    question = QuestionFactory(event=sales.event, label="=cmd|' /C calc'!A0")
    orders = []
    for n, name in enumerate(HOSTILE_NAMES):
        order = paid_order({sales.tt1: 1}, email=f"h{n}@example.kz")
        Order.objects.filter(pk=order.pk).update(name=name, surname=name)
        Answer.objects.create(order=order, question=question, value="@SUM(1+1)")
        orders.append(order)
    sales.hostile_orders = orders
    sales.question = question
    return sales


def _export(client, sales, file_format: str):
    client.force_login(member(sales.organizer, ROLES.OWNER))
    url = reverse("tickets:cabinet_attendee_export", args=[sales.organizer.slug, sales.event.slug])
    response = client.post(
        url,
        {
            "file_format": file_format,
            "columns": ["code", "price", "surname", "name", "phone"],
            "questions": [sales.question.pk],
        },
    )
    assert response.status_code == 200
    return response


def test_csv_attendee_export_escapes_hostile_names_and_keeps_phones_and_prices(client, hostile):
    response = _export(client, hostile, "csv")
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert header[-1] == "'=cmd|' /C calc'!A0"
    by_code = {row[0]: row for row in rows}
    for order, name in zip(hostile.hostile_orders, HOSTILE_NAMES, strict=True):
        _code, price, surname, first_name, phone, answer = by_code[order.code]
        assert (surname, first_name) == ("'" + name, "'" + name)
        assert price == "5000.00"
        assert phone == "+77011234567"
        assert answer == "'@SUM(1+1)"


def test_xlsx_attendee_export_escapes_hostile_names_as_text_cells_and_phones_are_text(
    client, hostile
):
    response = _export(client, hostile, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows())
    assert header[-1].value == "'=cmd|' /C calc'!A0" and header[-1].data_type == "s"
    by_code = {row[0].value: row for row in rows}
    for order, name in zip(hostile.hostile_orders, HOSTILE_NAMES, strict=True):
        _code, price, surname, first_name, phone, answer = by_code[order.code]
        for cell in (surname, first_name):
            # XML reads a stored carriage return back as a line feed; the apostrophe stays
            assert cell.value == "'" + name.replace("\r", "\n")
            assert cell.data_type == "s", "a string, never a formula"
        assert (price.value, price.data_type) == (5000, "n")
        assert (phone.value, phone.data_type, phone.number_format) == ("+77011234567", "s", "@")
        assert (answer.value, answer.data_type) == ("'@SUM(1+1)", "s")
    # every phone cell is text, blocked or not
    assert {row[4].number_format for row in rows} == {"@"}
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_payout_csv_escapes_an_event_title_and_keeps_the_amounts(client):
    sales = build_sales()
    type(sales.event).objects.filter(pk=sales.event.pk).update(title='=HYPERLINK("x")')
    client.force_login(member(sales.organizer, ROLES.ACCOUNTANT))
    response = client.get(
        reverse("tickets:cabinet_payout", args=[sales.organizer.slug]), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="payout-{sales.organizer.slug}-'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_title = {row[0]: row[1:] for row in rows[1:]}
    assert by_title['\'=HYPERLINK("x")'] == [
        "5",
        "30000.00",
        "8000.00",
        "22000.00",
        "1100.00",
        "20900.00",
    ]
