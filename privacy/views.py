from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from privacy.models import PolicyVersion
from privacy.services import policy_current


def policy_current_view(request: HttpRequest) -> HttpResponse:
    policy = policy_current()
    if policy is None:
        raise Http404("No privacy policy has been published yet.")
    return render(request, "privacy/policy.html", {"policy": policy, "is_current": True})


def policy_version_view(request: HttpRequest, version: str) -> HttpResponse:
    policy = get_object_or_404(PolicyVersion, version=version, published_at__isnull=False)
    current = policy_current()
    return render(
        request,
        "privacy/policy.html",
        {"policy": policy, "is_current": current is not None and current.pk == policy.pk},
    )
