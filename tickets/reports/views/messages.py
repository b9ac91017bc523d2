"""Messages to buyers in the cabinet: write one for an event or session, see its deliveries."""

from django import forms
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Session
from organizers.permissions import MANAGER, OWNER, organizer_object_or_404, organizer_role_required
from tickets.buyer_privacy import buyers_disclosed, deliveries_shown_to_others, organizer_recipient
from tickets.models import AttendeeMessage, MessageDelivery
from tickets.reports.service_days import day_and_slot_clean, day_and_slot_fields
from tickets.reports.services.messages import delivery_counts, message_send, messages_of_event

ROLES_MESSAGES = (OWNER, MANAGER)


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return timezone.localtime(obj.starts_at).strftime("%d.%m.%Y %H:%M")


class AttendeeMessageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=AttendeeMessage.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Service messages go to every buyer; promotional ones only to buyers who agreed "
            "to advertising, with an unsubscribe link."
        ),
    )
    session = SessionChoice(
        label=_("Buyers of"),
        required=False,
        queryset=Session.objects.none(),
        empty_label=_("All sessions"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        if event.is_service:  # thousands of slots: a typed day and time, never a list
            del self.fields["session"]
            day_and_slot_fields(self, after="kind")
        else:
            sessions = Session.objects.filter(event=event).order_by("starts_at")
            self.fields["session"].queryset = sessions

    def clean(self) -> dict:
        data = super().clean()
        if self.event.is_service:
            choice = day_and_slot_clean(self, event=self.event)
            data["session"] = choice.session if choice else None
            data["day"] = choice.day if choice else None
            data.pop("slot_time", None)
        return data


@organizer_role_required(*ROLES_MESSAGES)
def message_list(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    form = AttendeeMessageForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        message = message_send(
            organizer=request.organizer, event=event, user=request.user, **form.cleaned_data
        )
        flash.success(request, _("The message is being sent. The report below fills in."))
        return redirect("tickets:cabinet_message", organizer_slug, message.pk)
    return render(
        request,
        "tickets/dashboard/messages.html",
        {
            "organizer": request.organizer,
            "event": event,
            "form": form,
            "sent_messages": list(messages_of_event(event=event)[:50]),
        },
    )


@organizer_role_required(*ROLES_MESSAGES)
def message_report(request: HttpRequest, organizer_slug: str, message_id: int) -> HttpResponse:
    message = organizer_object_or_404(
        AttendeeMessage.objects.select_related("event", "session", "created_by"),
        organizer=request.organizer,
        pk=message_id,
    )
    deliveries = MessageDelivery.objects.filter(message=message).order_by("id")
    page = Paginator(deliveries, 100).get_page(request.GET.get("page"))
    page.object_list = deliveries_shown_to_others(page.object_list)
    buyers_disclosed(
        actor=request.user,
        recipient=organizer_recipient(request.organizer),
        orders=page.object_list,
        purpose=str(_("Delivery report of a message to buyers")),
        channel="message",
        fields=["email"],
    )
    counts = delivery_counts(message_id=message.pk)
    return render(
        request,
        "tickets/dashboard/message_report.html",
        {
            "organizer": request.organizer,
            "message": message,
            "page": page,
            "counts": [(label, counts[value]) for value, label in MessageDelivery.Status.choices],
            "total": sum(counts.values()),
        },
    )
