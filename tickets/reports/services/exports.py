"""Exports: attendees (one row per valid ticket, chosen columns, answers) and the payout report.

Every cell goes through ``eventum.spreadsheets`` (formula injection escaped, phones as text).

Restricted buyers are masked (privacy's guard once per export, ``mask_row`` per row)
and every export writes a row in privacy's disclosure log. Small exports are answered at once;
larger ones become an ``AttendeeExport`` job written by a Celery task under PRIVATE_MEDIA_ROOT.
"""

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Session
from eventum.outbox import outbox_enqueue
from eventum.spreadsheets import CellKind, csv_bytes, xlsx_bytes
from organizers.models import Organizer
from privacy.services import Subject, disclosure_record, mask_row, subjects_guard
from tickets.buyer_privacy import orders_guard
from tickets.models import Answer, AttendeeExport, Order, OrderItem, Question
from tickets.reports.selectors import Revenue, event_rows, fee_percent, revenue
from tickets.reports.service_days import items_of_day

# Up to this many tickets the file is made in the request; above it, by a Celery task.
SYNC_ROW_LIMIT = 500

# key → (label, personal data?). Keys with "name", "email" or "phone" are masked by kind.
COLUMNS: dict[str, tuple[Any, bool]] = {
    "code": (gettext_lazy("Order"), False),
    "ticket": (gettext_lazy("Ticket"), False),
    "session": (gettext_lazy("Session"), False),
    "ticket_type": (gettext_lazy("Ticket type"), False),
    "seat": (gettext_lazy("Seat"), False),
    "price": (gettext_lazy("Price"), False),
    "amount": (gettext_lazy("Amount paid"), False),
    "promo": (gettext_lazy("Promo code"), False),
    "surname": (gettext_lazy("Surname"), True),
    "name": (gettext_lazy("Name"), True),
    "email": (gettext_lazy("E-mail"), True),
    "phone": (gettext_lazy("Phone"), True),
    "placed": (gettext_lazy("Placed"), False),
    "paid": (gettext_lazy("Paid at"), False),
    "checked_in": (gettext_lazy("Checked in"), False),
}
DEFAULT_COLUMNS = [
    "code",
    "ticket",
    "session",
    "ticket_type",
    "seat",
    "surname",
    "name",
    "email",
    "phone",
]
# How cells are written (eventum.spreadsheets): what buyers or organizers typed is free text,
# escaped even when it looks like a number; amounts are numbers; phones are text cells.
CELL_KINDS: dict[str, CellKind] = {
    "ticket_type": CellKind.TEXT,
    "seat": CellKind.TEXT,
    "promo": CellKind.TEXT,
    "surname": CellKind.TEXT,
    "name": CellKind.TEXT,
    "email": CellKind.TEXT,
    "phone": CellKind.PHONE,
    "price": CellKind.NUMBER,
    "amount": CellKind.NUMBER,
}
NOT_PERSONAL = tuple(key for key, (_label, personal) in COLUMNS.items() if not personal)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Registered by ``tickets.reports.tasks`` under the name it had before the reports package
# (messages already in the outbox keep working); services enqueue by name.
ATTENDEE_EXPORT_TASK = "tickets.tasks_reports.attendee_export_task"


@dataclass(frozen=True)
class ExportSpec:
    organizer: Organizer
    event: Event
    session: Session | None
    columns: list[str]
    question_ids: list[int]
    file_format: str
    day: date | None = None  # a service's day: the tickets of its slots


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes
    content_type: str
    rows: int


def _items(spec: ExportSpec) -> QuerySet[OrderItem]:
    items = OrderItem.objects.filter(
        order__event=spec.event,
        status=OrderItem.Status.VALID,
        order__status=Order.Status.PAID,
    )
    if spec.session is not None:
        items = items.filter(ticket_type__session=spec.session)
    elif spec.day is not None:
        items = items_of_day(items, event=spec.event, day=spec.day)
    return items


def attendee_count(spec: ExportSpec) -> int:
    return _items(spec).count()


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def _cells(item: OrderItem) -> dict[str, Any]:
    order = item.order
    check_in = getattr(item, "check_in", None)
    return {
        "code": order.code,
        "ticket": item.pk,
        "session": _local(item.ticket_type.session.starts_at),
        "ticket_type": item.ticket_type.name,
        "seat": item.seat_label,
        "price": f"{item.price:.2f}",
        "amount": f"{item.amount:.2f}",
        "promo": order.promo_code.code if order.promo_code is not None else "",
        "surname": order.surname,
        "name": order.name,
        "email": order.email,
        "phone": order.phone,
        "placed": _local(order.created_at),
        "paid": _local(order.paid_at),
        "checked_in": _local(check_in.checked_in_at) if check_in else "",
    }


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Any]]
    subjects: list[str]
    fields: list[str]


def attendee_table(spec: ExportSpec) -> Table:
    """Headers and masked rows of the export, in a fixed number of queries."""
    questions = list(
        Question.objects.filter(event=spec.event, pk__in=spec.question_ids).order_by(
            "position", "id"
        )
    )
    items = list(
        _items(spec)
        .select_related("order__promo_code", "ticket_type__session", "check_in")
        .order_by("ticket_type__session__starts_at", "order__created_at", "order_id", "id")
    )
    answers: dict[tuple[int, int], str] = {}
    if questions:
        for order_id, question_id, value, file_name in Answer.objects.filter(
            order__event=spec.event, question__in=questions
        ).values_list("order_id", "question_id", "value", "file_name"):
            answers[(order_id, question_id)] = value or file_name
    guard = orders_guard(i.order for i in items)
    columns = [c for c in COLUMNS if c in spec.columns]
    rows: list[list[Any]] = []
    subjects: set[str] = set()
    for item in items:
        order = item.order
        cells = _cells(item)
        row = {key: cells[key] for key in columns}
        for question in questions:
            row[f"q{question.pk}"] = answers.get((order.pk, question.pk), "")
        blocked = guard.is_restricted(email=order.email, phone=order.phone, user_id=order.user_id)
        if not blocked:
            subjects.add(order.email)
        row = mask_row(row, blocked=blocked, keep=NOT_PERSONAL)
        rows.append(list(row.values()))
    headers = [str(COLUMNS[c][0]) for c in columns] + [q.label for q in questions]
    fields = [c for c in columns if COLUMNS[c][1]] + [q.label for q in questions]
    return Table(headers=headers, rows=rows, subjects=sorted(subjects), fields=fields)


def _cell_kinds(spec: ExportSpec, table: Table) -> list[CellKind]:
    """How each column of ``table`` is written: the chosen columns, then the answers (text)."""
    keys = [c for c in COLUMNS if c in spec.columns]
    kinds = [CELL_KINDS.get(key, CellKind.AUTO) for key in keys]
    return kinds + [CellKind.TEXT] * (len(table.headers) - len(keys))


def _file_name(spec: ExportSpec) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"attendees-{spec.event.slug}-{stamp}.{spec.file_format}"


def _disclose(spec: ExportSpec, table: Table, user: User | None) -> None:
    disclosure_record(
        actor=user,
        recipient=spec.organizer.legal_name or spec.organizer.public_name,
        subjects=table.subjects,
        fields=table.fields,
        purpose=_("Attendee export: %(event)s") % {"event": spec.event.title},
        channel="export",
    )


@transaction.atomic
def attendee_export_build(*, spec: ExportSpec, user: User | None) -> ExportFile:
    """Make the export file now and record the disclosure (for small exports)."""
    table = attendee_table(spec)
    kinds = _cell_kinds(spec, table)
    if spec.file_format == AttendeeExport.Format.XLSX:
        content = xlsx_bytes(table.headers, table.rows, title=_("Attendees"), kinds=kinds)
    else:
        content = csv_bytes(table.headers, table.rows, kinds=kinds)
    _disclose(spec, table, user)
    return ExportFile(
        name=_file_name(spec),
        content=content,
        content_type=CONTENT_TYPES[spec.file_format],
        rows=len(table.rows),
    )


@transaction.atomic
def attendee_export_request(
    *, spec: ExportSpec, user: User | None, language: str
) -> AttendeeExport:
    """Queue a large export: a job row now, the file from a Celery task after commit."""
    export = AttendeeExport.objects.create(
        organizer=spec.organizer,
        event=spec.event,
        session=spec.session,
        day=spec.day,
        created_by=user if user is not None and user.is_authenticated else None,
        file_format=spec.file_format,
        columns=list(spec.columns),
        question_ids=[int(q) for q in spec.question_ids],
        language=language,
    )
    outbox_enqueue(ATTENDEE_EXPORT_TASK, export.pk)  # survives a broker outage
    return export


def _spec_of(export: AttendeeExport) -> ExportSpec:
    return ExportSpec(
        organizer=export.organizer,
        event=export.event,
        session=export.session,
        day=export.day,
        columns=list(export.columns),
        question_ids=list(export.question_ids),
        file_format=export.file_format,
    )


@transaction.atomic
def attendee_export_run(*, export_id: int) -> AttendeeExport | None:
    """Write the queued export's file; a job already done is left as it is (idempotent)."""
    export = (
        AttendeeExport.objects.select_for_update(of=("self",))
        .select_related("organizer", "event", "session", "created_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.status != AttendeeExport.Status.PENDING:
        return export
    with translation.override(export.language):
        result = attendee_export_build(spec=_spec_of(export), user=export.created_by)
    export.file.save(result.name, ContentFile(result.content), save=False)
    export.row_count = result.rows
    export.status = AttendeeExport.Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "row_count", "status", "finished_at"])
    return export


def _file_text(export: AttendeeExport) -> str:
    """The stored file's text: the CSV itself, or every XML part of the XLSX."""
    with export.file.open("rb") as handle:
        data = handle.read()
    if export.file_format != AttendeeExport.Format.XLSX:
        return str(data.decode("utf-8", errors="replace"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode("utf-8", errors="replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def attendee_export_has_restricted(export: AttendeeExport) -> bool:
    """Does this stored file still show a buyer whose data is restricted now? A file written
    before their block (or withdrawal) must be written again before anyone downloads it."""
    buyers = list(
        _items(_spec_of(export))
        .values_list("order__email", "order__phone", "order__user_id", "order__surname")
        .distinct()
    )
    guard = subjects_guard(Subject(email=e, phone=p, user_id=u) for e, p, u, _s in buyers)
    restricted = [
        (e, p, s) for e, p, u, s in buyers if guard.is_restricted(email=e, phone=p, user_id=u)
    ]
    if not restricted:
        return False
    text = _file_text(export)
    return any(value and value in text for buyer in restricted for value in buyer)


@transaction.atomic
def attendee_export_refresh(*, export_id: int) -> AttendeeExport:
    """Write a stored export's file again from its own choices, masking restricted buyers now.

    Called on download when ``attendee_export_has_restricted``: the organizer never gets the
    old file of someone blocked since. The rewrite is a new disclosure like the first one."""
    export = (
        AttendeeExport.objects.select_for_update(of=("self",))
        .select_related("organizer", "event", "session", "created_by")
        .get(pk=export_id)
    )
    old = export.file.name
    with translation.override(export.language):
        result = attendee_export_build(spec=_spec_of(export), user=export.created_by)
    export.file.save(result.name, ContentFile(result.content), save=False)
    export.row_count = result.rows
    export.save(update_fields=["file", "row_count"])
    if old and old != export.file.name:
        storage = export.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return export


@transaction.atomic
def attendee_export_fail(*, export_id: int, error: str) -> None:
    """The task gave up: the organizer sees the job as failed and can ask again."""
    AttendeeExport.objects.filter(pk=export_id, status=AttendeeExport.Status.PENDING).update(
        status=AttendeeExport.Status.FAILED, error=error[:300], finished_at=timezone.now()
    )


def exports_of_organizer(*, organizer: Organizer) -> Iterable[AttendeeExport]:
    return (
        AttendeeExport.objects.filter(organizer=organizer)
        .select_related("event", "session", "created_by")
        .order_by("-created_at", "-id")
    )


def _payout_amounts(figures: Revenue) -> list[str]:
    return [
        f"{value:.2f}"
        for value in (figures.gross, figures.refunds, figures.net, figures.fee, figures.payout)
    ]


def payout_export_build(*, organizer: Organizer) -> ExportFile:
    """The payout report as CSV: per event gross, refunds, net, the portal's fee and the payout,
    then the organizer's total. Nothing personal, so no disclosure is recorded."""
    headers = [
        _("Event"),
        _("Paid orders"),
        _("Gross"),
        _("Refunds"),
        _("Net"),
        _("Portal fee, %(percent)s%%") % {"percent": fee_percent()},
        _("Payout"),
    ]
    rows: list[list[Any]] = [
        [row.event.title, row.revenue.orders, *_payout_amounts(row.revenue)]
        for row in event_rows(organizer=organizer, tickets=False)
    ]
    total = revenue(organizer=organizer)
    rows.append([_("Total"), total.orders, *_payout_amounts(total)])
    kinds = [CellKind.TEXT, CellKind.AUTO] + [CellKind.NUMBER] * 5
    stamp = timezone.localdate().isoformat()
    return ExportFile(
        name=f"payout-{organizer.slug}-{stamp}.csv",
        content=csv_bytes(headers, rows, kinds=kinds),
        content_type=CONTENT_TYPES["csv"],
        rows=len(rows),
    )
