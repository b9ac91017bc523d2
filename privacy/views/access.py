"""The subject's data handed over: to the signed-in buyer, or after an e-mail confirmation.

``subject_data_response`` renders the data as JSON, a readable page or a PDF, for the account
download and for the confirmation link alike.
"""

import json
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy.services.access_confirmation import (
    AccessLinkInvalid,
    subject_access_answer_confirmed,
    subject_access_confirm,
    subject_access_confirmed_data,
    subject_access_link_check,
)

DATA_FORMATS = ("html", "json", "pdf")


def _download_name(extension: str) -> str:
    return f"eventum-my-data-{timezone.localdate():%Y-%m-%d}.{extension}"


def subject_data_response(request: HttpRequest, data: dict[str, Any], fmt: str) -> HttpResponse:
    """The subject's data as ``json``, ``html`` (readable) or ``pdf``, never cached."""
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{_download_name("json")}"'
    else:
        html = render_to_string("privacy/my_data.html", {"data": data}, request=request)
        if fmt == "pdf":
            from weasyprint import CSS, HTML

            # The stylesheet from disk: fetching it over HTTP from this very request could block.
            css = CSS(filename=finders.find("privacy/my-data.css"))
            pdf = HTML(string=html).write_pdf(stylesheets=[css])
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{_download_name("pdf")}"'
        else:
            response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


def _link_refused(request: HttpRequest, error: AccessLinkInvalid) -> HttpResponse:
    status = 410 if error.reason != AccessLinkInvalid.UNKNOWN else 404
    response = render(
        request, "privacy/access_link_invalid.html", {"message": error.message}, status=status
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def access_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation e-mail. Opening it (GET) changes nothing — mail scanners
    open links too; the button (POST) confirms the request and hands over the data once."""
    fmt = request.POST.get("format", "html")
    if fmt not in DATA_FORMATS:
        return HttpResponseBadRequest(_("Choose how to receive the data: page, JSON or PDF."))
    try:
        if request.method == "GET":
            access = subject_access_link_check(token=token)
            response = render(request, "privacy/access_confirm.html", {"request_obj": access})
            response["Cache-Control"] = "private, no-store"
            return response
        access = subject_access_confirm(token=token)
    except AccessLinkInvalid as error:
        return _link_refused(request, error)
    data = subject_access_confirmed_data(request=access)
    response = subject_data_response(request, data, fmt)
    subject_access_answer_confirmed(request=access, fmt=fmt)
    return response
