"""Every model field that may hold a person's data is either made anonymous by the retention
runs (``tickets.retention.personal_data.PERSONAL_DATA``) or named below with the reason it is
not a buyer's data or is kept by another rule. A new model or field with an e-mail, phone,
name, address, IP, file, payload or account link fails here until its author decides which."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from tickets.retention.personal_data import PERSONAL_DATA


def personal_data_fields() -> set[tuple[str, str]]:
    """``(model label, field name)`` of every field the anonymisation covers."""
    return {(entry.model._meta.label, name) for entry in PERSONAL_DATA for name in entry.fields()}


# Field names that suggest a person's data (whole words of a snake_case name).
PERSONAL_NAME = re.compile(
    r"(^|_)(surname|name|phone|email|mail|address|ip|agent|holder|contact|person|iin|bin|payer|"
    r"recipient|card|account|iban|purpose|body|payload|note|reason|comment|text|answer|data|"
    r"document|passport|birth|gender)($|_)",
    re.IGNORECASE,
)
LANGUAGE_COPY = re.compile(r"_(ru|kk|en)$")

# Whole models that hold no buyer's data, or keep it under another rule of the schedule.
NOT_BUYER_MODELS = {
    # The privacy registers: proof of consent, requests and claims, kept under the schedule's
    # "registers" rule (while the consent is in force and the limitation period after it).
    "privacy.SubjectAccessRequest": "register: access requests",
    "privacy.BlockingRequest": "register: blocking requests",
    "privacy.BlockingTransition": "register: steps of blocking requests",
    "privacy.Claim": "register: claims",
    "privacy.ClaimAttachment": "register: claims",
    "privacy.ConsentRecord": "register: consent ledger (IPs shortened by privacy's own run)",
    "privacy.ConsentWithdrawal": "register: withdrawals",
    "privacy.WithdrawalAnswer": "register: answers to withdrawals (staff)",
    "privacy.Disclosure": "register: transfers to third parties",
    "privacy.Incident": "register: breach incidents",
    "privacy.DestructionRecord": "register: the destruction log (staff or the periodic task)",
    # IP log: raw rows folded into counts per network by privacy's nightly run.
    "privacy.IpLogEntry": "deleted after IP_LOG_RETENTION_DAYS (privacy.services.iplog)",
    "privacy.IpDailyStat": "networks only, deleted after RETENTION_IP_STATS_DAYS",
    "privacy.IpEvent": "payment-flow events by IP, aggregated by privacy's nightly run",
    "privacy.PolicyVersion": "the policy's text",
    "privacy.MovedDayOff": "the calendar",
    "privacy.Operator": "the operator's own public identity",
    # Organizers: their own business data and their team, not buyers.
    "organizers.Organizer": "the organizer's legal profile and public page",
    "organizers.Membership": "the organizer's team",
    "organizers.Invitation": "invitations to the organizer's team",
    "organizers.ApiKey": "the organizer's API keys",
    "organizers.WebhookEndpoint": "the organizer's webhook settings (deliveries are covered)",
    "tickets.SavedOrganisation": (
        "a signed-in buyer's own saved organisations: account data of no order, deleted with "
        "the account"
    ),
    # The catalogue: names of things, not of people.
    "events.Category": "catalogue",
    "events.City": "catalogue",
    "events.Venue": "catalogue",
    "events.Event": "catalogue",
    "events.TicketType": "catalogue",
    "events.SeatMap": "catalogue",
    "events.SeatCategory": "catalogue",
    "events.SessionSeatBlock": "catalogue",
    "events.Schedule": "catalogue",
    "events.ScheduleTicketType": "catalogue",
    "events.ScheduleException": "catalogue",
    "events.CapacityPool": "catalogue",
    "tickets.Question": "the organizer's questions (the answers are covered)",
    "tickets.ScannerDevice": "the organizer's scanners",
    "eventum.OutboxMessage": "tasks waiting to run, deleted after dispatch (eventum.outbox)",
}

# Single fields of models that otherwise hold buyers' data.
NOT_BUYER_FIELDS = {
    ("tickets.CheckIn", "by_user"): "the organizer's check-in staff",
    ("tickets.PaymentNotification", "ip_address"): "the payment provider's server",
    ("tickets.PaymentNotification", "reviewed_by"): "portal staff",
    ("tickets.RefundRequest", "decided_by"): "the organizer's team",
    ("tickets.AttendeeExport", "created_by"): "the organizer's team",
    ("tickets.AttendeeExport", "columns"): "the export's settings",
    ("tickets.AttendeeExport", "question_ids"): "the export's settings",
    ("tickets.AttendeeMessage", "body"): "the organizer's text, the same for every attendee",
    ("tickets.AttendeeMessage", "created_by"): "the organizer's team",
    ("tickets.BankStatement", "file_name"): "the organizer's statement file",
    ("tickets.BankStatement", "account"): "the organizer's own bank account",
    ("tickets.BankStatement", "uploaded_by"): "the organizer's team",
    ("tickets.BankStatementLine", "decided_by"): "the organizer's team",
    ("tickets.BankTransferPayment", "document_number"): "the bank's document: accounting data",
    ("tickets.BankTransferPayment", "recorded_by"): "the organizer's team",
    ("tickets.BankTransferReturn", "document_number"): "the bank's document: accounting data",
    ("tickets.BankTransferReturn", "recorded_by"): "the organizer's team",
}

_TEXT_FIELDS = (models.CharField, models.TextField)


def _is_personal(field: models.Field) -> bool:
    personal_types = (
        models.EmailField,
        models.GenericIPAddressField,
        models.FileField,
        models.JSONField,  # payloads: whatever a provider or a form sent
    )
    if isinstance(field, personal_types):
        return True
    if field.is_relation:
        related = field.related_model
        return related is not None and related._meta.label == settings.AUTH_USER_MODEL
    return isinstance(field, _TEXT_FIELDS) and bool(PERSONAL_NAME.search(field.name))


def _project_models() -> list[type[models.Model]]:
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and ".venv" not in path.parts:
            found.extend(config.get_models())
    return found


def personal_fields_found() -> set[tuple[str, str]]:
    """Every (model, field) of the project's own apps that looks like a person's data."""
    found = set()
    for model in _project_models():
        names = {f.name for f in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            copy_of = LANGUAGE_COPY.sub("", field.name)
            if copy_of != field.name and copy_of in names:
                continue  # a language's copy of a field judged by itself
            if _is_personal(field):
                found.add((model._meta.label, field.name))
    return found


def test_every_field_with_personal_data_is_made_anonymous_or_has_a_reason():
    covered = personal_data_fields()
    missing = sorted(
        (label, name)
        for label, name in personal_fields_found() - covered
        if label not in NOT_BUYER_MODELS and (label, name) not in NOT_BUYER_FIELDS
    )
    assert missing == [], (
        "These fields look like personal data but no retention run makes them anonymous: add "
        "them to tickets.retention.personal_data.PERSONAL_DATA, or give the reason they are not "
        f"a buyer's data in this test: {missing}"
    )


def test_the_scan_finds_the_buyers_fields_it_is_there_to_guard():
    found = personal_fields_found()
    assert {
        ("tickets.Order", "email"),
        ("tickets.Order", "ip_address"),
        ("tickets.OrderItem", "holder_name"),
        ("tickets.TicketTransfer", "to_email"),
        ("tickets.WaitlistEntry", "email"),
        ("tickets.MessageDelivery", "email"),
        ("tickets.Payment", "provider_data"),
        ("tickets.PaymentNotification", "body"),
        ("tickets.Answer", "file"),
    } <= found


def test_the_reasons_name_only_what_exists_and_nothing_covered():
    labels = {model._meta.label for model in _project_models()}
    assert set(NOT_BUYER_MODELS) <= labels
    found = personal_fields_found()
    assert set(NOT_BUYER_FIELDS) <= found
    assert not set(NOT_BUYER_FIELDS) & personal_data_fields()
    for entry in PERSONAL_DATA:  # every place names fields its model has
        names = {f.name for f in entry.model._meta.concrete_fields}
        assert entry.fields() <= names, entry.model
