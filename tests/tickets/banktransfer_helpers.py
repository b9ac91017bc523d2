"""Orders waiting for a bank transfer and bank statements in the 1C exchange format, for the
bank-transfer tests."""

from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from tests.factories import EventFactory, SessionFactory, TicketTypeFactory
from tests.tickets.factories import new_token
from tickets.companies.inputs import CompanyDetails
from tickets.services.cart import cart_set_quantities
from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create

ALMATY = ZoneInfo("Asia/Almaty")
# A Monday morning in Almaty: five working days later is Monday 14 December 2026.
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=ALMATY)


@contextmanager
def frozen(moment: datetime):
    """Every ``timezone.now()`` answers ``moment`` (the services read the clock through it)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def transfer_ticket_type(*, price="50000", quantity=10, min_tickets=1, days=5, **event):
    event_obj = EventFactory(
        allow_company_purchases=True,
        allow_bank_transfer=True,
        bank_transfer_min_tickets=min_tickets,
        bank_transfer_days=days,
        **event,
    )
    session = SessionFactory(event=event_obj)
    return TicketTypeFactory(session=session, price=Decimal(price), quantity=quantity)


def company_order(ticket_type, count=2, email="buh@company.kz"):
    """An order placed at checkout for an organisation, its accountant as the buyer."""
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={ticket_type.pk: count})
    return order_create(
        cart_token=token,
        idempotency_key=new_token(),
        buyer=BuyerDetails(surname="Иванов", name="Иван", phone="+77011234567", email=email),
        consent=ConsentInput(processing_wording="Согласен", ip_address="10.0.0.1"),
        company=CompanyDetails(
            legal_name="ТОО «Ромашка»", bin_iin="180240021341", legal_address="г. Алматы"
        ),
    )


def waiting_order(ticket_type=None, count=2, email="buh@company.kz"):
    from tickets.banktransfer.services import start_bank_transfer

    ticket_type = ticket_type or transfer_ticket_type()
    order = company_order(ticket_type, count=count, email=email)
    transfer = start_bank_transfer(order)
    order.refresh_from_db()
    return order, transfer


def document(
    *,
    number="154",
    day="08.12.2026",
    amount="100000.00",
    purpose="",
    payer="ТОО «Ромашка»",
    payer_bin="150340012345",
    payer_account="KZ12601A861001234567",
    account="KZ86125KZT5004100100",
    kind="Платежное поручение",
) -> list[str]:
    """One incoming payment order in 1C's own keys."""
    return [
        f"СекцияДокумент={kind}",
        f"Номер={number}",
        f"Дата={day}",
        f"Сумма={amount}",
        f"ПлательщикСчет={payer_account}",
        f"ПлательщикИИК={payer_account}",
        f"Плательщик={payer}",
        f"ПлательщикБИН={payer_bin}",
        "ПлательщикБанк1=АО «Kaspi Bank»",
        "ПлательщикБИК=CASPKZKA",
        f"ПолучательСчет={account}",
        f"ПолучательИИК={account}",
        "Получатель=ТОО «Организатор»",
        "ПолучательБИН=180240021341",
        "ПолучательКБЕ=17",
        f"ДатаПоступило={day}",
        f"НазначениеПлатежа={purpose}",
        "КодНазначенияПлатежа=859",
        "КонецДокумента",
    ]


def statement(*documents: list[str], encoding="utf-8", account="KZ86125KZT5004100100") -> bytes:
    lines = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows" if encoding == "cp1251" else "Кодировка=UTF-8",
        "Отправитель=Kaspi Business",
        "Получатель=",
        "ДатаСоздания=09.12.2026",
        "ДатаНачала=07.12.2026",
        "ДатаКонца=09.12.2026",
        f"РасчСчет={account}",
        "Документ=Платежное поручение",
        "СекцияРасчСчет",
        "ДатаНачала=07.12.2026",
        f"РасчСчет={account}",
        "НачальныйОстаток=0.00",
        "КонецРасчСчет",
    ]
    for doc in documents:
        lines.extend(doc)
    lines.append("КонецФайла")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
