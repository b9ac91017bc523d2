"""The page a signed-in buyer sees after a material change of the policy: accept or refuse."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from eventum.accounts import AuthenticatedHttpRequest
from privacy.identity import request_meta
from privacy.middleware import RECONSENT_SESSION_KEY
from privacy.services import (
    PolicyChangedAgain,
    policy_reconsent_accept,
    policy_reconsent_due,
    policy_state,
    processing_consent_withdraw,
)
from privacy.services.reconsent import RECONSENT_WORDING
from privacy.views.public import _safe_next


@login_required
@require_http_methods(["GET", "POST"])
def policy_accept_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    policy = policy_reconsent_due(user=request.user)
    if policy is None:
        return redirect(next_url)
    if request.method == "POST":
        return _decide(request, policy.version, next_url)
    language = get_language() or ""
    return render(
        request,
        "privacy/policy_accept.html",
        {
            "policy": policy,
            "policy_text": policy.text_in(language),
            "text_language": policy.text_language(language),
            "next": next_url,
            "wording": str(RECONSENT_WORDING) % {"version": policy.version},
        },
    )


def _decide(request: AuthenticatedHttpRequest, version: str, next_url: str) -> HttpResponse:
    meta = request_meta(request)
    decision = request.POST.get("decision")
    if decision == "accept":
        try:
            policy_reconsent_accept(
                user=request.user, version=request.POST.get("version", ""), **meta
            )
        except PolicyChangedAgain:
            messages.error(
                request,
                _(
                    "The policy has changed again since you opened this page: please read "
                    "version %(version)s."
                )
                % {"version": version},
            )
            return redirect(f"{reverse('privacy:policy_accept')}?{urlencode({'next': next_url})}")
        request.session[RECONSENT_SESSION_KEY] = policy_state().material_version
        messages.success(
            request,
            _("Thank you: you accepted the privacy policy, version %(version)s.")
            % {"version": version},
        )
        return redirect(next_url)
    if decision == "refuse" and request.POST.get("confirm") == "yes":
        processing_consent_withdraw(user=request.user, **meta)
        request.session[RECONSENT_SESSION_KEY] = policy_state().material_version
        messages.success(
            request,
            _(
                "You did not accept the new policy, so your consent to processing and transfer "
                "is withdrawn. Organizers and partners no longer see your data; we will answer "
                "which processing continues and why."
            ),
        )
        return redirect("privacy:account")
    messages.error(request, _("Tick the box to confirm that you do not accept the policy."))
    return redirect(f"{reverse('privacy:policy_accept')}?{urlencode({'next': next_url})}")
