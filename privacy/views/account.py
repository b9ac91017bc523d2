"""The signed-in buyer's privacy pages: consent history, marketing choice, data download."""

from allauth.account.views import email as allauth_email_view
from allauth.headless.account.views import ManageEmailView
from allauth.headless.constants import Client
from allauth.headless.internal.decorators import app_view
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eventum.accounts import AuthenticatedHttpRequest
from privacy.forms import BLOCKED_ACCOUNT_EDIT, MarketingChoiceForm
from privacy.identity import request_meta
from privacy.models import ConsentRecord
from privacy.services import (
    SubjectBlockedError,
    consent_history,
    consent_is_live,
    marketing_consent_set,
    processing_consent_withdraw,
    subject_is_blocked,
    withdrawals_of_user,
)
from privacy.services.access import subject_access_self_service, subject_data_collect
from privacy.views.access import DATA_FORMATS, subject_data_response


@login_required
@require_http_methods(["GET"])
def account_privacy_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    live = consent_is_live(purpose=ConsentRecord.Purpose.MARKETING, user=request.user)
    return render(
        request,
        "privacy/account_privacy.html",
        {
            "history": consent_history(user=request.user),
            "marketing_form": MarketingChoiceForm(initial={"marketing": live}),
            "marketing_live": live,
            "is_blocked": subject_is_blocked(user=request.user),
            "processing_live": consent_is_live(
                purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER, user=request.user
            ),
            "withdrawals": withdrawals_of_user(user=request.user),
        },
    )


@login_required
@require_POST
def account_withdraw_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The buyer withdraws consent to processing and transfer; effective at once."""
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the withdrawal."))
        return redirect("privacy:account")
    meta = request_meta(request)
    processing_consent_withdraw(
        user=request.user, ip_address=meta["ip_address"], user_agent=meta["user_agent"]
    )
    messages.success(
        request,
        _(
            "Your consent is withdrawn. Organizers and partners no longer see your data; we "
            "will answer which processing continues and why."
        ),
    )
    return redirect("privacy:account")


@login_required
@require_POST
def account_marketing_view(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def account_data_view(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    """Everything held about the signed-in buyer: ``json``, ``html`` (readable) or ``pdf``."""
    if fmt not in DATA_FORMATS:
        raise Http404
    data = subject_data_collect(user=request.user)
    subject_access_self_service(user=request.user, fmt=fmt.upper())
    return subject_data_response(request, data, fmt)


@login_required
def account_email_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """allauth's e-mail page, except that a blocked subject cannot add, remove or switch
    addresses (the block names the account, so it also follows any address change)."""
    if request.method == "POST" and subject_is_blocked(user=request.user):
        messages.error(request, BLOCKED_ACCOUNT_EDIT)
        return redirect("account_email")
    return allauth_email_view(request)


_app_manage_email = ManageEmailView.as_view(client=Client.APP)


@app_view
def app_account_email_view(request: HttpRequest) -> HttpResponse:
    """allauth's app endpoint for the account's e-mails, with the page's rule: a blocked subject
    cannot add, remove or switch addresses. (``app_view`` signs the token's account in first.)"""
    if request.method not in ("GET", "HEAD", "OPTIONS") and subject_is_blocked(user=request.user):
        return JsonResponse(
            {"status": 403, "errors": [{"code": "blocked", "message": str(BLOCKED_ACCOUNT_EDIT)}]},
            status=403,
        )
    return _app_manage_email(request)
