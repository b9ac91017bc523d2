"""The organizer's sales set-up: questions asked at checkout and promo codes."""

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from events.models import Event
from organizers.models import Organizer
from tickets.errors import TicketsError
from tickets.models import PromoCode, Question


class QuestionInUse(TicketsError):
    default_message = _("Buyers have already answered this question, so it cannot be deleted.")


TRANSLATED = ("label", "help_text")


@transaction.atomic
def question_create(*, event: Event, **fields: Any) -> Question:
    """Add a question to the event's checkout form (at the end).

    ``label`` and ``help_text`` are the Russian texts whatever the organizer's language;
    ``label_kk``, ``label_en``, ``help_text_kk`` and ``help_text_en`` are optional.
    """
    last = Question.objects.filter(event=event).order_by("-position").first()
    fields.setdefault("position", (last.position + 1) if last else 0)
    texts = {}
    for name in TRANSLATED:
        texts[f"{name}_ru"] = fields.pop(name, "") or ""
        for code in ("kk", "en"):
            texts[f"{name}_{code}"] = fields.pop(f"{name}_{code}", "") or None
    question = Question(event=event, **fields)
    for name, value in texts.items():
        setattr(question, name, value)
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Remove a question nobody has answered yet; raises ``QuestionInUse`` otherwise."""
    try:
        question.delete()
    except ProtectedError as exc:
        raise QuestionInUse() from exc


@transaction.atomic
def promo_code_create(*, organizer: Organizer, **fields: Any) -> PromoCode:
    """Create one of the organizer's promo codes."""
    return PromoCode.objects.create(organizer=organizer, **fields)


@transaction.atomic
def promo_code_set_active(*, promo_code: PromoCode, active: bool) -> PromoCode:
    """Switch a promo code off (or on again); orders that used it keep their discount."""
    PromoCode.objects.filter(pk=promo_code.pk).update(is_active=active)
    promo_code.is_active = active
    return promo_code
