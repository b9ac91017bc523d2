"""Transfer pages: the organizer's rules in the cabinet, the buyer giving a ticket away."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from events.models import Event
from organizers.permissions import ROLES_EVENTS, organizer_object_or_404, organizer_role_required
from tickets.access import is_buyer
from tickets.errors import TicketsError
from tickets.models import Order
from tickets.transfers.forms import HOLDER_CONSENT, TicketTransferForm, TransferRulesForm
from tickets.transfers.models import TransferRules
from tickets.transfers.selectors import (
    order_tickets_for_transfer,
    transfer_rules_of,
    transfer_terms_for_event,
)
from tickets.transfers.services import ticket_transfer, transfer_rules_save

SAVED = _("The transfer rules are saved.")
GIVEN = _(
    "Done: the ticket has a new QR code and is on its way to %(email)s. The old code no longer "
    "lets anyone in."
)


@organizer_role_required(*ROLES_EVENTS)
def transfer_rules(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    rules = transfer_rules_of(event) or TransferRules(event=event)
    form = TransferRulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        transfer_rules_save(event=event, **form.cleaned_data)
        messages.success(request, SAVED)
        return redirect("tickets:cabinet_transfer_rules", organizer_slug, event.slug)
    context = {
        "organizer": request.organizer,
        "event": event,
        "terms": transfer_terms_for_event(event),
        "form": form,
    }
    return render(
        request, "tickets/transfers/rules_form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def order_transfer_page(request: HttpRequest, code: str) -> HttpResponse:
    """The buyer gives one ticket of the order to someone else (name and e-mail)."""
    order = get_object_or_404(Order.objects.select_related("event"), code=code.upper())
    if not is_buyer(request, order):
        raise Http404
    terms, tickets = order_tickets_for_transfer(order=order)
    choices = [
        (t.item.pk, f"{t.item.ticket_type.name} {order.code}-{t.item.pk}")
        for t in tickets
        if not t.refused
    ]
    form = TicketTransferForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = ticket_transfer(
                order_id=order.pk,
                item_id=form.cleaned_data["item"],
                to_name=form.cleaned_data["name"],
                to_email=form.cleaned_data["email"],
                consent_wording=str(HOLDER_CONSENT),
                user=request.user,
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except TicketsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, GIVEN % {"email": transfer.to_email})
            return redirect(order.get_absolute_url())
    context = {
        "order": order,
        "terms": terms,
        "tickets": tickets,
        "form": form,
        "action": reverse("tickets:order_transfer", args=[order.code]),
    }
    return render(
        request,
        "tickets/transfers/order_transfer.html",
        context,
        status=400 if form.errors else 200,
    )
