"""Bank statements in the 1C client-bank exchange format: payments are matched to waiting
orders by the order number in the purpose and by amount; the rest waits for a person."""

from datetime import date
from decimal import Decimal

import pytest

from tests.tickets.banktransfer_helpers import (
    document,
    statement,
    transfer_ticket_type,
    waiting_order,
)
from tickets.banktransfer.errors import StatementInvalid
from tickets.banktransfer.imports import (
    codes_in_purpose,
    statement_import,
    statement_line_ignore,
    statement_line_pay,
)
from tickets.banktransfer.models import BankStatementLine, BankTransferPayment
from tickets.banktransfer.services import bank_transfer_mark_paid
from tickets.banktransfer.statement import statement_parse
from tickets.models import Order, Payment

pytestmark = pytest.mark.django_db
Line = BankStatementLine


def _import(organizer, raw: bytes, name="kl_to_1c.txt"):
    return statement_import(organizer=organizer, file_name=name, raw=raw, user=None)


def test_a_matching_payment_pays_its_order_and_an_ambiguous_one_waits():
    order, _transfer = waiting_order()
    organizer = order.event.organizer
    other, _other_transfer = waiting_order(transfer_ticket_type(organizer=organizer))
    raw = statement(
        document(number="154", amount="100000.00", purpose=f"Оплата по счету {order.code}"),
        document(
            number="155",
            amount="200000.00",
            purpose=f"Оплата за билеты {order.code} и {other.code}",
        ),
    )
    result = _import(organizer, raw)
    assert (result.incoming, result.new_lines, result.paid, result.to_decide) == (2, 2, 1, 1)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    record = BankTransferPayment.objects.get(order=order)
    assert (record.document_number, record.paid_on) == ("154", date(2026, 12, 8))
    assert record.statement_line.status == Line.Status.PAID
    ambiguous = Line.objects.get(number="155")
    assert ambiguous.status == Line.Status.TO_DECIDE
    assert ambiguous.problem == Line.Problem.SEVERAL
    assert ambiguous.payer_bin == "150340012345"
    assert Order.objects.get(pk=other.pk).status == Order.Status.PENDING


def test_importing_the_same_statement_twice_pays_nothing_twice():
    order, _transfer = waiting_order()
    raw = statement(document(amount="100000.00", purpose=f"Заказ {order.code}"))
    first = _import(order.event.organizer, raw)
    second = _import(order.event.organizer, raw, name="again.txt")
    assert (first.paid, first.new_lines) == (1, 1)
    assert (second.incoming, second.new_lines, second.paid, second.to_decide) == (1, 0, 0, 0)
    assert Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).count() == 1
    assert Line.objects.count() == 1


def test_a_windows_1251_statement_is_read():
    order, _transfer = waiting_order()
    raw = statement(
        document(amount="100 000,00", purpose=f"Оплата по заказу {order.code}, без НДС"),
        encoding="cp1251",
    )
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    result = _import(order.event.organizer, raw)
    assert result.paid == 1
    line = Line.objects.get()
    assert line.payer_name == "ТОО «Ромашка»"
    assert line.purpose == f"Оплата по заказу {order.code}, без НДС"
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_kazakh_bank_export_keys_and_a_utf8_bom_are_read():
    raw = "\r\n".join(
        [
            "\ufeff1CClientBankExchange",
            "ВерсияФормата=1.03",
            "Кодировка=UTF-8",
            "РасчСчет=KZ86125KZT5004100100",
            'СЕКЦИЯДОКУМЕНТ=""Выписка""',
            "НомерДокумента=95022",
            "ДатаДокумента=03.12.2026",
            "ВидДокумента=ПлатежноеПоручение",
            "СуммаПриход=7745.7",
            'ПлательщикНаименование=ТОО ""Ромашка""',
            "ПлательщикБИН_ИИН=150340012345",
            "ПлательщикИИК=KZ81722S000001159377",
            "ДатаОперации=04.12.2026",
            "НазначениеПлатежа=Оплата заказа АВС23456",
            "КонецДокумента",
            "СекцияДокумент=Выписка",
            "НомерДокумента=95023",
            "ДатаДокумента=03.12.2026",
            "СуммаРасход=500",
            "НазначениеПлатежа=Комиссия банка",
            "КонецДокумента",
            "КонецФайла",
        ]
    ).encode("utf-8")
    parsed = statement_parse(raw)
    assert parsed.documents == 2
    (payment,) = parsed.payments  # money going out is not a payment to us
    assert payment.number == "95022"
    assert payment.amount == Decimal("7745.70")
    assert payment.paid_on == date(2026, 12, 4)
    assert payment.payer_name == 'ТОО "Ромашка"'
    assert payment.payer_bin == "150340012345"
    # Cyrillic look-alike letters in the order number are read as Latin ones
    assert codes_in_purpose(payment.purpose) == ["ABC23456"]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        "Дата;Сумма;Назначение\r\n08.12.2026;1000;Заказ\r\n".encode(),
        "1CClientBankExchange\r\nВерсияФормата=1.03\r\nКонецФайла\r\n".encode(),
        "1CClientBankExchange\r\nСекцияДокумент=Платежное поручение\r\nСумма=1\r\n".encode(),
        "1CClientBankExchange\r\nСекцияДокумент=Платежное поручение\r\nСумма=много\r\n"
        "ДатаПоступило=08.12.2026\r\nКонецДокумента\r\n".encode(),
        "1CClientBankExchange\r\nСекцияДокумент=Платежное поручение\r\nСумма=5\r\n"
        "Дата=32.13.2026\r\nДатаПоступило=08.12.2026\r\nКонецДокумента\r\n".encode(),
    ],
)
def test_files_that_are_not_statements_are_refused(raw):
    with pytest.raises(StatementInvalid) as refused:
        statement_parse(raw)
    assert str(refused.value.message)


@pytest.mark.parametrize(
    ("purpose", "amount", "problem"),
    [
        ("Оплата за билеты", "100000.00", Line.Problem.NO_CODE),
        ("Оплата по заказу {code}", "99000.00", Line.Problem.AMOUNT),
    ],
)
def test_mismatches_are_listed_for_a_person(purpose, amount, problem):
    order, _transfer = waiting_order()
    raw = statement(document(amount=amount, purpose=purpose.format(code=order.code)))
    assert _import(order.event.organizer, raw).to_decide == 1
    line = Line.objects.get()
    assert (line.status, line.problem) == (Line.Status.TO_DECIDE, problem)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


def test_an_order_paid_by_hand_before_the_statement_is_not_paid_again():
    order, _transfer = waiting_order()
    bank_transfer_mark_paid(
        order_id=order.pk, paid_on=date(2026, 12, 8), document_number="154", user=None
    )
    raw = statement(
        document(number="154", purpose=f"Заказ {order.code}"),
        document(number="160", purpose=f"Ещё раз заказ {order.code}"),
    )
    result = _import(order.event.organizer, raw)
    assert (result.paid, result.to_decide) == (0, 1)
    assert Line.objects.get(number="154").status == Line.Status.RECORDED
    twice = Line.objects.get(number="160")
    assert (twice.status, twice.problem) == (Line.Status.TO_DECIDE, Line.Problem.ALREADY_PAID)
    assert Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).count() == 1


def test_an_order_not_waiting_for_a_transfer_is_not_paid_by_the_statement():
    from tests.tickets.flows import place_order

    card_order = place_order({transfer_ticket_type(): 2})
    raw = statement(document(purpose=f"Заказ {card_order.code}"))
    assert _import(card_order.event.organizer, raw).to_decide == 1
    assert Line.objects.get().problem == Line.Problem.NOT_WAITING
    assert Order.objects.get(pk=card_order.pk).status == Order.Status.PENDING


def test_a_person_pays_a_mismatched_line_or_ignores_it():
    order, _transfer = waiting_order()
    organizer = order.event.organizer
    raw = statement(
        document(number="1", amount="99000.00", purpose=f"Заказ {order.code}"),
        document(number="2", amount="5000.00", purpose="Возврат займа"),
    )
    _import(organizer, raw)
    short, stray = Line.objects.get(number="1"), Line.objects.get(number="2")
    statement_line_pay(organizer=organizer, line_id=short.pk, order_code=order.code, user=None)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    record = BankTransferPayment.objects.get(order=order)
    assert record.amount == Decimal("99000.00") and record.statement_line_id == short.pk
    statement_line_ignore(organizer=organizer, line_id=stray.pk, user=None)
    assert Line.objects.get(pk=stray.pk).status == Line.Status.IGNORED
    assert not Line.objects.filter(status=Line.Status.TO_DECIDE).exists()
