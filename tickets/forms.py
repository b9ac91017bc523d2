"""Checkout and cart forms: every error message is translated and says what to fix."""

import secrets
from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.forms import PhoneField
from privacy.services.consent_notice import special_consent_text
from privacy.special_categories import special_categories_of
from tickets.attachments import ALLOWED_NAMES, sniff_content_type
from tickets.companies.forms import company_clean, company_details, company_fields_add
from tickets.companies.inputs import CompanyDetails
from tickets.companies.models import SavedOrganisation
from tickets.models import Question
from tickets.services.order_creation import AnswerInput, BuyerDetails, WrittenConsent

PROCESSING_CONSENT_TEXT = _(
    "I have read the terms above and give my consent to the processing of my personal data on them."
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
    # The fingerprint of the consent text the page showed (``ConsentNotice.digest``).
    consent_digest = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(
        self,
        *args,
        questions: list[Question] | None = None,
        asks_postal_address: bool = False,
        company_allowed: bool = False,
        saved_organisations: list[SavedOrganisation] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions or []
        if not asks_postal_address:  # only what the organizer needs: no address for a concert
            del self.fields["postal_address"]
        if company_allowed:  # the organizer sells this event to organisations
            company_fields_add(self, saved_organisations or [])
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", secrets.token_urlsafe(24))
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)
            if question.needs_written_consent:
                self.fields[f"written_consent_{question.pk}"] = _written_consent_field(question)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        for question in self.questions:
            consent = f"written_consent_{question.pk}"
            answered = data.get(f"q_{question.pk}") not in (None, "")
            if consent in self.fields and answered and not data.get(consent):
                self.add_error(consent, WRITTEN_CONSENT_MISSING)
        if "as_company" in self.fields:
            company_clean(self, data)
        return data

    def company(self) -> CompanyDetails | None:
        """The organisation the order is bought for, or ``None`` (a personal order)."""
        return company_details(self)

    def company_part(self):
        """The organisation part's fields (bound), for the template."""
        names = ("company_saved", "company_name", "company_bin", "company_address", "holder_names")
        return [self[name] for name in names if name in self.fields]

    def question_fields(self):
        """Each question, followed by its own consent box when it needs written consent."""
        fields = []
        for question in self.questions:
            fields.append(self[f"q_{question.pk}"])
            if f"written_consent_{question.pk}" in self.fields:
                fields.append(self[f"written_consent_{question.pk}"])
        return fields

    def written_consents(self) -> list[WrittenConsent]:
        """The separate written consents given with answers (the exact texts of their boxes)."""
        return [
            WrittenConsent(question_id=q.pk, wording=str(self.fields[name].label))
            for q in self.questions
            if (name := f"written_consent_{q.pk}") in self.fields and self.cleaned_data.get(name)
        ]

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


WRITTEN_CONSENT_MISSING = _(
    "This answer needs your separate written consent: tick the box, or leave the answer empty "
    "if the question is optional."
)


def _written_consent_field(question: Question) -> forms.BooleanField:
    """The separate box of a question marked "needs written consent"; its label is the consent
    text stored in the ledger (needs the question's event and organizer loaded)."""
    event = question.event
    categories = special_categories_of(f"{question.label} {question.help_text}")
    return forms.BooleanField(
        required=False,
        label=special_consent_text(
            answer_to=question.label,
            categories=categories,
            recipient=event.organizer.legal_name or event.organizer.public_name,
            event=str(event),
        ),
    )


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
