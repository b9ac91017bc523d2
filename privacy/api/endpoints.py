"""``/api/v1/me/privacy...``: what the account's privacy page offers, for apps."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from eventum.api.auth import buyer_auth, signed_in_user
from eventum.api.errors import ApiError, error_responses
from eventum.ratelimit import PRIVACY_REQUEST, attempt_allowed
from privacy.forms import BlockingRequestForm, SubjectAccessRequestForm
from privacy.identity import request_app_name, request_client_ip, request_meta
from privacy.models import BlockingRequest, ConsentRecord
from privacy.services import (
    SubjectBlockedError,
    blocking_request_create,
    consent_is_live,
    marketing_consent_set,
    subject_is_blocked,
)
from privacy.services.access import subject_access_self_service, subject_data_collect
from privacy.services.access_confirmation import subject_access_request_submit

router = Router(tags=["privacy"], auth=buyer_auth)

BLOCKED_NO_MARKETING = _("Your data is blocked: we do not send you advertising.")


class PrivacyStateOut(Schema):
    marketing: bool
    processing: bool
    blocked: bool


class MarketingIn(Schema):
    consent: bool


class BlockingRequestIn(Schema):
    grounds: str
    grounds_details: str = ""
    name: str = ""
    phone: str = ""


class AccessRequestIn(Schema):
    request_text: str = ""
    name: str = ""


class RequestReceivedOut(Schema):
    id: int
    status: str
    due_at: str | None


def _state(request: HttpRequest) -> PrivacyStateOut:
    user = signed_in_user(request)
    return PrivacyStateOut(
        marketing=consent_is_live(purpose=ConsentRecord.Purpose.MARKETING, user=user),
        processing=consent_is_live(
            purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER, user=user
        ),
        blocked=subject_is_blocked(user=user),
    )


@router.get(
    "/me/privacy",
    response={200: PrivacyStateOut, **error_responses(401)},
    url_name="api_privacy_state",
    summary="Marketing and processing consent now, and whether the data is blocked",
)
def privacy_state(request: HttpRequest) -> PrivacyStateOut:
    return _state(request)


@router.post(
    "/me/privacy/export",
    response={200: dict[str, Any], **error_responses(401)},
    url_name="api_privacy_export",
    summary="Everything held about the signed-in person, as JSON (noted as an access request)",
)
def privacy_export(request: HttpRequest) -> dict[str, Any]:
    user = signed_in_user(request)
    data = subject_data_collect(user=user)
    subject_access_self_service(user=user, fmt="JSON (API)")
    return data


@router.put(
    "/me/privacy/marketing",
    response={200: PrivacyStateOut, **error_responses(401, 409, 422)},
    url_name="api_privacy_marketing",
    summary="Turn marketing consent on or off (written to the consent ledger)",
)
def privacy_marketing(request: HttpRequest, body: MarketingIn) -> PrivacyStateOut:
    try:
        marketing_consent_set(
            give=body.consent,
            channel=ConsentRecord.Channel.API,
            user=request.user,
            source=f"account (app: {request_app_name(request)})",
            **request_meta(request),
        )
    except SubjectBlockedError as exc:
        raise ApiError("subject_blocked", BLOCKED_NO_MARKETING, status=409) from exc
    return _state(request)


def _limited(request: HttpRequest) -> None:
    verdict = attempt_allowed(
        PRIVACY_REQUEST,
        client_ip=request_client_ip(request),
        emails=[signed_in_user(request).email],
    )
    if not verdict:
        raise ApiError(
            "rate_limited" if verdict.counted else "limit_unavailable",
            PRIVACY_REQUEST.message,
            status=429 if verdict.counted else 503,
            retry_after=verdict.retry_after or 30,
        )


def _form_error(form: Any) -> ApiError:
    fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    return ApiError("invalid_request", "; ".join(m for ms in fields.values() for m in ms))


@router.post(
    "/me/privacy/blocking-requests",
    response={201: RequestReceivedOut, **error_responses(400, 401, 429)},
    url_name="api_blocking_request",
    summary="Ask to block the signed-in person's data (the subject asks for themselves)",
)
def blocking_request(request: HttpRequest, body: BlockingRequestIn) -> Status:
    _limited(request)
    user = signed_in_user(request)
    name = body.name or user.get_full_name() or user.email
    form = BlockingRequestForm(
        {
            "requester_kind": BlockingRequest.RequesterKind.SUBJECT,
            "requester_name": name,
            "requester_email": user.email,
            "requester_phone": body.phone,
            "subject_name": name,
            "subject_email": user.email,
            "subject_phone": body.phone,
            "grounds": body.grounds,
            "grounds_details": body.grounds_details,
        }
    )
    if not form.is_valid():
        raise _form_error(form)
    blocking = form.save(commit=False)
    blocking.channel = BlockingRequest.Channel.API
    blocking.submitted_ip = request_client_ip(request)
    try:
        blocking = blocking_request_create(request=blocking)
    except ValidationError as exc:
        raise ApiError("invalid_request", " ".join(exc.messages)) from exc
    due = blocking.due_at.isoformat() if blocking.due_at else None
    return Status(201, RequestReceivedOut(id=blocking.pk, status=blocking.status, due_at=due))


@router.post(
    "/me/privacy/access-requests",
    response={201: RequestReceivedOut, **error_responses(400, 401, 429)},
    url_name="api_access_request",
    summary="Ask what is held about the signed-in person; the answer link goes to their e-mail",
)
def access_request(request: HttpRequest, body: AccessRequestIn) -> Status:
    _limited(request)
    user = signed_in_user(request)
    form = SubjectAccessRequestForm(
        {
            "requester_name": body.name or user.get_full_name() or user.email,
            "requester_email": user.email,
            "subject_email": user.email,
            "request_text": body.request_text,
        }
    )
    if not form.is_valid():
        raise _form_error(form)
    try:
        access = subject_access_request_submit(request=form.save(commit=False))
    except ValidationError as exc:
        raise ApiError("invalid_request", " ".join(exc.messages)) from exc
    due = access.due_at.isoformat() if access.due_at else None
    return Status(201, RequestReceivedOut(id=access.pk, status=access.status, due_at=due))
