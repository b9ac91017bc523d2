"""The retention schedule: what personal data is kept, how long, and why.

The periods are settings ("Privacy" block of ``eventum/settings.py``); this list says them in
words for the policy, the subject-access answer and staff. The code that enforces each rule:

* ``ip_requests`` — ``privacy.services.iplog.iplog_aggregate`` (nightly);
* ``ip_statistics`` — the same run deletes daily counts past their period;
* ``order_ip`` — ``tickets.retention.services.order_ips_shorten`` and, for the consent
  ledger, ``privacy.services.retention.consent_ips_shorten`` (nightly);
* ``orders`` — ``tickets.retention.services.orders_anonymise`` (nightly);
* ``event_data`` — the organizer's "destroy personal data" action after the event
  (``tickets.retention.services.event_personal_data_destroy``).
* ``registers`` and ``cookie_consents`` — ``privacy.services.chain_cut.consent_ledger_cut``
  for the consent ledger and ``privacy.services.register_cut.registers_cut`` for the other
  registers (nightly).

Every run writes a row to the destruction trail (``privacy.services.retention``). Data of a
blocked subject or of a claimant whose claim is open is kept until that ends (legal hold).

The policy in force states the same periods in words; ``policy_periods_mismatch`` compares a
policy text with the schedule (the admin warns when a version says otherwise).
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class RetentionPeriod:
    """One number of the schedule: the setting it comes from, its value and unit."""

    setting: str
    amount: int
    unit: str  # "days" or "years"


@dataclass(frozen=True)
class RetentionRule:
    key: str
    what: str
    period: str
    why: str
    periods: tuple[RetentionPeriod, ...] = field(default=())


def _period(setting: str, unit: str) -> RetentionPeriod:
    return RetentionPeriod(setting, int(getattr(settings, setting)), unit)


def _days(days: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def _years(years: int) -> str:
    return ngettext("%(n)s year", "%(n)s years", years) % {"n": years}


def retention_rule(key: str) -> RetentionRule:
    return next(rule for rule in retention_schedule() if rule.key == key)


def retention_schedule() -> list[RetentionRule]:
    """Every rule of the schedule, in the active language."""
    return [
        RetentionRule(
            key="ip_requests",
            what=_("Each request to the site: IP address, time, page, browser"),
            period=_("%(period)s, then only the number of requests per network per day")
            % {"period": _days(settings.IP_LOG_RETENTION_DAYS)},
            why=_(
                "Finding technical problems and checking payments; the network (IPv4 /24, "
                "IPv6 /48) no longer identifies a visitor."
            ),
            periods=(_period("IP_LOG_RETENTION_DAYS", "days"),),
        ),
        RetentionRule(
            key="ip_statistics",
            what=_("Daily numbers of requests per network"),
            period=_days(settings.RETENTION_IP_STATS_DAYS),
            why=_("Load and abuse statistics over two seasons of events."),
            periods=(_period("RETENTION_IP_STATS_DAYS", "days"),),
        ),
        RetentionRule(
            key="order_ip",
            what=_("The IP address an order was placed or a consent given from"),
            period=_("%(period)s, then shortened to its network")
            % {"period": _days(settings.RETENTION_ORDER_IP_DAYS)},
            why=_("Checking fraud and disputed card payments (chargebacks)."),
            periods=(_period("RETENTION_ORDER_IP_DAYS", "days"),),
        ),
        RetentionRule(
            key="orders",
            what=_("Orders and tickets: buyer's name, phone, e-mail, address, answers and files"),
            period=_(
                "%(period)s after the end of the year of the order, then made anonymous; "
                "amounts, dates, order code and organizer are kept"
            )
            % {"period": _years(settings.RETENTION_ORDERS_YEARS)},
            why=_("The tax law's period for keeping the documents behind taxes and accounts."),
            periods=(_period("RETENTION_ORDERS_YEARS", "years"),),
        ),
        RetentionRule(
            key="event_data",
            what=_("Answers to the organizer's questions and attached files of one event"),
            period=_("Until the organizer destroys them after the event, at the latest as orders"),
            why=_("The organizer needs them only to admit buyers to the event."),
        ),
        RetentionRule(
            key="registers",
            what=_(
                "Consent ledger, withdrawals, blocking and access requests, claims, transfers "
                "to third parties, destruction log"
            ),
            period=_(
                "While the consent is in force and %(period)s after it ends (the limitation period)"
            )
            % {"period": _years(settings.RETENTION_REGISTERS_YEARS)},
            why=_("The law on personal data requires proof of consent and of these records."),
            periods=(_period("RETENTION_REGISTERS_YEARS", "years"),),
        ),
        RetentionRule(
            key="cookie_consents",
            what=_("Records of cookie choices in the consent ledger"),
            period=_days(settings.RETENTION_COOKIE_CONSENT_DAYS),
            why=_(
                "Proof of the visitor's choice for as long as the browser may still hold it, "
                "and for disputes about it after that."
            ),
            periods=(_period("RETENTION_COOKIE_CONSENT_DAYS", "days"),),
        ),
    ]


# A number followed by a unit word in any of the policy's languages.
_STATED_PERIOD = re.compile(
    r"(?P<amount>\d+)\s*(?:(?P<days>дн|день|дня|күн|day)|(?P<years>лет|год|жыл|year))",
    re.IGNORECASE,
)


def schedule_periods() -> list[RetentionPeriod]:
    """Every period of the schedule, in its order (the order the policy states them in)."""
    return [period for rule in retention_schedule() for period in rule.periods]


def policy_stated_periods(text: str) -> list[tuple[int, str]]:
    """The periods a policy text states in its retention schedule: ``(amount, unit)`` from
    each item of the list (lines starting with a dash), in order."""
    stated: list[tuple[int, str]] = []
    for line in text.splitlines():
        if not line.lstrip().startswith(("—", "-", "–")):
            continue
        for match in _STATED_PERIOD.finditer(line):
            stated.append((int(match["amount"]), "days" if match["days"] else "years"))
    return stated


def policy_periods_mismatch(text: str) -> list[str]:
    """How a policy text's retention periods differ from the schedule's settings, one line per
    difference (``[]``: they agree). A text without a retention list states nothing to check."""
    stated = policy_stated_periods(text)
    if not stated:
        return []
    expected = schedule_periods()
    problems = [
        f"{period.setting} = {period.amount} {period.unit}, the policy says {amount} {unit}"
        for period, (amount, unit) in zip(expected, stated, strict=False)
        if (period.amount, period.unit) != (amount, unit)
    ]
    if len(stated) != len(expected):
        problems.append(
            f"the policy states {len(stated)} periods, the schedule has {len(expected)}"
        )
    return problems
