"""Why personal data is processed and for how long: the one list the access answer shows.

Each entry restates a part of the privacy policy in force (``privacy/policy_texts/``); when the
policy changes, change this list with it. Periods that the code enforces come from the
settings ("Privacy" block of ``eventum/settings.py``), so the answer says what really happens:

* "Предмет политики" and "Цели сбора" — providing the organizers' services, and passing the
  data to organizers and partners for it (consent ``processing_and_transfer``);
* "Система собирает статистику об IP-адресах" — technical problems and lawful payments; raw
  requests are kept ``IP_LOG_RETENTION_DAYS`` days, then only counts per IP per day
  (``privacy.services.iplog.iplog_aggregate``), payment-flow events by IP as long as raw rows;
* "Покупатель дает согласие на получение рекламных материалов" — advertising (consent
  ``marketing``), until the consent is withdrawn;
* "Последствием отключения cookies" — cookies: necessary ones always, analytics and marketing
  ones only after the visitor's choice, which the browser keeps for
  ``privacy.services.cookies.COOKIE_MAX_AGE`` and the consent ledger for
  ``RETENTION_COOKIE_CONSENT_DAYS`` (policy 1.3);
* "Способы и сроки" — the retention schedule (``privacy.retention``, policy 1.3): each
  purpose's period below is its rule's period.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from privacy.retention import retention_rule
from privacy.services.cookies import COOKIE_MAX_AGE


@dataclass(frozen=True)
class ProcessingPurpose:
    key: str
    purpose: str
    data: str
    recipients: str
    basis: str
    retention: str


def processing_purposes() -> list[ProcessingPurpose]:
    """The purposes of processing with their data, recipients, grounds and retention periods,
    in the active language."""
    ip_days = settings.IP_LOG_RETENTION_DAYS
    return [
        ProcessingPurpose(
            key="services",
            purpose=_(
                "Providing the organizer's services to you: orders, tickets, payment, "
                "delivery of tickets, admission at the door."
            ),
            data=_(
                "Surname, name, phone numbers, e-mail, postal address, answers and files of the "
                "order form, orders, payments, check-ins."
            ),
            recipients=_("Event organizers, advertising partners and other partners."),
            basis=_("Your consent to processing and transfer given with the order."),
            retention=retention_rule("orders").period,
        ),
        ProcessingPurpose(
            key="ip_statistics",
            purpose=_("Finding and fixing technical problems; checking that payments are lawful."),
            data=_("IP address, time, page, browser; order and payment events by IP address."),
            recipients=_("Not passed on."),
            basis=_("The privacy policy (statistics of the IP addresses of all visitors)."),
            retention=_(
                "Each request: %(days)s days; payment events by IP address: %(days)s days; "
                "then only the number of requests per network (IPv4 /24, IPv6 /48) per day, "
                "for %(stats_days)s days."
            )
            % {"days": ip_days, "stats_days": settings.RETENTION_IP_STATS_DAYS},
        ),
        ProcessingPurpose(
            key="marketing",
            purpose=_("Sending advertising from eventum, its partners and organizers."),
            data=_("E-mail, phone."),
            recipients=_("Advertising partners and organizers, or others on eventum's behalf."),
            basis=_("Your consent to advertising; you can withdraw it at any time."),
            retention=_("Until you withdraw the consent."),
        ),
        ProcessingPurpose(
            key="cookies",
            purpose=_(
                "Necessary cookies keep you signed in and the site working; analytics and "
                "marketing cookies only if you allowed them."
            ),
            data=_("Your cookie choice and a random identifier of the browser."),
            recipients=_("Not passed on."),
            basis=_("Necessary cookies: needed for the site; the others: your choice."),
            retention=_(
                "The choice stays in your browser for %(days)s days; its record in the consent "
                "ledger is kept for %(record_days)s days, then deleted."
            )
            % {
                "days": COOKIE_MAX_AGE // (24 * 3600),
                "record_days": settings.RETENTION_COOKIE_CONSENT_DAYS,
            },
        ),
        ProcessingPurpose(
            key="legal_registers",
            purpose=_(
                "Keeping the records the law on personal data requires: consents given and "
                "withdrawn, blocking and access requests, transfers to third parties."
            ),
            data=_("What each record names: e-mail, phone, account, time, IP address."),
            recipients=_("Not passed on."),
            basis=_("The law of the Republic of Kazakhstan on personal data."),
            retention=retention_rule("registers").period,
        ),
    ]
