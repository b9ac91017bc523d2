"""Who gets what on every URL that takes an object id, code, token or secret.

The routes are read from the URL conf: a new route with arguments and no entry in ``MATRIX``
(or ``NOT_IN_MATRIX``, with the reason) fails ``test_every_route_with_arguments_has_an_entry``.
Each entry builds the URL's arguments from one shared set of objects and states the answer for
every actor:

* ``anonymous``; ``link`` / ``wrong_link``: anonymous with the order's secret link (``?s=``)
  or a guessed one; ``buyer`` (the order's account) and ``other_buyer``;
* ``other_org``: the owner of another organizer on our URLs; ``idor``: the same person with
  their own organizer's slug but our object ids (the classic cross-tenant hole);
* ``owner``, ``manager``, ``checkin``, ``accountant`` of our organizer; ``staff``.

A destructive action is two steps: ``MATRIX`` asks for its confirmation page (a GET that
changes nothing) and ``CONFIRMED`` sends the confirming POST, so both steps hold the same roles.

The objects are built once per module; every request runs in a savepoint rolled back after it,
so a refund or a removal by one actor does not change what the next one sees.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from events.models import Event, ScheduleException
from organizers.models import Invitation
from organizers.roles import (
    ACCOUNTANT,
    CHECKIN,
    MANAGER,
    OWNER,
    ROLES_ANY,
    ROLES_BANK_TRANSFERS,
    ROLES_CHECKIN,
    ROLES_EVENTS,
    ROLES_ORDERS,
    ROLES_PROFILE,
    ROLES_REPORTS,
    ROLES_TEAM,
)
from organizers.services import api_key_create
from organizers.webhooks.models import WebhookDelivery
from organizers.webhooks.services import webhook_endpoint_create
from privacy.models import PolicyVersion
from privacy.services.marketing import marketing_unsubscribe_token
from tests.events.schedules.factories import ScheduleFactory, ServiceFactory
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganizerFactory,
    SessionFactory,
    TicketTypeFactory,
    UserFactory,
    VenueFactory,
)
from tests.tickets.factories import PromoCodeFactory, QuestionFactory
from tests.tickets.flows import place_order
from tickets.banktransfer.models import BankStatement, BankStatementLine
from tickets.banktransfer.services import start_bank_transfer
from tickets.checkin.services import scanner_device_create
from tickets.companies.acts import closing_act_issue
from tickets.companies.inputs import CompanyDetails
from tickets.companies.invoices import invoice_generate
from tickets.models import (
    Answer,
    AttendeeExport,
    AttendeeMessage,
    OrderCompany,
    Payment,
    Question,
    RefundRequest,
    SavedOrganisation,
    WaitlistEntry,
)
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_states import Actor

ROLES = (OWNER, MANAGER, CHECKIN, ACCOUNTANT)
ACTORS = (
    "anonymous",
    "link",
    "wrong_link",
    "buyer",
    "other_buyer",
    "other_org",
    "idor",
    *ROLES,
    "staff",
)
LOGIN = 302  # anonymous on a signed-in page: to the login page


@dataclass
class Rule:
    """How to call one route and what each actor must get (``None``: not asked)."""

    kwargs: Callable[[Any], dict]
    expect: dict[str, int | None]
    method: str = "get"
    data: Callable[[Any], dict] = field(default=lambda w: {})
    json: bool = False  # the API: the data sent as a JSON body


def _kw(**builders):
    return lambda w: {name: build(w) for name, build in builders.items()}


def cabinet(roles, kwargs, *, ok=200, method="get", data=None, idor=True) -> Rule:
    """A cabinet page: login first; outsiders and staff 404; the team by role (403 for others)."""
    expect = {
        "anonymous": LOGIN,
        "buyer": 404,
        "other_buyer": 404,
        "other_org": 404,
        "idor": 404 if idor else None,
        "staff": 404,
    }
    expect.update({role: ok if role in roles else 403 for role in ROLES})
    return Rule(kwargs, expect, method, data or (lambda w: {}))


def order_page(kwargs, *, ok=200, team=(), staff=True, method="get", data=None) -> Rule:
    """A buyer's order page: the account or the secret link; staff with a second factor. The
    organizer's team uses its cabinet page instead (404 here)."""
    expect = {
        "anonymous": 404,
        "link": ok,
        "wrong_link": 404,
        "buyer": ok,
        "other_buyer": 404,
        "other_org": 404,
        "staff": ok if staff else 404,
    }
    expect.update({role: ok if role in team else 404 for role in ROLES})
    return Rule(kwargs, expect, method, data or (lambda w: {}))


def public(kwargs, *, ok=200, method="get", data=None) -> Rule:
    return Rule(
        kwargs, {actor: ok for actor in ACTORS if actor != "idor"}, method, data or (lambda w: {})
    )


def signed_in(kwargs, *, ok=200, method="get", data=None) -> Rule:
    expect = {actor: ok for actor in ACTORS if actor != "idor"}
    expect.update(anonymous=LOGIN, link=LOGIN, wrong_link=LOGIN)
    return Rule(kwargs, expect, method, data or (lambda w: {}))


def api_buyer(kwargs, *, ok=200, method="get", data=None) -> Rule:
    """A buyer's endpoint of the public API: the account that placed the order; no secret links
    and no staff view (401 without an account, the same 404 for everyone else)."""
    expect = {actor: 404 for actor in ACTORS if actor != "idor"}
    expect.update(anonymous=401, link=401, wrong_link=401, buyer=ok)
    return Rule(kwargs, expect, method, data or (lambda w: {}), json=method != "get")


def signed_in_api(kwargs, *, ok=200, method="get") -> Rule:
    """An API endpoint about the signed-in account itself: any account, 401 without one."""
    expect = {actor: ok for actor in ACTORS if actor != "idor"}
    expect.update(anonymous=401, link=401, wrong_link=401)
    return Rule(kwargs, expect, method, lambda w: {}, json=method != "get")


def everyone(status: int, kwargs, *, method="get") -> Rule:
    return Rule(
        kwargs,
        {actor: status for actor in ACTORS if actor != "idor"},
        method,
        json=method != "get",
    )


org = lambda w: w.organizer.slug  # noqa: E731
event_pk = lambda w: w.event.pk  # noqa: E731
event_slug = lambda w: w.event.slug  # noqa: E731
session_pk = lambda w: w.session.pk  # noqa: E731
paid_code = lambda w: w.paid.code  # noqa: E731
pending_code = lambda w: w.pending.code  # noqa: E731
webhook_pk = lambda w: w.webhook.pk  # noqa: E731
company_code = lambda w: w.company_order.code  # noqa: E731
company_paid_code = lambda w: w.company_paid.code  # noqa: E731

MATRIX: dict[str, Rule] = {
    # The public API's catalogue: the same for everyone (drafts are 404 for all)
    "api:api_event": public(_kw(slug=event_slug)),
    "api:api_event_sessions": public(_kw(slug=event_slug)),
    "api:api_session_availability": public(_kw(session_id=session_pk)),
    # The public API's buyer endpoints: the ordering account only
    "api:api_order": api_buyer(_kw(code=paid_code)),
    "api:api_order_status": api_buyer(_kw(code=pending_code)),
    "api:api_order_pdf": api_buyer(_kw(code=paid_code)),
    "api:api_ticket_pdf": api_buyer(_kw(code=paid_code, item_id=lambda w: w.item.pk)),
    # The organizer endpoints take an API key, never a signed-in session
    "api:api_organizer_event": everyone(401, _kw(event_id=event_pk)),
    "api:api_organizer_order": everyone(401, _kw(code=paid_code)),
    "api:api_organizer_attendees": everyone(401, _kw(event_id=event_pk)),
    "api:api_organizer_event_update": everyone(401, _kw(event_id=event_pk), method="patch"),
    "api:api_organizer_session_create": everyone(401, _kw(event_id=event_pk), method="post"),
    "api:api_organizer_session_update": everyone(401, _kw(session_id=session_pk), method="patch"),
    "api:api_organizer_ticket_type_create": everyone(
        401, _kw(session_id=session_pk), method="post"
    ),
    "api:api_organizer_ticket_type_update": everyone(
        401, _kw(ticket_type_id=lambda w: w.ticket_type.pk), method="patch"
    ),
    "api:api_organizer_event_publish": everyone(401, _kw(event_id=event_pk), method="post"),
    "api:api_organizer_event_unpublish": everyone(401, _kw(event_id=event_pk), method="post"),
    "api:api_organizer_event_cancel": everyone(401, _kw(event_id=event_pk), method="post"),
    "api:api_organizer_session_delete": everyone(401, _kw(session_id=session_pk), method="delete"),
    "api:api_organizer_ticket_type_delete": everyone(
        401, _kw(ticket_type_id=lambda w: w.ticket_type.pk), method="delete"
    ),
    "api:api_organizer_order_refund": everyone(401, _kw(code=paid_code), method="post"),
    "organizers:api_keys": cabinet(ROLES_TEAM, _kw(organizer_slug=org), idor=False),
    "organizers:api_key_revoke": cabinet(
        ROLES_TEAM, _kw(organizer_slug=org, pk=lambda w: w.api_key.pk)
    ),
    "organizers:webhooks": cabinet(ROLES_TEAM, _kw(organizer_slug=org), idor=False),
    "organizers:webhook_detail": cabinet(ROLES_TEAM, _kw(organizer_slug=org, pk=webhook_pk)),
    "organizers:webhook_rotate": cabinet(ROLES_TEAM, _kw(organizer_slug=org, pk=webhook_pk)),
    "organizers:webhook_delete": cabinet(ROLES_TEAM, _kw(organizer_slug=org, pk=webhook_pk)),
    "organizers:webhook_toggle": cabinet(
        ROLES_TEAM, _kw(organizer_slug=org, pk=webhook_pk), ok=302, method="post"
    ),
    "organizers:webhook_resend": cabinet(
        ROLES_TEAM,
        _kw(organizer_slug=org, pk=webhook_pk, delivery_id=lambda w: w.webhook_delivery.pk),
        ok=302,
        method="post",
    ),
    "api:api_order_payment": api_buyer(
        _kw(code=pending_code), method="post", data=lambda w: {"provider": "test"}
    ),
    # Cabinet: events, sessions, ticket types, seat maps
    "events_cabinet:event_list": cabinet(ROLES_EVENTS, _kw(organizer_slug=org), idor=False),
    "events_cabinet:event_create": cabinet(ROLES_EVENTS, _kw(organizer_slug=org), idor=False),
    "events_cabinet:event_detail": cabinet(ROLES_EVENTS, _kw(organizer_slug=org, pk=event_pk)),
    "events_cabinet:event_edit": cabinet(ROLES_EVENTS, _kw(organizer_slug=org, pk=event_pk)),
    "events_cabinet:event_publish": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=event_pk), ok=302, method="post"
    ),
    "events_cabinet:event_unpublish": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=event_pk), ok=302, method="post"
    ),
    "events_cabinet:event_cancel": cabinet(ROLES_EVENTS, _kw(organizer_slug=org, pk=event_pk)),
    "events_cabinet:event_duplicate": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=event_pk), ok=302, method="post"
    ),
    "events_cabinet:session_create": cabinet(ROLES_EVENTS, _kw(organizer_slug=org, pk=event_pk)),
    "events_cabinet:session_edit": cabinet(ROLES_EVENTS, _kw(organizer_slug=org, pk=session_pk)),
    "events_cabinet:session_delete": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.spare_session.pk)
    ),
    "events_cabinet:ticket_type_create": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=session_pk)
    ),
    "events_cabinet:ticket_type_edit": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.ticket_type.pk)
    ),
    "events_cabinet:ticket_type_delete": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.spare_ticket_type.pk)
    ),
    "events_cabinet:seat_map_list": cabinet(ROLES_EVENTS, _kw(organizer_slug=org), idor=False),
    "events_cabinet:seat_map_detail": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.seat_map.pk)
    ),
    "events_cabinet:seat_map_delete": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.seat_map.pk), ok=302, method="post"
    ),
    "events_cabinet:session_seating": cabinet(ROLES_EVENTS, _kw(organizer_slug=org, pk=session_pk)),
    # Cabinet: the organizer's venues
    "events_cabinet:venue_list": cabinet(ROLES_EVENTS, _kw(organizer_slug=org), idor=False),
    "events_cabinet:venue_create": cabinet(ROLES_EVENTS, _kw(organizer_slug=org), idor=False),
    "events_cabinet:venue_edit": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.venue.pk)
    ),
    # Cabinet: services' schedules
    "events_cabinet:schedule_create": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.schedule.event_id)
    ),
    "events_cabinet:service_day": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.schedule.event_id)
    ),
    "events_cabinet:open_dated_create": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.schedule.event_id)
    ),
    "events_cabinet:schedule_edit": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, pk=lambda w: w.schedule.pk)
    ),
    "events_cabinet:schedule_exception_add": cabinet(
        ROLES_EVENTS,
        _kw(organizer_slug=org, pk=lambda w: w.schedule.pk),
        ok=302,
        method="post",
        data=lambda w: {"kind": "closed", "date": "2030-01-07"},
    ),
    "events_cabinet:schedule_exception_remove": cabinet(
        ROLES_EVENTS,
        _kw(organizer_slug=org, pk=lambda w: w.schedule_exception.pk),
        ok=302,
        method="post",
    ),
    # Cabinet: the organizer and its team
    "organizers:dashboard": cabinet(ROLES_ANY, _kw(organizer_slug=org), idor=False),
    "organizers:profile": cabinet(ROLES_PROFILE, _kw(organizer_slug=org), idor=False),
    "organizers:team": cabinet(ROLES_TEAM, _kw(organizer_slug=org), idor=False),
    "organizers:member_role": cabinet(
        ROLES_TEAM,
        _kw(organizer_slug=org, pk=lambda w: w.memberships[MANAGER].pk),
        ok=302,
        method="post",
        data=lambda w: {"role": ACCOUNTANT},
    ),
    "organizers:member_remove": cabinet(
        ROLES_TEAM, _kw(organizer_slug=org, pk=lambda w: w.memberships[ACCOUNTANT].pk)
    ),
    "organizers:invitation_revoke": cabinet(
        ROLES_TEAM,
        _kw(organizer_slug=org, pk=lambda w: w.invitation.pk),
        ok=302,
        method="post",
    ),
    # The invitation link is the credential: any signed-in person holding it sees the invitation.
    "organizers:invitation_accept": signed_in(_kw(token=lambda w: w.invitation.token)),
    # Cabinet: orders, promo codes, questions, embed, check-in, reports, messages
    "tickets:cabinet_orders": cabinet(ROLES_ORDERS, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_order_filter_lookup": cabinet(
        ROLES_ORDERS, _kw(organizer_slug=org), idor=False
    ),
    "tickets:cabinet_order": cabinet(ROLES_ORDERS, _kw(organizer_slug=org, code=paid_code)),
    "tickets:cabinet_order_refund": cabinet(
        ROLES_ORDERS, _kw(organizer_slug=org, code=paid_code), data=lambda w: {"all": "1"}
    ),
    "tickets:cabinet_order_move": cabinet(
        ROLES_ORDERS,
        _kw(organizer_slug=org, code=paid_code),
        ok=302,
        method="post",
        data=lambda w: {"session": w.session.pk},
    ),
    "tickets:cabinet_order_resend": cabinet(
        ROLES_ORDERS, _kw(organizer_slug=org, code=paid_code), ok=302, method="post"
    ),
    "tickets:cabinet_order_tickets_pdf": cabinet(
        ROLES_ORDERS, _kw(organizer_slug=org, code=paid_code)
    ),
    "tickets:cabinet_order_attachment": cabinet(
        ROLES_ORDERS, _kw(organizer_slug=org, code=paid_code, answer_id=lambda w: w.answer.pk)
    ),
    "tickets:cabinet_item_checkin": cabinet(
        ROLES_ORDERS,
        _kw(organizer_slug=org, code=paid_code, item_id=lambda w: w.item.pk),
        ok=302,
        method="post",
    ),
    "tickets:cabinet_item_reissue": cabinet(
        ROLES_ORDERS, _kw(organizer_slug=org, code=paid_code, item_id=lambda w: w.item.pk)
    ),
    "tickets:cabinet_promo_codes": cabinet(ROLES_ORDERS, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_payment_methods": cabinet(ROLES_PROFILE, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_promo_code_toggle": cabinet(
        ROLES_ORDERS,
        _kw(organizer_slug=org, promo_id=lambda w: w.promo.pk),
        ok=302,
        method="post",
    ),
    "tickets:cabinet_embed": cabinet(ROLES_EVENTS, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_questions": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:cabinet_event_data_destroy": cabinet(
        ROLES_PROFILE, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:cabinet_refund_rules": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:cabinet_transfer_rules": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:cabinet_waitlist": cabinet(
        ROLES_ORDERS, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:cabinet_waitlist_offer": cabinet(
        ROLES_ORDERS,
        _kw(organizer_slug=org, event_slug=event_slug, ticket_type_id=lambda w: w.ticket_type.pk),
        ok=302,
        method="post",
    ),
    "tickets:cabinet_refund_requests": cabinet(ROLES_ORDERS, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_bank_transfers": cabinet(
        ROLES_BANK_TRANSFERS, _kw(organizer_slug=org), idor=False
    ),
    # no file: the form's error, nothing imported
    "tickets:cabinet_bank_statement_upload": cabinet(
        ROLES_BANK_TRANSFERS, _kw(organizer_slug=org), ok=400, method="post", idor=False
    ),
    "tickets:cabinet_bank_statement_line": cabinet(
        ROLES_BANK_TRANSFERS,
        _kw(organizer_slug=org, line_id=lambda w: w.statement_line.pk),
        ok=302,
        method="post",
        data=lambda w: {"decision": "ignore"},
    ),
    "tickets:cabinet_bank_transfer_paid": cabinet(
        ROLES_BANK_TRANSFERS, _kw(organizer_slug=org, code=lambda w: w.transfer_order.code)
    ),
    "tickets:cabinet_bank_transfer_return": cabinet(
        ROLES_BANK_TRANSFERS, _kw(organizer_slug=org, code=paid_code)
    ),
    "tickets:cabinet_refund_request_decide": cabinet(
        ROLES_ORDERS,
        _kw(organizer_slug=org, request_id=lambda w: w.refund_request.pk),
        ok=302,
        method="post",
        data=lambda w: {"decision": "refuse"},
    ),
    "tickets:cabinet_question_delete": cabinet(
        ROLES_EVENTS,
        _kw(organizer_slug=org, event_slug=event_slug, question_id=lambda w: w.question.pk),
        ok=302,
        method="post",
    ),
    "tickets:checkin_events": cabinet(ROLES_CHECKIN, _kw(organizer_slug=org), idor=False),
    "tickets:checkin_scanner": cabinet(
        ROLES_CHECKIN, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:checkin_scan": cabinet(
        ROLES_CHECKIN,
        _kw(organizer_slug=org, event_slug=event_slug),
        method="post",
        data=lambda w: {"code": "EVT1:unknown"},
    ),
    "tickets:checkin_stats": cabinet(ROLES_CHECKIN, _kw(organizer_slug=org, event_slug=event_slug)),
    "tickets:scanner_devices": cabinet(ROLES_ORDERS, _kw(organizer_slug=org), idor=False),
    "tickets:scanner_device_revoke": cabinet(
        ROLES_ORDERS, _kw(organizer_slug=org, device_id=lambda w: w.device.pk)
    ),
    "tickets:cabinet_dashboard": cabinet(ROLES_REPORTS, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_event_dashboard": cabinet(
        ROLES_REPORTS, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:cabinet_payout": cabinet(ROLES_REPORTS, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_attendee_export": cabinet(
        ROLES_REPORTS, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:cabinet_exports": cabinet(ROLES_REPORTS, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_export_download": cabinet(
        ROLES_REPORTS, _kw(organizer_slug=org, export_id=lambda w: w.export.pk)
    ),
    "tickets:cabinet_messages": cabinet(
        (OWNER, MANAGER), _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "tickets:cabinet_message": cabinet(
        (OWNER, MANAGER), _kw(organizer_slug=org, message_id=lambda w: w.message.pk)
    ),
    # The buyer's order: account or secret link; the organizer's order team; staff
    "tickets:order_detail": order_page(_kw(code=paid_code)),
    "tickets:order_tickets_pdf": order_page(_kw(code=paid_code)),
    "tickets:order_ticket_pdf": order_page(_kw(code=paid_code, item_id=lambda w: w.item.pk)),
    "tickets:attachment_download": order_page(_kw(code=paid_code, answer_id=lambda w: w.answer.pk)),
    # The buyer's own phone files: never a copy for staff or the team
    "tickets:order_calendar": order_page(_kw(code=paid_code), staff=False),
    "tickets:ticket_apple_wallet": order_page(
        _kw(code=paid_code, item_id=lambda w: w.item.pk), staff=False
    ),
    # without Google Wallet keys (the default) nobody is sent there
    "tickets:ticket_google_wallet": order_page(
        _kw(code=paid_code, item_id=lambda w: w.item.pk), ok=404
    ),
    # Actions only the buyer may take
    "tickets:order_resend": order_page(
        _kw(code=paid_code), ok=302, team=(), staff=False, method="post"
    ),
    "tickets:order_pay": order_page(
        _kw(code=pending_code),
        ok=302,
        team=(),
        staff=False,
        method="post",
        data=lambda w: {"provider": "test"},
    ),
    # The buyer's own return of tickets (the team refunds from its cabinet page)
    "tickets:order_refund": order_page(_kw(code=paid_code), staff=False),
    "tickets:order_transfer": order_page(_kw(code=paid_code), staff=False),
    # A company order's invoice: the buyer asks for it and downloads it; the team has its copy
    "tickets:order_invoice_request": order_page(
        _kw(code=company_code), ok=302, team=(), staff=False, method="post"
    ),
    "tickets:order_invoice": order_page(_kw(code=company_code), staff=False),
    "tickets:cabinet_order_invoice": cabinet(
        (OWNER, MANAGER, ACCOUNTANT), _kw(organizer_slug=org, code=company_code)
    ),
    # Its act of services rendered once paid, and the cabinet's list of company documents
    "tickets:order_act": order_page(_kw(code=company_paid_code), staff=False),
    "tickets:cabinet_order_act": cabinet(
        (OWNER, MANAGER, ACCOUNTANT), _kw(organizer_slug=org, code=company_paid_code)
    ),
    "tickets:cabinet_company_documents": cabinet(
        (OWNER, MANAGER, ACCOUNTANT), _kw(organizer_slug=org), idor=False
    ),
    # A saved organisation is removed only by the account that keeps it
    "tickets:organisation_delete": Rule(
        _kw(pk=lambda w: w.organisation.pk),
        {
            **{actor: 404 for actor in ACTORS if actor != "idor"},
            "anonymous": LOGIN,
            "link": LOGIN,
            "wrong_link": LOGIN,
            "buyer": 302,
        },
        "post",
    ),
    "tickets:order_cancel": order_page(
        _kw(code=pending_code), ok=302, team=(), staff=False, method="post"
    ),
    # The test provider's page is reached by its unguessable payment id (embedded setup only)
    "tickets:test_payment": public(_kw(public_id=lambda w: w.payment.public_id)),
    # Halyk's form page, by its unguessable payment id too: another provider's payment is unknown
    "tickets:halyk_payment_page": everyone(404, _kw(public_id=lambda w: w.payment.public_id)),
    # Signed provider callbacks: without CloudPayments' HMAC nobody gets in
    "tickets:cloudpayments_notification": everyone(403, _kw(kind=lambda w: "pay"), method="post"),
    "tickets:payment_notification": everyone(
        403, _kw(provider_name=lambda w: "cloudpayments", kind=lambda w: "pay"), method="post"
    ),
    # The waiting list: joining is public; an offer's link is its own credential
    "tickets:waitlist_join": public(_kw(ticket_type_id=lambda w: w.ticket_type.pk)),
    "tickets:waitlist_offer": public(_kw(token=lambda w: w.waitlist_entry.offer_token)),
    "tickets:waitlist_leave": public(_kw(token=lambda w: w.waitlist_entry.offer_token)),
    # The waiting room: its queue and poll are public (a place is a browser's, not an object)
    "tickets:waitroom_queue": public(_kw(event_id=event_pk), ok=302),
    "tickets:waitroom_status": public(_kw(event_id=event_pk)),
    "tickets:cabinet_waitrooms": cabinet(ROLES_EVENTS, _kw(organizer_slug=org), idor=False),
    "tickets:cabinet_waitroom": cabinet(
        ROLES_EVENTS, _kw(organizer_slug=org, event_slug=event_slug)
    ),
    "widget:queue": everyone(400, _kw(event_id=event_pk)),
    "api:api_queue": signed_in_api(_kw(event_id=event_pk)),
    "api:api_queue_join": signed_in_api(_kw(event_id=event_pk), method="post"),
    # Seat maps of a public session
    "tickets:seat_availability": public(_kw(session_id=session_pk)),
    "tickets:seat_hold": public(_kw(session_id=session_pk), ok=302, method="post"),
    "tickets:seat_release": public(_kw(session_id=session_pk), ok=302, method="post"),
    "tickets:seat_best": public(_kw(session_id=session_pk), ok=302, method="post"),
    # The widget works only with its signed token (never a session): without it, 400 for all
    "widget:event": everyone(400, _kw(slug=event_slug)),
    "widget:order": everyone(400, _kw(code=paid_code)),
    "widget:order_pay": everyone(400, _kw(code=pending_code), method="post"),
    "widget:test_payment": everyone(400, _kw(public_id=lambda w: w.payment.public_id)),
    # Public pages
    "events:event_detail": public(_kw(slug=event_slug)),
    "events:organizer_detail": public(_kw(slug=org)),
    "privacy:policy_version": public(_kw(version=lambda w: w.policy.version)),
    # A one-click unsubscribe link is its own credential
    "privacy:unsubscribe": public(_kw(token=lambda w: w.unsubscribe_token)),
    # Everything held about the signed-in person: their own data only
    "privacy:account_data": signed_in(_kw(fmt=lambda w: "json")),
    # Personal files: staff with the register's permission only (to others they do not exist)
    "privacy:private_file": Rule(
        _kw(name=lambda w: w.blocking_document),
        {
            **{actor: 404 for actor in ACTORS if actor != "idor"},
            "staff": 200,
        },
    ),
}

CONFIRM = lambda w: {"confirm": "yes"}  # noqa: E731


def _cancel_confirmation(w) -> dict:
    from events.selectors import event_cancel_figures

    expected = event_cancel_figures(event=w.event).fingerprint
    return {"title": w.event.title_ru, "expected": expected}


def _refund_confirmation(w) -> dict:
    from tickets.selectors import order_refund_figures

    expected = order_refund_figures(order=w.paid, item_ids=None).fingerprint
    return {"all": "1", "confirm": "yes", "expected": expected}


# The second step of each destructive action: the confirming POST (it acts, then redirects).
CONFIRMED: dict[str, Rule] = {
    "events_cabinet:event_cancel": cabinet(
        ROLES_EVENTS,
        _kw(organizer_slug=org, pk=event_pk),
        ok=302,
        method="post",
        data=_cancel_confirmation,
    ),
    "events_cabinet:session_delete": cabinet(
        ROLES_EVENTS,
        _kw(organizer_slug=org, pk=lambda w: w.spare_session.pk),
        ok=302,
        method="post",
        data=CONFIRM,
    ),
    "events_cabinet:ticket_type_delete": cabinet(
        ROLES_EVENTS,
        _kw(organizer_slug=org, pk=lambda w: w.spare_ticket_type.pk),
        ok=302,
        method="post",
        data=CONFIRM,
    ),
    "organizers:member_remove": cabinet(
        ROLES_TEAM,
        _kw(organizer_slug=org, pk=lambda w: w.memberships[ACCOUNTANT].pk),
        ok=302,
        method="post",
        data=CONFIRM,
    ),
    "tickets:cabinet_order_refund": cabinet(
        ROLES_ORDERS,
        _kw(organizer_slug=org, code=paid_code),
        ok=302,
        method="post",
        data=_refund_confirmation,
    ),
    "tickets:cabinet_item_reissue": cabinet(
        ROLES_ORDERS,
        _kw(organizer_slug=org, code=paid_code, item_id=lambda w: w.item.pk),
        ok=302,
        method="post",
        data=CONFIRM,
    ),
    "tickets:scanner_device_revoke": cabinet(
        ROLES_ORDERS,
        _kw(organizer_slug=org, device_id=lambda w: w.device.pk),
        ok=302,
        method="post",
        data=CONFIRM,
    ),
    "organizers:api_key_revoke": cabinet(
        ROLES_TEAM,
        _kw(organizer_slug=org, pk=lambda w: w.api_key.pk),
        ok=302,
        method="post",
        data=CONFIRM,
    ),
    "organizers:webhook_rotate": cabinet(
        ROLES_TEAM, _kw(organizer_slug=org, pk=webhook_pk), method="post", data=CONFIRM
    ),
    "organizers:webhook_delete": cabinet(
        ROLES_TEAM, _kw(organizer_slug=org, pk=webhook_pk), ok=302, method="post", data=CONFIRM
    ),
}

# Routes with arguments that this matrix does not cover, and why.
NOT_IN_MATRIX = {
    "account_confirm_email": "allauth: the e-mail confirmation key is the credential",
    "account_reset_password_from_key": "allauth: the password-reset key is the credential",
    "privacy:access_confirm": "the e-mailed confirmation token is the credential "
    "(tests/privacy/test_access_confirmation.py)",
    "wallet_apple_registration": "Apple Wallet's web service: the pass's token is the "
    "credential (tests/tickets/test_wallet_updates.py)",
    "wallet_apple_updated_serials": "Apple Wallet's web service: serial numbers only, for a "
    "device identifier (tests/tickets/test_wallet_updates.py)",
    "wallet_apple_pass": "Apple Wallet's web service: the pass's token is the credential "
    "(tests/tickets/test_wallet_updates.py)",
    "tickets:cabinet_moved": "sends old cabinet addresses on to the new ones, where this matrix "
    "applies; it reads nothing (tests/tickets/test_cabinet_moved.py)",
}
# Prefixes checked elsewhere: the admin (staff only, see test_admin_is_staff_only) and media.
NOT_IN_MATRIX_PREFIXES = ("admin/", "^media/")


def _routes(resolver=None, prefix="", namespace=""):
    """``(name, route)`` of every URL pattern that takes arguments."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _routes(pattern, prefix + str(pattern.pattern), ns)
            continue
        assert isinstance(pattern, URLPattern)
        route = prefix + str(pattern.pattern)
        has_args = pattern.pattern.regex.groups > 0 or "<" in route
        if not has_args:
            continue
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
        yield name or route, route


def test_every_route_with_arguments_has_an_entry():
    missing = [
        f"{name}  ({route})"
        for name, route in _routes()
        if name not in MATRIX
        and name not in NOT_IN_MATRIX
        and not route.startswith(NOT_IN_MATRIX_PREFIXES)
    ]
    assert not missing, "add these routes to MATRIX in tests/security/test_access_matrix.py:\n" + (
        "\n".join(missing)
    )


def test_matrix_has_no_stale_entries():
    names = {name for name, _route in _routes()}
    assert not set(MATRIX) - names
    assert not set(CONFIRMED) - names


# The shared objects ---------------------------------------------------------------------------


def _paid(order):
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


def _build(private_root) -> SimpleNamespace:
    from tests.events.seatmap_factories import seated_session

    w = SimpleNamespace()
    w.policy = PolicyVersion.objects.create(
        version="2026-1", text="Политика", published_at=timezone.now() - timezone.timedelta(days=1)
    )
    w.organizer = OrganizerFactory()
    w.users = {role: UserFactory() for role in ROLES}
    w.memberships = {
        role: MembershipFactory(organizer=w.organizer, user=user, role=role)
        for role, user in w.users.items()
    }
    w.other_organizer = OrganizerFactory()
    w.other_org_owner = MembershipFactory(organizer=w.other_organizer, role=OWNER).user
    w.buyer, w.other_buyer = UserFactory(), UserFactory()
    w.staff = UserFactory(is_staff=True, is_superuser=True)
    w.event = EventFactory(organizer=w.organizer, status=Event.Status.PUBLISHED)
    w.venue = VenueFactory(organizer=w.organizer)
    w.session = SessionFactory(event=w.event)
    w.ticket_type = TicketTypeFactory(session=w.session, price=Decimal("5000"), quantity=50)
    w.spare_session = SessionFactory(event=w.event)
    w.spare_ticket_type = TicketTypeFactory(session=w.spare_session, quantity=5)
    _seated, w.seat_map = seated_session(
        rows=2, seats_per_row=3, session=SessionFactory(event=w.event)
    )
    w.question = QuestionFactory(event=w.event, kind=Question.Kind.FILE)
    w.schedule = ScheduleFactory(event=ServiceFactory(organizer=w.organizer))
    w.schedule_exception = ScheduleException.objects.create(
        schedule=w.schedule, kind=ScheduleException.Kind.CLOSED, date=timezone.localdate()
    )
    w.paid = _paid(place_order({w.ticket_type: 2}, email=w.buyer.email, user=w.buyer))
    w.item = w.paid.items.first()
    w.answer = Answer.objects.create(order=w.paid, question=w.question, file_name="scan.png")
    w.answer.file.save("scan.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32), save=True)
    w.answer.file_content_type = "image/png"
    w.answer.save()
    w.pending = place_order({w.ticket_type: 1}, email=w.buyer.email, user=w.buyer)
    Event.objects.filter(pk=w.event.pk).update(allow_company_purchases=True)
    w.event.refresh_from_db()
    w.company_order = place_order(
        {w.ticket_type: 1},
        email=w.buyer.email,
        user=w.buyer,
        company=CompanyDetails(
            legal_name="ТОО «Алтын Дала»", bin_iin="190340012348", legal_address="Астана"
        ),
    )
    invoice_generate(order_id=w.company_order.pk)
    w.company_paid = _paid(
        place_order(
            {w.ticket_type: 1},
            email=w.buyer.email,
            user=w.buyer,
            company=CompanyDetails(
                legal_name="ТОО «Алтын Дала»", bin_iin="190340012348", legal_address="Астана"
            ),
        )
    )
    closing_act_issue(order_id=w.company_paid.pk)
    w.organisation = SavedOrganisation.objects.create(
        user=w.buyer,
        legal_name="ТОО «Алтын Дала»",
        bin_iin="180240021341",
        legal_address="Астана",
        last_used_at=timezone.now(),
    )
    Event.objects.filter(pk=w.event.pk).update(allow_bank_transfer=True)
    w.transfer_order = place_order({w.ticket_type: 2}, email=w.buyer.email, user=w.buyer)
    OrderCompany.objects.create(
        order=w.transfer_order, legal_name="ТОО «Алтын Дала»", bin_iin="180240021341"
    )
    start_bank_transfer(w.transfer_order)
    w.statement_line = BankStatementLine.objects.create(
        organizer=w.organizer,
        statement=BankStatement.objects.create(organizer=w.organizer, file_sha256="0" * 64),
        fingerprint="f" * 64,
        amount=Decimal("1000"),
        status=BankStatementLine.Status.TO_DECIDE,
        problem=BankStatementLine.Problem.NO_CODE,
    )
    w.refund_request = RefundRequest.objects.create(order=w.paid, amount=Decimal("5000"))
    w.refund_request.items.set([w.item])
    w.waitlist_entry = WaitlistEntry.objects.create(
        ticket_type=w.ticket_type,
        email="waiting@example.kz",
        status=WaitlistEntry.Status.OFFERED,
        offer_expires_at=timezone.now() + timezone.timedelta(hours=2),
    )
    w.payment = Payment.objects.filter(order=w.paid).first()
    w.promo = PromoCodeFactory(organizer=w.organizer, code="SPRING")
    w.api_key = api_key_create(
        organizer=w.organizer, label="CRM", scopes=["orders:read"], created_by=None
    ).key
    w.webhook = webhook_endpoint_create(
        organizer=w.organizer,
        url="https://crm.example.kz/hook",
        event_types=["order.paid"],
        created_by=None,
    ).endpoint
    w.webhook_delivery = WebhookDelivery.objects.create(
        endpoint=w.webhook, event_id=uuid.uuid4(), event_type="order.paid", status="failed"
    )
    w.device = scanner_device_create(organizer=w.organizer, label="Вход А", created_by=None).device
    w.invitation = Invitation.objects.create(
        organizer=w.organizer, email="new@example.kz", role=MANAGER
    )
    w.export = AttendeeExport.objects.create(
        organizer=w.organizer,
        event=w.event,
        file_format=AttendeeExport.Format.CSV,
        status=AttendeeExport.Status.READY,
        row_count=1,
    )
    w.export.file.save("export-attendees.csv", ContentFile(b"a,b\n"), save=True)
    w.message = AttendeeMessage.objects.create(
        organizer=w.organizer, event=w.event, kind="service", subject="Перенос", body="Текст"
    )
    w.unsubscribe_token = marketing_unsubscribe_token("reader@example.kz")
    w.blocking_document = "privacy/blocking/2026/06/authority-test.pdf"
    from privacy.storage import private_storage

    private_storage.save(w.blocking_document, ContentFile(b"%PDF-1.4 test"))
    w.private_root = private_root
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    private_root = tmp_path_factory.mktemp("private")
    media_root = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PRIVATE_MEDIA_ROOT=private_root, MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        w = _build(private_root)
        w.media_root = media_root
        yield w
        transaction.set_rollback(True)


def _client(world, actor: str) -> Client:
    client = Client()
    user = {
        "buyer": world.buyer,
        "other_buyer": world.other_buyer,
        "other_org": world.other_org_owner,
        "idor": world.other_org_owner,
        "staff": world.staff,
        **world.users,
    }.get(actor)
    if user is not None:
        client.force_login(user)
    return client


def _call(world, name: str, rule: Rule, actor: str) -> int:
    kwargs = rule.kwargs(world)
    if actor == "idor":
        kwargs["organizer_slug"] = world.other_organizer.slug
    url = reverse(name, kwargs=kwargs)
    query = {}
    if actor == "link":
        by_code = {o.code: o for o in (world.pending, world.company_order, world.company_paid)}
        order = by_code.get(kwargs.get("code"), world.paid)
        query["s"] = order.secret
    if actor == "wrong_link":
        query["s"] = "guessed-secret"
    with transaction.atomic():
        client = _client(world, actor)
        if rule.method == "get":
            response = client.get(url, {**rule.data(world), **query})
        else:
            target = url + ("?s=" + query["s"] if query else "")
            if rule.json:
                send = getattr(client, rule.method)  # post, patch
                response = send(target, rule.data(world), content_type="application/json")
            else:
                response = client.post(target, rule.data(world))
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "name"),
    [("MATRIX", name) for name in sorted(MATRIX)]
    + [("CONFIRMED", name) for name in sorted(CONFIRMED)],
)
def test_route_answers_each_actor_as_allowed(world, table, name, settings):
    settings.PRIVATE_MEDIA_ROOT = world.private_root
    settings.MEDIA_ROOT = world.media_root
    rule = {"MATRIX": MATRIX, "CONFIRMED": CONFIRMED}[table][name]
    wrong = {}
    for actor in ACTORS:
        expected = rule.expect.get(actor, rule.expect.get("anonymous") if "link" in actor else None)
        if expected is None:
            continue
        got = _call(world, name, rule, actor)
        if got != expected:
            wrong[actor] = f"got {got}, expected {expected}"
    assert not wrong, f"{name}: {wrong}"


def _status(world, actor: str, url: str, method: str = "get", data=None) -> int:
    with transaction.atomic():
        client = _client(world, actor)
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.django_db
def test_admin_is_staff_only(world):
    """Every admin object page: the staff open it; everyone else is sent to the staff login."""
    from django.contrib import admin

    urls = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    urls += [
        reverse("admin:organizers_organizer_change", args=[world.organizer.pk]),
        reverse("admin:tickets_order_change", args=[world.paid.pk]),
        reverse("admin:events_event_change", args=[world.event.pk]),
    ]
    wrong = {}
    for url in urls:
        for actor in ("anonymous", "buyer", "owner", "manager", "other_org"):
            status = _status(world, actor, url)
            if status != 302:
                wrong[(url, actor)] = status
        if (status := _status(world, "staff", url)) != 200:
            wrong[(url, "staff")] = status
    assert not wrong


@pytest.mark.django_db
def test_guessed_secrets_get_nothing(world):
    """A wrong token, code, payment id or widget token is a 4xx that reveals nothing."""
    guesses = {
        reverse("organizers:invitation_accept", args=["x" * 43]): 404,
        reverse("privacy:unsubscribe", args=["not-a-token"]): 400,
        reverse("privacy:access_confirm", args=["x" * 43]): 404,
        reverse("tickets:test_payment", args=[uuid.uuid4()]): 404,
        reverse("tickets:order_detail", args=["ZZZZ9999"]): 404,
        reverse("tickets:order_tickets_pdf", args=["ZZZZ9999"]): 404,
        reverse("widget:order", args=[world.paid.code]) + "?w=forged.token&s=x": 400,
        reverse("privacy:private_file", args=["privacy/../../etc/passwd"]): 404,
    }
    got = {url: _status(world, "staff" if "staff" in url else "buyer", url) for url in guesses}
    assert got == guesses


@pytest.mark.django_db
def test_another_buyers_secret_does_not_open_this_order(world):
    url = reverse("tickets:order_detail", args=[world.paid.code])
    assert _status(world, "anonymous", url + f"?s={world.pending.secret}") == 404
    assert _status(world, "anonymous", url + f"?s={world.paid.secret}") == 200
