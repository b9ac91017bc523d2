"""Search and filters of the organizer's order list: code, name, e-mail or phone; status,
event, session, ticket type and date range. A restricted buyer (blocked, or consent withdrawn)
is found by the order code only, never by their name, e-mail or phone."""

import re

from django import forms
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from events.models import Event, Session, TicketType
from privacy.identity import normalise_phone
from privacy.services import restricted_subject_q
from tickets.models import Order, OrderItem

_PHONE_LIKE = re.compile(r"^[\d\s()+\-]+$")
_DIGITS = re.compile(r"\D")


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return str(obj)


class TicketTypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: TicketType) -> str:
        return f"{obj.session.event.title}: {obj.name} ({obj.session})"


class OrderSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Order number, name, e-mail or phone"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Order.Status.choices]
    )
    event = forms.SlugField(label=_("Event"), required=False, max_length=120)
    session = SessionChoice(
        label=_("Session"), required=False, queryset=Session.objects.none(), empty_label=_("All")
    )
    ticket_type = TicketTypeChoice(
        label=_("Ticket type"),
        required=False,
        queryset=TicketType.objects.none(),
        empty_label=_("All"),
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
        self.events = list(Event.objects.filter(organizer=organizer).order_by("-created_at"))
        self.fields["session"].queryset = (
            Session.objects.filter(event__organizer=organizer)
            .select_related("event")
            .order_by("-starts_at")
        )
        self.fields["ticket_type"].queryset = (
            TicketType.objects.filter(session__event__organizer=organizer)
            .select_related("session__event")
            .order_by("session__event_id", "session__starts_at", "position", "id")
        )

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


def orders_search(*, organizer, filters: dict) -> QuerySet[Order]:
    """The organizer's orders matching ``filters`` (see ``OrderSearchForm``), newest first."""
    qs = (
        Order.objects.filter(event__organizer=organizer)
        .select_related("event")
        .annotate(tickets=Count("items", filter=Q(items__status=OrderItem.Status.VALID)))
        .order_by("-created_at", "-id")
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("event"):
        qs = qs.filter(event__slug=filters["event"])
    # Exists, not a join: an order with several matching tickets stays one row.
    items = OrderItem.objects.filter(order=OuterRef("pk"))
    if filters.get("session"):
        qs = qs.filter(Exists(items.filter(ticket_type__session=filters["session"])))
    if filters.get("ticket_type"):
        qs = qs.filter(Exists(items.filter(ticket_type=filters["ticket_type"])))
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    if filters.get("q"):
        qs = qs.filter(_text_condition(filters["q"]))
    return qs


def _text_condition(query: str) -> Q:
    query = query.strip()
    return Q(code__iexact=query.upper()) | (_personal_condition(query) & ~restricted_subject_q())


def _personal_condition(query: str) -> Q:
    condition = Q(email__icontains=query)
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
