"""Forms of the privacy pages: cookie choice, marketing opt-in, sign-up consent, requests."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from privacy.documents import document_check
from privacy.identity import normalise_phone
from privacy.models import BlockingRequest, SubjectAccessRequest

if TYPE_CHECKING:
    from privacy.services.consent_notice import ConsentNotice


class PhoneField(forms.CharField):
    """A phone number typed any usual way, cleaned to E.164 (``normalise_phone``).

    The one place forms check phones, so what a buyer, an organizer or a data subject types is
    stored in the form that blocks and consents are matched in, and junk gets a clear error
    instead of being stored. Room is left for spaces, brackets and dashes while typing.
    """

    TYPED_LENGTH = 32
    default_error_messages = {
        "invalid": _(
            "This is not a phone number we can use. Type it as +7 701 123 45 67, "
            "or a foreign number with + and its country code."
        ),
    }

    def __init__(self, **kwargs) -> None:
        kwargs["max_length"] = self.TYPED_LENGTH
        kwargs.pop("min_length", None)
        if not kwargs.get("help_text"):
            kwargs["help_text"] = _(
                "For example +7 701 123 45 67, or a foreign number with + and its country code."
            )
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        normal = normalise_phone(value)
        if not normal:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return normal


class CookieChoiceForm(forms.Form):
    ACCEPT_ALL, REJECT_ALL, SAVE = "accept_all", "reject_all", "save"

    choice = forms.ChoiceField(
        choices=[(ACCEPT_ALL, ACCEPT_ALL), (REJECT_ALL, REJECT_ALL), (SAVE, SAVE)]
    )
    analytics = forms.BooleanField(required=False, label=_("Analytics"))
    marketing = forms.BooleanField(required=False, label=_("Marketing"))
    next = forms.CharField(required=False)

    def categories(self) -> dict[str, bool]:
        choice = self.cleaned_data["choice"]
        if choice == self.ACCEPT_ALL:
            return {"analytics": True, "marketing": True}
        if choice == self.REJECT_ALL:
            return {"analytics": False, "marketing": False}
        return {
            "analytics": self.cleaned_data["analytics"],
            "marketing": self.cleaned_data["marketing"],
        }


class MarketingChoiceForm(forms.Form):
    marketing = forms.BooleanField(
        required=False,
        label=_("Send me news and offers about events (you can withdraw at any time)"),
    )


BLOCKED_ACCOUNT_EDIT = _(
    "This personal data is blocked at the request of its owner, so it cannot be saved or "
    "changed now. If the block should be lifted, write to info@eventum.one."
)


class SignupConsentForm(forms.Form):
    """Added to allauth's sign-up form (``ACCOUNT_SIGNUP_FORM_CLASS``).

    Signing up accepts the current policy (the page says so and links it); marketing is a
    separate, optional box, never ticked in advance. Both are written to the consent ledger.
    """

    marketing_opt_in = forms.BooleanField(
        required=False,
        initial=False,
        label=_("Send me news and offers about events (optional, you can withdraw at any time)"),
    )

    def clean(self) -> dict[str, Any]:
        # In the method: allauth imports this form (ACCOUNT_SIGNUP_FORM_CLASS) while the app
        # registry may not be ready, and the services import models.
        from privacy.services import subject_is_blocked

        data = super().clean() or {}
        if subject_is_blocked(email=data.get("email", "")):
            raise ValidationError(BLOCKED_ACCOUNT_EDIT, code="blocked")
        return data

    @property
    def consent_notice(self) -> "ConsentNotice":
        """The consent text of this form (what it collects, no recipients), shown above the
        button and stored with the consent; built from the form's own fields."""
        if getattr(self, "_consent_notice", None) is None:
            # In the method, as in ``clean``: services import models.
            from privacy.services.signup import signup_consent_notice

            self._consent_notice = signup_consent_notice(form=self)
        return self._consent_notice

    def signup(self, request, user) -> None:
        # In the method, as in ``clean``: services import models.
        from privacy.services.signup import signup_consents_record

        signup_consents_record(
            request=request,
            user=user,
            marketing=self.cleaned_data.get("marketing_opt_in", False),
            notice=self.consent_notice,
        )


class BlockingRequestForm(forms.ModelForm):
    """The public form: a subject, their legal representative or the authorised body."""

    class Meta:
        model = BlockingRequest
        fields = [
            "requester_kind",
            "requester_name",
            "requester_email",
            "requester_phone",
            "authority_document",
            "document_reference",
            "subject_name",
            "subject_email",
            "subject_phone",
            "subject_order_code",
            "grounds",
            "grounds_details",
        ]
        widgets = {"grounds_details": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"requester_phone": PhoneField, "subject_phone": PhoneField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requester_email"].required = True

    def clean_authority_document(self):
        upload = self.cleaned_data.get("authority_document")
        document_check(upload, prefix="authority")
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(
            "requester_kind"
        ) == BlockingRequest.RequesterKind.REPRESENTATIVE and not cleaned.get("authority_document"):
            self.add_error(
                "authority_document",
                _("A legal representative's request needs the document that gives the authority."),
            )
        if not any(
            cleaned.get(field) for field in ("subject_email", "subject_phone", "subject_order_code")
        ):
            raise ValidationError(_("Identify the subject: e-mail, phone or order code."))
        return cleaned


class SubjectAccessRequestForm(forms.ModelForm):
    class Meta:
        model = SubjectAccessRequest
        fields = [
            "requester_name",
            "requester_email",
            "requester_phone",
            "subject_email",
            "subject_phone",
            "subject_order_code",
            "request_text",
        ]
        widgets = {"request_text": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"requester_phone": PhoneField, "subject_phone": PhoneField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requester_name"].required = True
        self.fields["requester_email"].required = True
        # The data is handed over only to whoever opens the link sent to this address.
        self.fields["subject_email"].required = True
        self.fields["subject_email"].help_text = _(
            "The e-mail you used with us. We send a confirmation link there; "
            "the data is shown only after the link is opened."
        )
