"""Checkout and cart forms: every error message is translated and says what to fix."""

import secrets
from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.forms import PhoneField
from tickets.attachments import ALLOWED_NAMES, sniff_content_type
from tickets.models import Question
from tickets.services.order_creation import AnswerInput, BuyerDetails

PROCESSING_CONSENT_TEXT = _(
    "I agree to the processing of my personal data and to its transfer to the organizer of "
    "the event under the privacy policy."
)
MARKETING_CONSENT_TEXT = _("I would like to receive news and offers from eventum by e-mail.")


class PromoCodeForm(forms.Form):
    code = forms.CharField(label=_("Promo code"), max_length=40, required=False)


class CheckoutForm(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=100)
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = PhoneField(label=_("Phone"))
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Your tickets will be sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address (optional)"), max_length=300, required=False
    )
    consent_processing = forms.BooleanField(
        label=PROCESSING_CONSENT_TEXT,
        error_messages={
            "required": _("Without this consent we cannot sell you tickets: please tick the box.")
        },
    )
    consent_marketing = forms.BooleanField(label=MARKETING_CONSENT_TEXT, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    def __init__(self, *args, questions: list[Question] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions or []
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", secrets.token_urlsafe(24))
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]

    def buyer(self) -> BuyerDetails:
        data = self.cleaned_data
        return BuyerDetails(
            surname=data["surname"].strip(),
            name=data["name"].strip(),
            phone=data["phone"],
            email=data["email"],
            postal_address=data.get("postal_address", "").strip(),
        )

    def answers(self) -> list[AnswerInput]:
        result = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if question.kind == Question.Kind.FILE:
                if value:
                    result.append(
                        AnswerInput(
                            question=question,
                            file=value,
                            file_content_type=value.sniffed_content_type,
                        )
                    )
                continue
            if value in (None, "") or (question.kind == Question.Kind.YES_NO and value == ""):
                continue
            result.append(AnswerInput(question=question, value=_answer_text(question, value)))
        return result


def _answer_text(question: Question, value) -> str:
    if question.kind == Question.Kind.YES_NO:
        return "yes" if value == "yes" else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


class AttachmentField(forms.FileField):
    default_error_messages = {
        "too_big": _("The file is too large: at most %(limit)s MB."),
        "bad_type": _("This kind of file is not accepted. Attach one of: %(types)s."),
    }

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        limit = settings.TICKETS_ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                self.error_messages["too_big"],
                code="too_big",
                params={"limit": f"{limit / (1024 * 1024):g}"},
            )
        content_type = sniff_content_type(upload)
        if content_type is None:
            raise forms.ValidationError(
                self.error_messages["bad_type"], code="bad_type", params={"types": ALLOWED_NAMES}
            )
        upload.sniffed_content_type = content_type
        return upload


def _question_field(question: Question) -> forms.Field:
    common = {
        "label": question.label,
        "required": question.required,
        "help_text": question.help_text,
    }
    kind = question.kind
    if kind == Question.Kind.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=4, **common)
    if kind == Question.Kind.CHOICE:
        choices = [("", "—")] + [(c, c) for c in question.choice_list]
        return forms.ChoiceField(choices=choices, **common)
    if kind == Question.Kind.YES_NO:
        choices = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]
        return forms.ChoiceField(choices=choices, **common)
    if kind == Question.Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == Question.Kind.FILE:
        return AttachmentField(**common)
    return forms.CharField(max_length=1000, **common)
