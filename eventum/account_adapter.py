"""allauth adapter: account e-mails (verification, password reset) are sent by Celery, and a
member of an organizer's team lands in the cabinet after signing in."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse

from eventum.mail import email_enqueue
from organizers.selectors import memberships_of


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # The same context allauth gives its templates ("Hello from eventum!" needs the site);
        # only the sending moves to a worker.
        request = allauth_context.request
        mail_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        email_enqueue(self.render_mail(template_prefix, email, mail_context))

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Only when the sign-in names no page to return to (allauth prefers ``next``). The
        # cabinet's index goes on to the organizer when the member has only one.
        if request.user.is_authenticated and memberships_of(user=request.user).exists():
            return reverse("organizers:cabinet")
        return super().get_login_redirect_url(request)
