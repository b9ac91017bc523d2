"""Consents given when an account is created."""

from django import forms
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from privacy.identity import request_app_name, request_meta
from privacy.models import ConsentRecord
from privacy.services.consent import consent_record, consent_wording
from privacy.services.consent_notice import ConsentNotice, ConsentNoticeInput, consent_notice_build

# Fields of the sign-up form that are not data about the person.
_NOT_DATA = ("marketing_opt_in", "password2")


def signup_consent_notice(*, form: forms.Form) -> ConsentNotice:
    """The consent text of the sign-up form: the data its fields collect, the account's
    purposes; nothing is transferred to anyone when an account is created. Its links are on
    the site's domain (the Sites framework, as allauth's e-mails)."""
    # Imported on use: allauth's utils read the Sites framework, which needs the app registry.
    from allauth.utils import build_absolute_uri

    named = {
        "email": gettext("e-mail address"),
        "password1": gettext("password (kept only as a hash that cannot be read back)"),
    }
    data = [
        named.get(name, str(field.label or name))
        for name, field in form.fields.items()
        if name not in _NOT_DATA
    ]
    data.append(gettext("the IP address and browser of the device used to sign up"))
    purposes = [
        gettext("my account on the site: signing in, my orders and tickets in one place"),
        gettext("answering my requests"),
        gettext("keeping the records the law requires"),
    ]
    return consent_notice_build(
        notice=ConsentNoticeInput(data=data, purposes=purposes, channel="site"),
        site_url=str(build_absolute_uri(None, "/")).rstrip("/"),
    )


@transaction.atomic
def signup_consents_record(
    *, request: HttpRequest, user: User, marketing: bool, notice: ConsentNotice
) -> list[ConsentRecord]:
    """Ledger rows for a new account: the consent text shown (``notice``), and marketing if the
    box was ticked. A sign-up from an app (allauth's app endpoints) is recorded on the ``api``
    channel with the app's name in the source."""
    meta = request_meta(request)
    app = request_app_name(request)
    channel = notice.channel if app is None else ConsentRecord.Channel.API
    source = "signup" if app is None else f"signup (app: {app})"
    rows = [
        consent_record(
            purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER,
            action=ConsentRecord.Action.GIVEN,
            wording=notice.text,
            wording_language=notice.language,
            channel=channel,
            user=user,
            policy_version=notice.policy,
            source=source,
            **meta,
        )
    ]
    if marketing:
        rows.append(
            consent_record(
                purpose=ConsentRecord.Purpose.MARKETING,
                action=ConsentRecord.Action.GIVEN,
                wording=consent_wording(ConsentRecord.Purpose.MARKETING, policy=notice.policy),
                channel=channel,
                user=user,
                policy_version=notice.policy,
                source=source,
                **meta,
            )
        )
    return rows
