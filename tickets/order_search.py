"""Search and filters of the organizer's order list: code, name, e-mail or phone; status,
event, session, ticket type and date range. A restricted buyer (blocked, or consent withdrawn)
is found by the order code only, never by their name, e-mail or phone."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname, resolution_order

from events.models import Event, Session, TicketType
from events.selectors import any_language, organizer_events_typed
from privacy.identity import normalise_phone
from privacy.services import restricted_subject_q
from tickets.models import Order, OrderItem
from tickets.order_status import last_payment_status
from tickets.selectors import valid_tickets_count

if TYPE_CHECKING:
    from privacy.services import SubjectDisplay

_PHONE_LIKE = re.compile(r"^[\d\s()+\-]+$")
_DIGITS = re.compile(r"\D")


class OrderSearchForm(forms.Form):
    """The order list's filters. Events, sessions and ticket types are typed, never listed: an
    organizer with ten thousand events gets a text box (with suggestions from
    ``order_filter_suggestions`` when JavaScript runs), not a drop-down of every one."""

    q = forms.CharField(
        label=_("Order number, name, e-mail or phone"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Order.Status.choices]
    )
    event = forms.CharField(
        label=_("Event"),
        required=False,
        max_length=200,
        help_text=_("Part of its title"),
    )
    session = forms.CharField(
        label=_("Session"),
        required=False,
        max_length=40,
        help_text=_("A day, e.g. 20.12.2026, or a day and time: 20.12.2026 19:00"),
    )
    ticket_type = forms.CharField(
        label=_("Ticket type"), required=False, max_length=100, help_text=_("Part of its name")
    )
    date_from = forms.DateField(
        label=_("Placed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Placed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organizer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organizer = organizer
        for name, kind in (
            ("event", "event"),
            ("session", "session"),
            ("ticket_type", "ticket_type"),
        ):
            self.fields[name].widget.attrs.update(
                {"data-suggest": kind, "list": f"suggest-{kind}", "autocomplete": "off"}
            )

    def clean_session(self) -> tuple[str, object] | None:
        """A session's id (from a link), a day, or a day and minute."""
        text = self.cleaned_data["session"].strip()
        if not text:
            return None
        if text.isdigit():
            if not Session.objects.filter(pk=int(text), event__organizer=self.organizer).exists():
                raise forms.ValidationError(_("No such session among your events."))
            return ("id", int(text))
        for pattern in MINUTE_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
            except ValueError:
                continue
            return ("minute", timezone.make_aware(moment))
        for pattern in DAY_FORMATS:
            try:
                return ("day", datetime.strptime(text, pattern).date())
            except ValueError:
                continue
        raise forms.ValidationError(
            _("Enter a day, e.g. 20.12.2026, or a day and time: 20.12.2026 19:00.")
        )

    def clean_ticket_type(self) -> tuple[str, object] | None:
        """A ticket type's id (from a link) or part of its name."""
        text = self.cleaned_data["ticket_type"].strip()
        if not text:
            return None
        if text.isdigit():
            owned = TicketType.objects.filter(
                pk=int(text), session__event__organizer=self.organizer
            )
            if not owned.exists():
                raise forms.ValidationError(_("No such ticket type among your events."))
            return ("id", int(text))
        return ("name", text)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> dict:
        """The valid filters; a field with an error is left out (and shown with its message)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if v not in (None, "") and k not in self.errors
        }


MINUTE_FORMATS = ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")
DAY_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
SUGGESTIONS = 10


# What a row of the list shows (``tickets_cabinet_orders``), its status (``order_status``) and
# its buyer as others see them (``orders_shown_to_others``): reading nothing else saves building
# fifty orders and events of every column (secrets, descriptions, covers) for each page.
ORDER_LIST_FIELDS = (
    "code",
    "created_at",
    "needs_review",
    "status",
    "total",
    "refunded_amount",
    "surname",
    "name",
    "email",
    "phone",
    "user_id",
    "event__title",
    *(f"event__title_{code}" for code, _name in settings.LANGUAGES),
)


def orders_search(*, organizer, filters: dict) -> QuerySet[Order]:
    """The organizer's orders matching ``filters`` (see ``OrderSearchForm``), newest first,
    with the columns the list shows (``ORDER_LIST_FIELDS``)."""
    # The organizer's own column and index (``order_organizer_newest``) and per-row subqueries,
    # not a join and GROUP BY over every order: a page reads its rows and stops.
    qs = (
        Order.objects.filter(organizer=organizer)
        .select_related("event")
        .only(*ORDER_LIST_FIELDS)
        .annotate(tickets=valid_tickets_count())
        .annotate(last_payment_status=last_payment_status())
        .order_by("-created_at", "-id")
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("event"):
        qs = qs.filter(event__in=organizer_events_typed(organizer=organizer, text=filters["event"]))
    # Exists, not a join: an order with several matching tickets stays one row.
    items = OrderItem.objects.filter(order=OuterRef("pk"))
    if filters.get("session"):
        kind, value = filters["session"]
        if kind == "id":
            qs = qs.filter(Exists(items.filter(ticket_type__session_id=value)))
        elif kind == "day":
            qs = qs.filter(Exists(items.filter(ticket_type__session__starts_at__date=value)))
        else:
            minute = (value, value + timedelta(minutes=1))
            qs = qs.filter(Exists(items.filter(ticket_type__session__starts_at__range=minute)))
    if filters.get("ticket_type"):
        kind, value = filters["ticket_type"]
        if kind == "id":
            qs = qs.filter(Exists(items.filter(ticket_type_id=value)))
        else:
            by_name = any_language("name", "icontains", value, through="ticket_type__")
            qs = qs.filter(Exists(items.filter(by_name)))
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    if filters.get("q"):
        qs = qs.filter(_text_condition(filters["q"]))
    return qs


def _text_condition(query: str) -> Q:
    query = query.strip()
    # Codes are stored upper-case: an exact match on the unique index.
    return Q(code=query.upper()) | (_personal_condition(query) & ~restricted_subject_q())


def _personal_condition(query: str) -> Q:
    # E-mails are stored lower-case: the start of one is a range on the e-mail's index (on
    # PostgreSQL Django adds its pattern twin, ``…_like``, for LIKE 'x%').
    condition = Q(email__startswith=query.lower())
    if "@" in query:
        return condition  # an e-mail (or its start) is no name or phone: the index alone
    digits = _DIGITS.sub("", query)
    if _PHONE_LIKE.match(query) and len(digits) >= 4:
        # A whole number is found in the form orders store it in; a fragment as typed.
        whole = normalise_phone(query)
        condition |= Q(phone=whole) if whole else Q(phone__contains=digits)
    words = query.split()
    if words:
        name = Q()
        for word in words[:4]:
            name &= Q(surname__icontains=word) | Q(name__icontains=word)
        condition |= name
    return condition


def order_filter_suggestions(
    *, organizer, kind: str, text: str, event_text: str = ""
) -> list[dict]:
    """A few values for one of the order list's typed filters (``kind``: event, session or
    ticket_type), as the organizer types ``text``; sessions and ticket types of the events
    matching ``event_text`` when it is given. Never more than ``SUGGESTIONS`` rows."""
    text = text.strip()
    if kind == "event":
        events = Event.objects.filter(organizer=organizer)
        if text:
            events = events.filter(any_language("title", "icontains", text))
        return [
            {"value": event.title, "label": event.slug}
            for event in events.order_by("-created_at", "-id")[:SUGGESTIONS]
        ]
    sessions = Session.objects.filter(event__organizer=organizer)
    if event_text.strip():
        sessions = sessions.filter(
            event__in=organizer_events_typed(organizer=organizer, text=event_text)
        )
    if kind == "session":
        day_month = re.match(r"^(\d{1,2})\.(\d{1,2})", text)
        if day_month:
            day, month = (int(part) for part in day_month.groups())
            sessions = sessions.filter(starts_at__day=day, starts_at__month=month)
        now = timezone.now()
        # the coming sessions first, then the most recent ones
        upcoming = list(
            sessions.filter(starts_at__gte=now)
            .select_related("event")
            .order_by("starts_at")[:SUGGESTIONS]
        )
        past = list(
            sessions.filter(starts_at__lt=now)
            .select_related("event")
            .order_by("-starts_at")[: SUGGESTIONS - len(upcoming)]
        )
        return [
            {
                "value": date_format(timezone.localtime(session.starts_at), "d.m.Y H:i"),
                "label": session.event.title,
            }
            for session in upcoming + past
        ]
    if kind == "ticket_type":
        ticket_types = TicketType.objects.filter(session__in=sessions)
        if text:
            ticket_types = ticket_types.filter(any_language("name", "icontains", text))
        names: list[str] = []
        for ticket_type in ticket_types.order_by("name_ru", "id")[: SUGGESTIONS * 5]:
            if ticket_type.name not in names:
                names.append(ticket_type.name)
        return [{"value": name, "label": ""} for name in names[:SUGGESTIONS]]
    return []


PAGE_SIZE = 50
COUNT_CAP = 1000


_TITLES = tuple(build_localized_fieldname("title", code) for code, _name in settings.LANGUAGES)


@dataclass
class OrderRow:
    """One row of the order list: the values it shows, its status (``order_status``) and its
    buyer as others see them (``orders_shown_to_others`` sets ``shown``). Plain columns: fifty
    orders and their events built as models cost more CPU than the rest of the page's query."""

    pk: int
    code: str
    created_at: datetime
    needs_review: bool
    status: str
    total: Decimal
    refunded_amount: Decimal
    surname: str
    name: str
    email: str
    phone: str
    user_id: int | None
    tickets: int
    last_payment_status: str | None
    titles: dict[str, str]  # the event's title by column (``title_ru``, ``title_kk``, …)

    COLUMNS = (
        *("pk", "code", "created_at", "needs_review", "status", "total", "refunded_amount"),
        *("surname", "name", "email", "phone", "user_id", "tickets", "last_payment_status"),
        *(f"event__{title}" for title in _TITLES),
    )

    if TYPE_CHECKING:
        shown: SubjectDisplay

    @classmethod
    def from_values(cls, values: tuple) -> "OrderRow":
        head = len(cls.COLUMNS) - len(_TITLES)
        return cls(*values[:head], titles=dict(zip(_TITLES, values[head:], strict=True)))

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.name}".strip()

    @property
    def event_title(self) -> str:
        """In the page's language, else its fallbacks (Russian), as the event's own field."""
        for code in resolution_order(get_language() or settings.LANGUAGE_CODE):
            title = self.titles.get(build_localized_fieldname("title", code))
            if title:
                return title
        return ""


@dataclass(frozen=True)
class OrdersPage:
    """One page of the order list, reached by cursor (the last row's placing time and id), so a
    deep page costs what the first one does; the count stops at ``COUNT_CAP``."""

    orders: list[OrderRow]
    newer: str | None  # cursor of the page before (newer orders)
    older: str | None  # cursor of the page after (older orders)
    count: int
    count_capped: bool


def _cursor(order: Order | OrderRow) -> str:
    return f"{order.created_at.isoformat()}_{order.pk}"


def _parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    if not value or "_" not in value:
        return None
    moment, _sep, pk = value.rpartition("_")
    try:
        when = datetime.fromisoformat(moment)
    except ValueError:
        return None
    if not pk.isdigit() or when.tzinfo is None:
        return None
    return when, int(pk)


def _rows(orders: QuerySet[Order]) -> list[OrderRow]:
    """The first ``PAGE_SIZE + 1`` of ``orders`` (annotated by ``orders_search``) as rows."""
    values = orders.values_list(*OrderRow.COLUMNS)[: PAGE_SIZE + 1]
    return [OrderRow.from_values(row) for row in values]


def orders_page(
    orders: QuerySet[Order], *, older_than: str | None = None, newer_than: str | None = None
) -> OrdersPage:
    """A page of ``orders`` (newest first) after the ``older_than`` cursor, or before the
    ``newer_than`` one; a cursor that does not parse starts from the newest."""
    older, newer = _parse_cursor(older_than), _parse_cursor(newer_than)
    matching = orders
    if newer is not None:
        moment, pk = newer
        # the plain bound lets the index start at the cursor instead of at the newest order
        after = Q(created_at__gt=moment) | Q(created_at=moment, pk__gt=pk)
        rows = _rows(orders.filter(after, created_at__gte=moment).order_by("created_at", "id"))
        has_newer = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        has_older = True
    else:
        if older is not None:
            moment, pk = older
            before = Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk)
            orders = orders.filter(before, created_at__lte=moment)
        rows = _rows(orders)
        has_older = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        has_newer = older is not None
    if newer is None and older is None and not has_older:
        count = len(rows)  # the first page holds them all (a search, a narrow filter)
    else:
        # the count needs the rows, not their per-row figures (subqueries) nor their order
        count = matching.order_by().values("pk")[: COUNT_CAP + 1].count()
    return OrdersPage(
        orders=rows,
        newer=_cursor(rows[0]) if rows and has_newer else None,
        older=_cursor(rows[-1]) if rows and has_older else None,
        count=min(count, COUNT_CAP),
        count_capped=count > COUNT_CAP,
    )
