"""The e-mail telling an organizer that one of its webhooks was switched off."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from eventum.mail import email_enqueue
from organizers import roles
from organizers.models import Membership
from organizers.webhooks.models import WebhookEndpoint


def _site_url(path: str) -> str:
    # Imported on use: allauth's utils read the Sites framework, which needs the app registry.
    from allauth.utils import build_absolute_uri

    return str(build_absolute_uri(None, path))


def email_webhook_disabled(endpoint: WebhookEndpoint) -> None:
    """To the organizer's owners (or its contact address when it has none), after commit."""
    organizer = endpoint.organizer
    owners = list(
        Membership.objects.filter(organizer=organizer, role=roles.OWNER)
        .select_related("user")
        .values_list("user__email", flat=True)
    )
    recipients = sorted({email for email in owners if email}) or (
        [organizer.email] if organizer.email else []
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "organizer": organizer,
            "endpoint": endpoint,
            "link": _site_url(
                reverse(
                    "organizers:webhook_detail",
                    kwargs={"organizer_slug": organizer.slug, "pk": endpoint.pk},
                )
            ),
        }
        body = render_to_string("organizers/email/webhook_disabled.txt", context)
        subject = _("Webhook switched off: %(url)s") % {"url": endpoint.url[:80]}
    email_enqueue(EmailMultiAlternatives(subject=subject, body=body, to=recipients))
