"""Waiting list pages: joining, the offer's one-use link, leaving, the organizer's list."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from events.models import Event, TicketType
from organizers.permissions import ROLES_ORDERS, organizer_object_or_404, organizer_role_required
from tickets.access import cart_token_for
from tickets.buyer_privacy import buyers_disclosed, organizer_recipient
from tickets.errors import TicketsError
from tickets.waitlist.forms import WAITLIST_CONSENT, WaitlistJoinForm
from tickets.waitlist.models import WaitlistEntry
from tickets.waitlist.selectors import event_waitlists
from tickets.waitlist.services import waitlist_join, waitlist_leave, waitlist_offer_next
from tickets.waitlist.services import waitlist_offer_take as offer_take

JOINED = _("You are on the waiting list. When a ticket comes back, we will e-mail you an offer.")
LEFT = _("You have left the waiting list.")


def _ticket_type_or_404(ticket_type_id: int) -> TicketType:
    ticket_type = (
        TicketType.objects.select_related("session__event")
        .filter(pk=ticket_type_id, session__event__status=Event.Status.PUBLISHED)
        .first()
    )
    if ticket_type is None:
        raise Http404
    return ticket_type


@require_http_methods(["GET", "POST"])
def waitlist_join_page(request: HttpRequest, ticket_type_id: int) -> HttpResponse:
    ticket_type = _ticket_type_or_404(ticket_type_id)
    form = WaitlistJoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            waitlist_join(
                ticket_type_id=ticket_type.pk,
                email=form.cleaned_data["email"],
                consent_wording=str(WAITLIST_CONSENT),
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except TicketsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, JOINED)
            return redirect(ticket_type.session.event.get_absolute_url())
    context = {
        "ticket_type": ticket_type,
        "event": ticket_type.session.event,
        "form": form,
        "offer_hours": settings.TICKETS_WAITLIST_OFFER_HOURS,
    }
    return render(
        request, "tickets/waitlist/join.html", context, status=400 if form.errors else 200
    )


def _entry_or_404(token: str) -> WaitlistEntry:
    entry = (
        WaitlistEntry.objects.select_related("ticket_type__session__event")
        .filter(offer_token=token)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


@require_http_methods(["GET", "POST"])
def waitlist_offer(request: HttpRequest, token: str) -> HttpResponse:
    """The offer's link: a GET shows it; the POST takes it into a cart and opens the checkout."""
    entry = _entry_or_404(token)
    if request.method == "POST":
        try:
            offer_take(token=token, cart_token=cart_token_for(request, create=True) or "")
        except TicketsError as exc:
            messages.error(request, exc.message)
            return redirect("tickets:waitlist_offer", token)
        return redirect("tickets:checkout")
    context = {
        "entry": entry,
        "ticket_type": entry.ticket_type,
        "event": entry.ticket_type.session.event,
    }
    status = 200 if entry.status == WaitlistEntry.Status.OFFERED else 410
    return render(request, "tickets/waitlist/offer.html", context, status=status)


@require_http_methods(["GET", "POST"])
def waitlist_leave_page(request: HttpRequest, token: str) -> HttpResponse:
    entry = _entry_or_404(token)
    if request.method == "POST":
        waitlist_leave(token=token)
        messages.success(request, LEFT)
        return redirect(entry.ticket_type.session.event.get_absolute_url())
    return render(request, "tickets/waitlist/leave.html", {"entry": entry})


@organizer_role_required(*ROLES_ORDERS)
def waitlist_cabinet(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    """The event's waiting lists; restricted people's e-mails come out masked."""
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    lists = event_waitlists(event=event)
    buyers_disclosed(
        actor=request.user,
        recipient=organizer_recipient(request.organizer),
        orders=[e for waitlist in lists for e in waitlist.entries],  # type: ignore[misc]
        purpose=str(_("Waiting list in the organizer's cabinet")),
        channel="list_view",
        fields=("email",),
    )
    context = {"organizer": request.organizer, "event": event, "lists": lists}
    return render(request, "tickets/waitlist/cabinet.html", context)


@require_POST
@organizer_role_required(*ROLES_ORDERS)
def waitlist_offer_send(
    request: HttpRequest, organizer_slug: str, event_slug: str, ticket_type_id: int
) -> HttpResponse:
    """Send offers by hand for the free tickets of one type (capacity just added)."""
    ticket_type = organizer_object_or_404(
        TicketType,
        organizer=request.organizer,
        organizer_field="session__event__organizer",
        pk=ticket_type_id,
        session__event__slug=event_slug,
    )
    sent = waitlist_offer_next(ticket_type_id=ticket_type.pk)
    if sent:
        messages.success(
            request,
            ngettext("%(count)d offer sent.", "%(count)d offers sent.", sent) % {"count": sent},
        )
    else:
        messages.error(request, _("No offer sent: no free tickets of this type, or nobody waits."))
    return redirect("tickets:cabinet_waitlist", organizer_slug, event_slug)
