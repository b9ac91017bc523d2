"""Reading a bank statement in the 1C "client-bank" exchange text format (1CClientBankExchange).

The file is a list of ``key=value`` lines: a header (``ВерсияФормата``, ``Кодировка``,
``РасчСчет``...), account sections (``СекцияРасчСчет`` … ``КонецРасчСчет``) and one section per
document (``СекцияДокумент=<kind>`` … ``КонецДокумента``), closed by ``КонецФайла``.

Kazakh banks write it in two dialects, both read here:
* 1C's own keys: ``Номер``, ``Дата``, ``Сумма``, ``ПлательщикБИН``/``ПлательщикИНН``,
  ``ПлательщикИИК``/``ПлательщикСчет``, ``Плательщик``/``Плательщик1``, ``ПолучательИИК``…,
  ``ДатаПоступило`` (money in) / ``ДатаСписано`` (money out), ``НазначениеПлатежа``;
* statement exports (``СекцияДокумент=Выписка`` with ``ВидДокумента=Платежное поручение``):
  ``НомерДокумента``, ``ДатаДокумента``, ``ДатаОперации``, ``СуммаПриход``/``СуммаРасход``,
  ``ПлательщикБИН_ИИН``, ``ПлательщикНаименование``; section keys sometimes in capitals.

Banks export in windows-1251 (``Кодировка=Windows``), DOS code page 866 (``Кодировка=DOS``) or
UTF-8 (with or without a byte-order mark). Only money coming in is returned.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from tickets.banktransfer.errors import StatementInvalid

SIGNATURE = "1CClientBankExchange"
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class StatementPayment:
    """One incoming payment order of the statement."""

    number: str
    document_date: date | None
    received_on: date | None
    amount: Decimal
    payer_name: str
    payer_bin: str
    payer_account: str
    purpose: str

    @property
    def paid_on(self) -> date | None:
        """When the money arrived (the bank's date), else the document's date."""
        return self.received_on or self.document_date


@dataclass(frozen=True)
class Statement:
    account: str
    documents: int  # every document section, in or out
    payments: list[StatementPayment]


def statement_decode(raw: bytes) -> str:
    """The file's text: UTF-8 when it is valid UTF-8 (with or without a BOM), else the code
    page its header names (DOS → cp866), windows-1251 by default."""
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    header = raw[:400].decode("cp1251", errors="replace")
    encoding_line = re.search(r"Кодировка\s*=\s*(\w+)", header, flags=re.IGNORECASE)
    if encoding_line and encoding_line.group(1).upper() == "DOS":
        return raw.decode("cp866", errors="replace")
    return raw.decode("cp1251", errors="replace")


def _value(raw: str) -> str:
    """A value as written: some banks quote values CSV-style (``""Выписка""``)."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value.replace('""', '"').strip()


def _amount(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s\u00a0]", "", text).replace(",", ".")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise StatementInvalid(
            _("The amount “%(value)s” is not a number.") % {"value": text}
        ) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise StatementInvalid(_("The amount “%(value)s” is not a number.") % {"value": text})
    return amount.quantize(Decimal("0.01"))


def _date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise StatementInvalid(_("The date “%(value)s” is not a date (DD.MM.YYYY).") % {"value": text})


def _account(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _first(fields: dict[str, str], *keys: str) -> str:
    for key in keys:
        value = fields.get(key.lower(), "")
        if value:
            return value
    return ""


def _incoming(fields: dict[str, str], account: str) -> StatementPayment | None:
    """The document as an incoming payment, or ``None`` for money going out (or a document
    whose direction the file does not say)."""
    credit = _amount(_first(fields, "СуммаПриход"))
    debit = _amount(_first(fields, "СуммаРасход"))
    total = _amount(_first(fields, "Сумма"))
    recipient_account = _account(_first(fields, "ПолучательИИК", "ПолучательСчет"))
    payer_account = _account(_first(fields, "ПлательщикИИК", "ПлательщикСчет"))
    if credit:
        amount = credit
    elif debit:
        return None
    elif total is not None and (
        _first(fields, "ДатаПоступило") or (account and recipient_account == account)
    ):
        amount = total
    else:
        return None
    if account and payer_account == account and recipient_account != account:
        return None  # our own payment to someone else
    return StatementPayment(
        number=_first(fields, "Номер", "НомерДокумента")[:64],
        document_date=_date(_first(fields, "Дата", "ДатаДокумента")),
        received_on=_date(_first(fields, "ДатаПоступило", "ДатаОперации", "ДатаВалютирования")),
        amount=amount,
        payer_name=_first(fields, "ПлательщикНаименование", "Плательщик1", "Плательщик")[:300],
        payer_bin=re.sub(
            r"\D",
            "",
            _first(fields, "ПлательщикБИН_ИИН", "ПлательщикБИН", "ПлательщикИИН", "ПлательщикИНН"),
        )[:12],
        payer_account=payer_account[:34],
        purpose=_first(fields, "НазначениеПлатежа")[:1000],
    )


def statement_parse(raw: bytes, *, account: str = "") -> Statement:
    """Read a 1CClientBankExchange file. ``account`` is the organizer's IBAN: a document paid
    into it counts as incoming even without the bank's "received" date.

    Raises ``StatementInvalid`` (a message for the form) for anything that is not such a file.
    """
    text = statement_decode(raw)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines or lines[0].lstrip("\ufeff") != SIGNATURE:
        raise StatementInvalid(
            _(
                "This is not a bank statement in the 1C exchange format: the file must begin "
                "with the line “1CClientBankExchange”. Export the statement from your bank's "
                "client for 1C and upload that file."
            )
        )
    header_account = ""
    documents = 0
    payments: list[StatementPayment] = []
    section: dict[str, str] | None = None
    for number, line in enumerate(lines[1:], start=2):
        key, sep, raw_value = line.partition("=")
        key_lower = key.strip().lower()
        if key_lower == "секциядокумент":
            if section is not None:
                raise StatementInvalid(
                    _("Line %(line)d: a document starts before the previous one ends.")
                    % {"line": number}
                )
            section = {"вид": _value(raw_value)}
            documents += 1
            continue
        if key_lower == "конецдокумента":
            if section is None:
                raise StatementInvalid(
                    _("Line %(line)d: a document ends that never started.") % {"line": number}
                )
            payment = _incoming(section, _account(account) or header_account)
            if payment is not None:
                payments.append(payment)
            section = None
            continue
        if key_lower == "конецфайла":
            break
        if not sep:
            continue  # a section marker such as СекцияРасчСчет / КонецРасчСчет
        if section is not None:
            section[key_lower] = _value(raw_value)
        elif key_lower == "расчсчет" and not header_account:
            header_account = _account(_value(raw_value))
    if section is not None:
        raise StatementInvalid(_("The file ends inside a document: it is cut short."))
    if documents == 0:
        raise StatementInvalid(_("The statement holds no payment documents."))
    return Statement(account=header_account, documents=documents, payments=payments)
