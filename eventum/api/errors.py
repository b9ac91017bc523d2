"""Errors of the API: one JSON body, ``{"error": "<code>", "message": "...", "details": ...}``.

``error`` is a stable machine code (a client switches on it); ``message`` is translated by
``Accept-Language``; ``details`` (validation errors only) lists what was wrong where.
"""

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


class ErrorOut(Schema):
    error: str
    message: str
    details: list[dict[str, Any]] | None = None


class ApiError(Exception):
    """A refusal with a stable ``code`` and an HTTP status; raised by endpoints."""

    def __init__(
        self,
        code: str,
        message: "_StrOrPromise",
        *,
        status: int = 400,
        retry_after: int = 0,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)
        self.status = status
        self.retry_after = retry_after
        self.details = details


# Codes of ninja's own HTTP errors, by status.
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "rate_limited",
}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    code: str,
    message: str,
    status: int,
    details: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"error": code, "message": message}
    if details is not None:
        body["details"] = details
    response = api.create_response(request, body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where and what, without echoing the input back (it may be a password)."""
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "type": str(error.get("type", "")),
            "msg": str(error.get("msg", "")),
        }
        for error in errors
    ]


def install_error_handlers(api: NinjaAPI) -> None:
    """Every refusal of ``api`` answers the one error body."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = error_response(
            api,
            request,
            code=exc.code,
            message=exc.message,
            status=exc.status,
            details=exc.details,
        )
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return error_response(
            api,
            request,
            code="validation_error",
            message=_("Some of the data sent is missing or not valid."),
            status=422,
            details=_validation_details(exc.errors),
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, code="not_found", message=_("Not found."), status=404)

    # An id beyond what the database can store (SQLite refuses such a number outright) names
    # nothing there is: the same answer as any unknown id.
    @api.exception_handler(OverflowError)
    def _id_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        return error_response(api, request, code="not_found", message=_("Not found."), status=404)

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = error_response(
            api,
            request,
            code="rate_limited",
            message=_("Too many requests. Please wait a little and try again."),
            status=429,
        )
        response["Retry-After"] = str(max(int(exc.wait or 1), 1))
        return response

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            code="not_authenticated",
            message=_("Sign in first: send a valid token."),
            status=401,
        )

    @api.exception_handler(AuthorizationError)
    def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return error_response(
            api, request, code="forbidden", message=_("You may not do this."), status=403
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(
            api,
            request,
            code=STATUS_CODES.get(exc.status_code, "error"),
            message=str(exc.message),
            status=exc.status_code,
        )


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response=`` entries documenting the error body for ``statuses``."""
    return dict.fromkeys(statuses, ErrorOut)


def form_invalid(form: Any) -> ApiError:
    """A Django form's errors as the API's validation error: the same rules and messages as
    the cabinet's pages, each under ``details`` with the field it belongs to."""
    details = [
        {
            "loc": ["body", field if field != "__all__" else "__all__"],
            "type": e["code"] or "invalid",
            "msg": str(e["message"]),
        }
        for field, errors in form.errors.get_json_data().items()
        for e in errors
    ]
    return ApiError(
        "validation_error",
        _("Some of the data sent is missing or not valid."),
        status=422,
        details=details,
    )
