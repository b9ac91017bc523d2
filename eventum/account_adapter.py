"""allauth adapter: account e-mails (verification, password reset) are sent by Celery."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from eventum.mail import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        email_enqueue(self.render_mail(template_prefix, email, context))
