"""allauth adapter: account e-mails (verification, password reset) are sent by Celery."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from eventum.mail import email_enqueue


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
