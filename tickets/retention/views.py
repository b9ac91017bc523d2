"""The organizer destroys an event's personal data after the event: a preview, then a confirmed
POST. Only the owner may: it cannot be undone."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from events.models import Event
from organizers.permissions import ROLES_PROFILE, organizer_object_or_404
from organizers.permissions import organizer_role_required as role_required
from tickets.errors import TicketsError
from tickets.retention.services import event_personal_data_destroy, event_personal_data_preview


class DestroyConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the buyers' personal data of this event cannot be restored"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


@role_required(*ROLES_PROFILE)  # the owner only: destroying data cannot be undone
def event_data_destroy(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    form = DestroyConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = event_personal_data_destroy(event=event, by=request.user)
        except TicketsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Personal data of %(count)s orders destroyed.") % {"count": count},
            )
            return redirect("tickets:cabinet_event_data_destroy", organizer_slug, event.slug)
    context = {
        "organizer": request.organizer,
        "event": event,
        "preview": event_personal_data_preview(event=event),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "tickets/cabinet/event_data_destroy.html", context, status=status)
