"""Attendee exports in the cabinet: choose columns and questions, download now or when ready."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events.models import Event, Session
from organizers.permissions import ROLES_REPORTS, organizer_object_or_404, organizer_role_required
from tickets.models import AttendeeExport, Question
from tickets.reports.service_days import day_and_slot_clean, day_and_slot_fields
from tickets.reports.services import exports as service


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        from django.utils import timezone

        return timezone.localtime(obj.starts_at).strftime("%d.%m.%Y %H:%M")


class AttendeeExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=AttendeeExport.Format.choices,
        initial=AttendeeExport.Format.XLSX,
        widget=forms.RadioSelect,
    )
    session = SessionChoice(
        label=_("Session"),
        required=False,
        queryset=Session.objects.none(),
        empty_label=_("All sessions"),
    )
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[(key, label) for key, (label, _personal) in service.COLUMNS.items()],
        initial=service.DEFAULT_COLUMNS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one column.")},
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Answers to questions"),
        required=False,
        queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        if event.is_service:  # thousands of slots: a typed day and time, never a list
            del self.fields["session"]
            day_and_slot_fields(self, after="file_format")
        else:
            sessions = Session.objects.filter(event=event).order_by("starts_at")
            self.fields["session"].queryset = sessions
        questions = Question.objects.filter(event=event).order_by("position", "id")
        self.fields["questions"].queryset = questions
        self.fields["questions"].initial = list(questions)

    def clean(self) -> dict:
        data = super().clean()
        if self.event.is_service:
            choice = day_and_slot_clean(self, event=self.event)
            data["session"] = choice.session if choice else None
            data["day"] = choice.day if choice else None
        return data


@organizer_role_required(*ROLES_REPORTS)
def attendee_export(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    form = AttendeeExportForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = service.ExportSpec(
            organizer=request.organizer,
            event=event,
            session=data["session"],
            day=data.get("day"),
            columns=data["columns"],
            question_ids=[q.pk for q in data["questions"]],
            file_format=data["file_format"],
        )
        if service.attendee_count(spec) <= service.SYNC_ROW_LIMIT:
            result = service.attendee_export_build(spec=spec, user=request.user)
            response = HttpResponse(result.content, content_type=result.content_type)
            response["Content-Disposition"] = f'attachment; filename="{result.name}"'
            return response
        service.attendee_export_request(spec=spec, user=request.user, language=get_language())
        messages.success(
            request, _("The export is being prepared. It will appear here when it is ready.")
        )
        return redirect("tickets:cabinet_exports", organizer_slug)
    return render(
        request,
        "tickets/dashboard/export_form.html",
        {"organizer": request.organizer, "event": event, "form": form},
    )


@organizer_role_required(*ROLES_REPORTS)
def export_list(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    exports = list(service.exports_of_organizer(organizer=request.organizer)[:50])
    return render(
        request,
        "tickets/dashboard/export_list.html",
        {"organizer": request.organizer, "exports": exports},
    )


@organizer_role_required(*ROLES_REPORTS)
def export_download(request: HttpRequest, organizer_slug: str, export_id: int) -> HttpResponse:
    export = organizer_object_or_404(AttendeeExport, organizer=request.organizer, pk=export_id)
    if export.status != AttendeeExport.Status.READY or not export.file:
        raise Http404(_("This export is not ready."))
    if service.attendee_export_has_restricted(export):
        export = service.attendee_export_refresh(export_id=export.pk)
    name = export.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=service.CONTENT_TYPES[export.file_format],
    )
