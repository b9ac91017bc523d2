"""The organizer's sales set-up in the cabinet: checkout questions and promo codes."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from events.models import Event
from organizers.permissions import ROLES_EVENTS, ROLES_ORDERS, organizer_object_or_404
from organizers.permissions import organizer_role_required as role_required
from tickets.errors import TicketsError
from tickets.models import PromoCode, Question
from tickets.setup.forms import PromoCodeForm, QuestionForm
from tickets.setup.services import (
    promo_code_create,
    promo_code_set_active,
    question_create,
    question_delete,
)

SAVED = _("Saved.")


@role_required(*ROLES_EVENTS)
def questions(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question_create(event=event, **form.cleaned_data)
        messages.success(request, SAVED)
        return redirect("tickets:cabinet_questions", organizer_slug, event.slug)
    context = {
        "organizer": request.organizer,
        "event": event,
        "questions": Question.objects.filter(event=event).order_by("position", "id"),
        "form": form,
    }
    return render(
        request, "tickets/cabinet/questions.html", context, status=400 if form.errors else 200
    )


@require_POST
@role_required(*ROLES_EVENTS)
def question_remove(
    request: HttpRequest, organizer_slug: str, event_slug: str, question_id: int
) -> HttpResponse:
    question = organizer_object_or_404(
        Question,
        organizer=request.organizer,
        organizer_field="event__organizer",
        pk=question_id,
        event__slug=event_slug,
    )
    try:
        question_delete(question=question)
    except TicketsError as exc:
        messages.error(request, exc.message)
    return redirect("tickets:cabinet_questions", organizer_slug, event_slug)


@role_required(*ROLES_ORDERS)
def promo_codes(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    form = PromoCodeForm(request.POST or None, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        promo_code_create(organizer=request.organizer, **form.cleaned_data)
        messages.success(request, SAVED)
        return redirect("tickets:cabinet_promo_codes", organizer_slug)
    codes = PromoCode.objects.filter(organizer=request.organizer).select_related(
        "event", "ticket_type"
    )
    context = {"organizer": request.organizer, "codes": codes, "form": form}
    return render(
        request, "tickets/cabinet/promo_codes.html", context, status=400 if form.errors else 200
    )


@require_POST
@role_required(*ROLES_ORDERS)
def promo_code_toggle(request: HttpRequest, organizer_slug: str, promo_id: int) -> HttpResponse:
    promo = organizer_object_or_404(PromoCode, organizer=request.organizer, pk=promo_id)
    promo_code_set_active(promo_code=promo, active=not promo.is_active)
    messages.success(request, SAVED)
    return redirect("tickets:cabinet_promo_codes", organizer_slug)
