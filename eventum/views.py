"""Project-level pages that belong to no single app: the signed-in user's account overview."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organizers.selectors import memberships_of


@login_required
def account_overview(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(user=request.user))  # type: ignore[arg-type]
    return render(request, "account/overview.html", {"memberships": memberships})


def bench_trivial(request: HttpRequest) -> HttpResponse:
    """Only routed when ``EVENTUM_BENCH_ENDPOINTS=1``: the baseline the benchmarks divide by."""
    return HttpResponse("ok", content_type="text/plain")
