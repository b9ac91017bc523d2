"""Pages anyone can open: the policy and its versions, unsubscribe, cookie choice, requests."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from privacy.identity import request_meta
from privacy.models import PolicyVersion
from privacy.services import InvalidUnsubscribeLink, marketing_unsubscribe, policy_current


def policy_current_view(request: HttpRequest) -> HttpResponse:
    policy = policy_current()
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
    return render(
        request,
        "privacy/policy.html",
        {
            "policy": policy,
            "is_current": current is not None and current.pk == policy.pk,
            "versions": versions,
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
