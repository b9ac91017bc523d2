"""Staff privileges need a second factor (allauth MFA) used in this session, everywhere.

``staff_privileged(request)`` is the one answer to "may this request use a staff privilege?"
outside the admin (order pages, PDF tickets, attachments, private files): without a session
that passed the second factor a staff user is an ordinary user there. Inside the admin:

* A staff user without an authenticator is sent to set up TOTP first.
* A staff user with one must have entered a code (or a recovery code) in this session; allauth
  writes that into the session's authentication records (method ``"mfa"``) at login. A session
  without it (e.g. one opened before the authenticator existed) is signed out and sent to log in.
* ``/admin/login/`` would accept a bare password, so it is replaced by allauth's login.

The rule is always on (``STAFF_MFA_REQUIRED``); only the test suite turns it off for admin tests
that sign staff in with ``force_login``. Keep allauth's "trust this browser" (``MFA_TRUST_ENABLED``)
off: a trusted login skips the code, writes no MFA record, and staff could not get in.
"""

from collections.abc import Callable
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

# Factors that count as a second factor; recovery codes are a stand-in for a lost device.
SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def used_second_factor(request: HttpRequest) -> bool:
    """Did the signed-in user pass an MFA step (code, recovery code, key) in this session?"""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def staff_privileged(request: HttpRequest) -> bool:
    """Is this a staff user whose session passed the second factor (with an authenticator set
    up)? Every staff shortcut outside the admin asks this, not ``user.is_staff``."""
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_staff and user.is_active):
        return False
    if not settings.STAFF_MFA_REQUIRED:
        return True
    return is_mfa_enabled(user, SECOND_FACTOR_TYPES) and used_second_factor(request)


def _login_redirect(request: HttpRequest, next_url: str) -> HttpResponseRedirect:
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


class StaffMfaMiddleware:
    """Guards every URL under the admin; everything else passes through untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.STAFF_MFA_REQUIRED and request.path_info.startswith(reverse("admin:index")):
            response = self._guard(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _guard(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if request.path_info == reverse("admin:login"):
            if user.is_authenticated and not user.is_staff:
                raise PermissionDenied(_("Your account has no access to the administration."))
            # Staff who are signed in go on to the admin, where the rules below apply.
            return _login_redirect(request, request.GET.get("next") or reverse("admin:index"))
        if not (user.is_authenticated and user.is_staff):
            return None  # the admin sends them to its login page, redirected above
        if request.path_info == reverse("admin:logout"):
            return None
        if not is_mfa_enabled(user, SECOND_FACTOR_TYPES):
            messages.warning(
                request,
                _(
                    "Staff accounts need two-factor authentication. Set up an authenticator "
                    "app to open the administration."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        if not used_second_factor(request):
            next_url = request.get_full_path()
            logout(request)
            messages.warning(
                request,
                _(
                    "Sign in again with the code from your authenticator app to open the "
                    "administration."
                ),
            )
            return _login_redirect(request, next_url)
        return None


@receiver(authenticator_added)
def _count_activation_as_second_factor(
    sender: Any, request: HttpRequest | None, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    """Setting up TOTP means entering a valid code from it (after a fresh password check), so
    the session that did it has used the second factor and need not sign in again."""
    if request is None or authenticator.type not in SECOND_FACTOR_TYPES:
        return
    if getattr(request, "user", None) is not None and request.user.pk == user.pk:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )
