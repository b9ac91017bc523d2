"""Cookie consent: the visitor's choice, kept in a cookie and recorded in the consent ledger.

Necessary cookies (session, CSRF, language, this choice) are always on. Analytics and
marketing cookies, and scripts that set them, are allowed only after the visitor said yes:
templates check ``cookie_consent.analytics`` / ``cookie_consent.marketing`` (context processor
``privacy.context_processors.cookie_consent``), and scripts written as
``<script type="text/plain" data-cookie-category="analytics" data-src="...">`` are started by
``privacy/cookie-consent.js`` only once that category is accepted.

A choice made under a version older than the latest *material* policy version no longer
stands: the banner shows again to everyone and optional cookies stay off until they choose.
"""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from eventum.accounts import Visitor
from privacy.identity import request_meta
from privacy.models import ConsentRecord
from privacy.services.consent import consent_record
from privacy.services.policy import policy_current, policy_state

COOKIE_NAME = "eventum_cookie_consent"
COOKIE_MAX_AGE = 365 * 24 * 3600
CATEGORIES = ("analytics", "marketing")
_PURPOSES = {
    "analytics": ConsentRecord.Purpose.COOKIES_ANALYTICS,
    "marketing": ConsentRecord.Purpose.COOKIES_MARKETING,
}


@dataclass(frozen=True)
class CookieChoice:
    decided: bool = False
    analytics: bool = False
    marketing: bool = False
    policy_version: str = ""
    browser_id: str = ""

    @property
    def necessary(self) -> bool:
        return True

    def cookie_value(self) -> str:
        return "|".join(
            [
                "v1",
                f"a:{int(self.analytics)}",
                f"m:{int(self.marketing)}",
                f"p:{self.policy_version}",
                f"id:{self.browser_id}",
            ]
        )


def cookie_choice_parse(value: str | None) -> CookieChoice:
    """The choice stored in the cookie; an absent or unreadable cookie means "not decided"."""
    if not value or not value.startswith("v1|"):
        return CookieChoice()
    fields = dict(part.split(":", 1) for part in value.split("|")[1:] if ":" in part)
    if fields.get("a") not in ("0", "1") or fields.get("m") not in ("0", "1"):
        return CookieChoice()
    browser_id = fields.get("id", "")
    try:
        browser_id = str(uuid.UUID(browser_id))
    except ValueError:
        browser_id = ""
    return CookieChoice(
        decided=True,
        analytics=fields["a"] == "1",
        marketing=fields["m"] == "1",
        policy_version=fields.get("p", "")[:20],
        browser_id=browser_id,
    )


def cookie_choice_read(request: HttpRequest) -> CookieChoice:
    """The visitor's choice in force: none while it was made under a policy version that a
    material change has since superseded (the browser's id is kept for the next rows)."""
    choice = cookie_choice_parse(request.COOKIES.get(COOKIE_NAME))
    if choice.decided and not policy_state().accepted(choice.policy_version):
        return CookieChoice(policy_version=choice.policy_version, browser_id=choice.browser_id)
    return choice


def cookie_choice_wording(*, analytics: bool, marketing: bool) -> str:
    yes, no = gettext("yes"), gettext("no")
    return gettext(
        "Cookies: necessary — always on; analytics — %(analytics)s; marketing — %(marketing)s. "
        "Disabling cookies may block access to the parts of the site that need signing in."
    ) % {"analytics": yes if analytics else no, "marketing": yes if marketing else no}


@transaction.atomic
def cookie_choice_record(
    *,
    request: HttpRequest,
    analytics: bool,
    marketing: bool,
    user: Visitor | None = None,
) -> CookieChoice:
    """Record the visitor's choice in the ledger (one row per category) and return it.

    The rows carry the policy version in force, the wording shown, time, IP and user agent,
    and the browser's random id (kept in the cookie) so later changes link to the same browser.
    """
    previous = cookie_choice_read(request)
    policy = policy_current()
    choice = CookieChoice(
        decided=True,
        analytics=analytics,
        marketing=marketing,
        policy_version=policy.version if policy is not None else "",
        browser_id=previous.browser_id or str(uuid.uuid4()),
    )
    wording = cookie_choice_wording(analytics=analytics, marketing=marketing)
    for category in CATEGORIES:
        consent_record(
            purpose=_PURPOSES[category],
            action=(
                ConsentRecord.Action.GIVEN
                if getattr(choice, category)
                else ConsentRecord.Action.WITHDRAWN
            ),
            wording=wording,
            channel=ConsentRecord.Channel.SITE,
            user=user,
            policy_version=policy,
            browser_id=choice.browser_id,
            source="cookie-banner",
            **request_meta(request),
        )
    return choice


def cookie_choice_set(response: HttpResponse, choice: CookieChoice, *, secure: bool) -> None:
    """Store the choice in the browser (readable by the banner script, hence not HttpOnly)."""
    response.set_cookie(
        COOKIE_NAME,
        choice.cookie_value(),
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=secure,
        httponly=False,
    )
