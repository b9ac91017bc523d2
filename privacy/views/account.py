"""The signed-in buyer's privacy pages: consent history, marketing choice, data download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from privacy.forms import MarketingChoiceForm
from privacy.identity import request_meta
from privacy.models import ConsentRecord
from privacy.services import (
    SubjectBlockedError,
    consent_history,
    consent_is_live,
    marketing_consent_set,
    subject_is_blocked,
)
from privacy.services.access import subject_access_self_service, subject_data_collect
from privacy.views.access import DATA_FORMATS, subject_data_response


@login_required
@require_http_methods(["GET"])
def account_privacy_view(request: HttpRequest) -> HttpResponse:
    live = consent_is_live(purpose=ConsentRecord.Purpose.MARKETING, user=request.user)
    return render(
        request,
        "privacy/account_privacy.html",
        {
            "history": consent_history(user=request.user),
            "marketing_form": MarketingChoiceForm(initial={"marketing": live}),
            "marketing_live": live,
            "is_blocked": subject_is_blocked(user=request.user),
        },
    )


@login_required
@require_POST
def account_marketing_view(request: HttpRequest) -> HttpResponse:
    form = MarketingChoiceForm(request.POST)
    form.is_valid()
    give = bool(form.cleaned_data.get("marketing"))
    try:
        marketing_consent_set(
            give=give,
            channel=ConsentRecord.Channel.SITE,
            user=request.user,
            source="account",
            **request_meta(request),
        )
    except SubjectBlockedError:
        messages.error(request, _("Your data is blocked: we do not send you advertising."))
    else:
        messages.success(
            request,
            _("You will receive news and offers.") if give else _("You are unsubscribed."),
        )
    return redirect("privacy:account")


@login_required
@require_http_methods(["GET"])
def account_data_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """Everything held about the signed-in buyer: ``json``, ``html`` (readable) or ``pdf``."""
    if fmt not in DATA_FORMATS:
        raise Http404
    data = subject_data_collect(user=request.user)
    subject_access_self_service(user=request.user, fmt=fmt.upper())
    return subject_data_response(request, data, fmt)
