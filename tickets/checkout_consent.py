"""The consent text of the checkout form: what this form collects and who receives it.

Built from the form itself (its fields and the event's questions and attachments), the event's
organizer (by its legal name) and the payment providers in use (by the country where each
processes the data), then worded by privacy (``consent_notice_build``). The portal, the widget
and the public API call ``checkout_consent_notice`` with their channel.
"""

from django import forms
from django.utils.translation import gettext, pgettext_lazy

from events.models import Event
from privacy.services.consent_notice import (
    ConsentNotice,
    ConsentNoticeInput,
    ConsentRecipient,
    consent_notice_build,
)
from tickets.models import Question
from tickets.payments.selectors import providers_of_organizer

# Fields of the checkout form that are not data about the buyer.
_NOT_DATA = (
    "idempotency_key",
    "consent_processing",
    "consent_marketing",
    "consent_digest",
    # The organisation part: control fields, and the organisation named once (``company_name``).
    "as_company",
    "company_saved",
    "company_bin",
    "company_address",
)

# The form's own fields as the consent text names them (translated when a text is built).
_DATA_NAMES = {
    "surname": pgettext_lazy("data collected", "surname"),
    "name": pgettext_lazy("data collected", "first name"),
    "phone": pgettext_lazy("data collected", "phone number"),
    "email": pgettext_lazy("data collected", "e-mail address"),
    "postal_address": pgettext_lazy("data collected", "postal address (if given)"),
    "company_name": pgettext_lazy(
        "data collected",
        "the organisation's name, БИН/ИИН and legal address (when buying for one)",
    ),
    "holder_names": pgettext_lazy("data collected", "names of ticket holders (if given)"),
}


def checkout_data_items(form: forms.Form, questions: list[Question]) -> list[str]:
    """What the form asks, as the buyer sees it: its fields' labels and the event's questions
    (an attachment named as a file), then the technical data every request carries."""
    by_name = {f"q_{q.pk}": q for q in questions}
    items: list[str] = []
    for name, field in form.fields.items():
        if name in _NOT_DATA or name.startswith("written_consent_"):
            continue
        label = str(field.label or name)
        question = by_name.get(name)
        if question is None:
            items.append(str(_DATA_NAMES.get(name, label)))
        elif question.kind == Question.Kind.FILE:
            items.append(gettext("the attached file “%(label)s”") % {"label": label})
        else:
            items.append(gettext("the answer to “%(label)s”") % {"label": label})
    items.append(gettext("the IP address and browser of the device the order is placed from"))
    return items


def checkout_recipients(event: Event) -> list[ConsentRecipient]:
    """The event's organizer, and every payment method its organizer offers that receives
    personal data (named with the country where it processes them)."""
    organizer = event.organizer
    recipients = [
        ConsentRecipient(
            name=organizer.legal_name or organizer.public_name,
            role=gettext("the organizer of the event"),
        )
    ]
    for provider in providers_of_organizer(organizer):
        if provider.personal_fields:
            recipients.append(
                ConsentRecipient(
                    name=provider.recipient,
                    role=gettext("payment for the order"),
                    country=provider.processing_country,
                )
            )
    return recipients


def checkout_purposes(event: Event) -> list[str]:
    return [
        gettext("selling me tickets to “%(event)s” and sending them to me") % {"event": event},
        gettext("taking the payment and making refunds"),
        gettext("admission at the door"),
        gettext("the organizer's messages about the event (changes, cancellation)"),
        gettext("keeping the records the law requires"),
    ]


def checkout_consent_notice(
    *,
    event: Event,
    form: forms.Form,
    questions: list[Question],
    channel: str,
    site_url: str = "",
) -> ConsentNotice:
    """The consent text for this event's checkout form, in the active language."""
    return consent_notice_build(
        notice=ConsentNoticeInput(
            data=checkout_data_items(form, questions),
            purposes=checkout_purposes(event),
            recipients=checkout_recipients(event),
            channel=channel,
            special_data=[
                gettext("the answer to “%(label)s”") % {"label": q.label}
                for q in questions
                if q.needs_written_consent
            ],
        ),
        site_url=site_url,
    )
