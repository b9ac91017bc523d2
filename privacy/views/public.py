"""Pages anyone can open: the policy and its versions, unsubscribe, cookie choice, requests."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from eventum.ratelimit import PRIVACY_REQUEST, rate_limited
from privacy.forms import BlockingRequestForm, CookieChoiceForm, SubjectAccessRequestForm
from privacy.identity import request_client_ip, request_meta
from privacy.models import BlockingRequest, PolicyVersion
from privacy.services import (
    InvalidUnsubscribeLink,
    blocking_request_create,
    marketing_unsubscribe,
    operator_current,
    policy_current,
)
from privacy.services.access_confirmation import (
    ACCESS_LINK_HOURS,
    subject_access_request_submit,
)
from privacy.services.cookies import cookie_choice_record, cookie_choice_set


def policy_current_view(request: HttpRequest) -> HttpResponse:
    policy = policy_current(with_texts=True)
    if policy is None:
        raise Http404("No privacy policy has been published yet.")
    return _render_policy(request, policy, current=policy)


def policy_version_view(request: HttpRequest, version: str) -> HttpResponse:
    policy = get_object_or_404(PolicyVersion, version=version, published_at__isnull=False)
    return _render_policy(request, policy, current=policy_current())


def _render_policy(
    request: HttpRequest, policy: PolicyVersion, *, current: PolicyVersion | None
) -> HttpResponse:
    versions = PolicyVersion.objects.filter(published_at__isnull=False).only(
        "version", "published_at"
    )
    language = get_language() or settings.LANGUAGE_CODE
    text_language = policy.text_language(language)
    return render(
        request,
        "privacy/policy.html",
        {
            "policy": policy,
            "policy_text": policy.text_in(language),
            "text_language": text_language,
            "text_in_other_language": text_language != language.split("-")[0],
            "is_current": current is not None and current.pk == policy.pk,
            "versions": versions,
            "operator": operator_current(),
        },
    )


@csrf_exempt  # the signed token is the authority; mail clients POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """One click from a marketing e-mail, no login: consent is withdrawn on opening the link."""
    try:
        email, _record = marketing_unsubscribe(token=token, **request_meta(request))
    except InvalidUnsubscribeLink:
        return render(request, "privacy/unsubscribe_invalid.html", status=400)
    return render(request, "privacy/unsubscribed.html", {"email": email})


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("events:home")


@require_http_methods(["GET", "POST"])
def cookie_settings_view(request: HttpRequest) -> HttpResponse:
    """The cookie choice: a plain form that works without JavaScript; the banner posts here too.

    Answers JSON to the banner script (``Accept: application/json``), otherwise redirects back.
    """
    if request.method == "GET":
        return render(
            request,
            "privacy/cookie_settings.html",
            {"next": _safe_next(request, request.GET.get("next", ""))},
        )
    form = CookieChoiceForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("invalid cookie choice")
    choice = cookie_choice_record(request=request, user=request.user, **form.categories())
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response: HttpResponse = JsonResponse(
            {"analytics": choice.analytics, "marketing": choice.marketing}
        )
    else:
        messages.success(request, _("Your cookie choice is saved."))
        response = redirect(_safe_next(request, form.cleaned_data["next"]))
    cookie_choice_set(response, choice, secure=request.is_secure())
    return response


def _emails_given(request: HttpRequest) -> list[str]:
    """The e-mail addresses a request form names: who asks and whom it is about."""
    return [request.POST.get("requester_email", ""), request.POST.get("subject_email", "")]


# Each request accepted starts a deadline for staff: a few per address and per e-mail, shared
# by both forms (numbers and the answer without the cache in eventum/ratelimit.py).
privacy_request_limited = rate_limited(
    PRIVACY_REQUEST,
    emails=_emails_given,
    back_to="privacy:policy",
    back_label=gettext_lazy("Back to the privacy policy"),
)


def _signed_in_subject(request: HttpRequest, *, blocking: bool) -> dict[str, str]:
    """A signed-in person most often asks about themselves: their name and e-mail pre-filled as
    both the requester and the subject (they can still change either)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    name = user.get_full_name()
    initial = {"requester_email": user.email, "subject_email": user.email}
    if name:
        initial["requester_name"] = name
    if blocking:
        initial["requester_kind"] = BlockingRequest.RequesterKind.SUBJECT
        if name:
            initial["subject_name"] = name
    return initial


@require_http_methods(["GET", "POST"])
@privacy_request_limited
def blocking_request_view(request: HttpRequest) -> HttpResponse:
    """Public form: ask to block personal data (the subject, a representative, the authority)."""
    form = BlockingRequestForm(
        request.POST or None,
        request.FILES or None,
        initial=_signed_in_subject(request, blocking=True),
    )
    if request.method == "POST" and form.is_valid():
        blocking = form.save(commit=False)
        blocking.channel = BlockingRequest.Channel.SITE
        blocking.submitted_ip = request_client_ip(request)
        try:
            blocking = blocking_request_create(request=blocking)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "privacy/request_received.html", {"request_obj": blocking})
    return render(request, "privacy/blocking_request_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@privacy_request_limited
def access_request_view(request: HttpRequest) -> HttpResponse:
    """Public form: "what do you hold about me?" (signed-in buyers can download it at once).

    Nothing about the subject is shown here: a confirmation link goes to the e-mail named, and
    the page says the same whether or not we know that e-mail.
    """
    form = SubjectAccessRequestForm(
        request.POST or None, initial=_signed_in_subject(request, blocking=False)
    )
    if request.method == "POST" and form.is_valid():
        try:
            access = subject_access_request_submit(request=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "privacy/access_request_sent.html",
                {"request_obj": access, "hours": ACCESS_LINK_HOURS},
            )
    return render(
        request,
        "privacy/access_request_form.html",
        {"form": form, "days": settings.SUBJECT_ACCESS_DAYS, "hours": ACCESS_LINK_HOURS},
    )
