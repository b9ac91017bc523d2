"""The consent text a subject reads before agreeing (Law 94-V, Art. 8(4)), built for one form.

Every channel that asks for consent to processing (the checkout, the widget, sign-up, later
the public API) describes the form it collects with ``ConsentNoticeInput`` and gets back the
exact text to show: the operator (name, БИН, address from the operator record), the data the
form collects, the purposes, the recipients (with the country where each processes the data),
cross-border transfer when a recipient is abroad, the term and how to withdraw. The same text
is stored in the consent ledger row with its language and channel, so what was shown is what
was agreed to.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, gettext, pgettext_lazy

from privacy.models import ConsentRecord, PolicyVersion
from privacy.services.operator import OperatorShown, operator_current
from privacy.services.policy import policy_current
from privacy.special_categories import special_category_name

# The operator processes where it is registered; a recipient elsewhere is a cross-border transfer.
HOME_COUNTRY = "KZ"


# The countries where recipients process data, by ISO code; translated when a notice names one.
COUNTRY_NAMES = {
    "KZ": pgettext_lazy("country", "Republic of Kazakhstan"),
    "RU": pgettext_lazy("country", "Russian Federation"),
    "KG": pgettext_lazy("country", "Kyrgyz Republic"),
    "UZ": pgettext_lazy("country", "Republic of Uzbekistan"),
    "BY": pgettext_lazy("country", "Republic of Belarus"),
    "AM": pgettext_lazy("country", "Republic of Armenia"),
    "DE": pgettext_lazy("country", "Germany"),
    "NL": pgettext_lazy("country", "Netherlands"),
    "IE": pgettext_lazy("country", "Ireland"),
    "US": pgettext_lazy("country", "United States of America"),
}


def country_name(code: str) -> str:
    """A recipient's country in the active language (the ISO code when it is not listed)."""
    name = COUNTRY_NAMES.get(code.upper())
    return str(name) if name is not None else code.upper()


@dataclass(frozen=True)
class ConsentRecipient:
    """Someone the data is transferred to: who (legal name), what for, and where it is processed."""

    name: str
    role: str
    country: str = HOME_COUNTRY

    @property
    def is_abroad(self) -> bool:
        return self.country.upper() != HOME_COUNTRY


@dataclass(frozen=True)
class ConsentNoticeInput:
    """What one form asks for and who receives it; the caller describes its own form.

    ``data`` are the items the form collects, as the subject sees them (field labels; a file
    field as "file: <label>"); ``purposes`` the purposes in the active language.
    """

    data: Sequence[str]
    purposes: Sequence[str]
    recipients: Sequence[ConsentRecipient] = ()
    channel: str = ConsentRecord.Channel.SITE
    special_data: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class ConsentNotice:
    """The exact consent text shown, paragraph by paragraph, with its language and channel."""

    paragraphs: tuple[str, ...]
    language: str
    channel: str
    policy: PolicyVersion | None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def digest(self) -> str:
        """A short fingerprint of the text, sent back with the form: an answer to an older text
        (the operator or the form changed in between) is asked again, not stored."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def _quoted(items: Sequence[str]) -> str:
    return ", ".join(items)


def _operator_paragraph(operator: OperatorShown) -> str:
    return gettext(
        "I give my consent to %(name)s, BIN %(bin)s, %(address)s (the operator), to collect and "
        "process my personal data on the terms below."
    ) % {
        "name": operator.name or "—",
        "bin": operator.bin or "—",
        "address": operator.legal_address or operator.postal_address or "—",
    }


def _recipients_paragraphs(recipients: Sequence[ConsentRecipient]) -> list[str]:
    if not recipients:
        return [
            gettext("Recipients: the data is not transferred to third parties."),
            gettext(
                "Cross-border transfer: none; the data is processed in the Republic of Kazakhstan."
            ),
        ]
    listed = "; ".join(
        gettext("%(name)s — %(role)s (country of processing: %(country)s)")
        % {"name": r.name, "role": r.role, "country": country_name(r.country)}
        for r in recipients
    )
    paragraphs = [gettext("Recipients: the data is transferred to %(list)s.") % {"list": listed}]
    abroad = [r for r in recipients if r.is_abroad]
    if abroad:
        where = "; ".join(f"{r.name} ({country_name(r.country)})" for r in abroad)
        paragraphs.append(
            gettext(
                "Cross-border transfer: yes. The data is transferred outside the Republic of "
                "Kazakhstan, for the purposes above, to: %(where)s."
            )
            % {"where": where}
        )
    else:
        paragraphs.append(
            gettext(
                "Cross-border transfer: none; every recipient processes the data in the Republic "
                "of Kazakhstan."
            )
        )
    return paragraphs


def _term_paragraph(years: int) -> str:
    return gettext(
        "Term: the consent is valid until the purposes are achieved or until I withdraw it. "
        "After that the data is kept only for the periods of the retention schedule in the "
        "privacy policy (orders and payments: %(years)s years, as the tax law requires) and "
        "then destroyed or made anonymous."
    ) % {"years": years}


def _withdrawal_paragraph(operator: OperatorShown, site_url: str) -> str:
    return gettext(
        "How to withdraw: at any time, in my account on the site (%(account)s), by e-mail to "
        "%(email)s, or by a registered letter with acknowledgement of delivery to %(postal)s. "
        "Withdrawal does not affect processing done before it or required by law."
    ) % {
        "account": site_url + reverse("privacy:account"),
        "email": operator.privacy_email or "—",
        "postal": operator.postal_address or operator.legal_address or "—",
    }


def consent_notice_build(
    *, notice: ConsentNoticeInput, site_url: str = "", policy: PolicyVersion | None = None
) -> ConsentNotice:
    """The consent text for one form, in the active language.

    ``site_url`` (e.g. ``https://eventum.one``) makes the links absolute (a letter or the
    widget's page on another site); by default they are paths of this site.

    The text is a function of what it names: the language, the form's items, purposes and
    recipients, the operator record, the policy's version and the retention term. A text built
    from the same of all of them is kept in this process and given again (a checkout builds
    one for every order); any change of one of them builds a new one.
    """
    policy = policy if policy is not None else policy_current()
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    paragraphs = _paragraphs(
        language,
        tuple(str(item) for item in notice.data),
        tuple(str(item) for item in notice.special_data),
        tuple(str(item) for item in notice.purposes),
        tuple(
            ConsentRecipient(name=str(r.name), role=str(r.role), country=r.country)
            for r in notice.recipients
        ),
        OperatorShown.of(operator_current()),
        policy.version if policy is not None else None,
        site_url,
        settings.RETENTION_ORDERS_YEARS,
        (get_script_prefix(), get_urlconf()),  # what the links are reversed with
    )
    return ConsentNotice(
        paragraphs=paragraphs, language=language, channel=notice.channel, policy=policy
    )


@lru_cache(maxsize=512)
def _paragraphs(
    language: str,
    data: tuple[str, ...],
    special_data: tuple[str, ...],
    purposes: tuple[str, ...],
    recipients: tuple[ConsentRecipient, ...],
    operator: OperatorShown,
    policy_version: str | None,
    site_url: str,
    retention_years: int,
    _addresses: tuple[str, str | None],
) -> tuple[str, ...]:
    """The paragraphs of a consent text (``language`` is the active one, ``_addresses`` what
    its links are reversed with; the others are all the text is made of)."""
    paragraphs = [
        _operator_paragraph(operator),
        gettext("Data collected: %(data)s.") % {"data": _quoted(data)},
    ]
    if special_data:
        paragraphs.append(
            gettext("Special categories of data (asked with a separate written consent): %(data)s.")
            % {"data": _quoted(special_data)}
        )
    paragraphs.append(gettext("Purposes: %(purposes)s.") % {"purposes": _quoted(purposes)})
    paragraphs.extend(_recipients_paragraphs(recipients))
    paragraphs.append(gettext("The data is not made public (not placed in public sources)."))
    paragraphs.append(_term_paragraph(retention_years))
    paragraphs.append(_withdrawal_paragraph(operator, site_url))
    if policy_version is not None:
        paragraphs.append(
            gettext("The privacy policy, version %(version)s: %(url)s")
            % {"version": policy_version, "url": site_url + reverse("privacy:policy")}
        )
    return tuple(paragraphs)


def special_consent_text(
    *, answer_to: str, categories: Sequence[str], recipient: str, event: str
) -> str:
    """The separate written consent to one answer holding special categories of data (identity
    documents, health), in the active language; shown beside its own box and stored as is."""
    operator = operator_current()
    what = ", ".join(special_category_name(c) for c in categories) or special_category_name("")
    return gettext(
        "I give my separate written consent to %(operator)s, BIN %(bin)s, to collect and "
        "process %(what)s that I give in answer to “%(question)s”, and to transfer them to "
        "%(recipient)s, the organizer of the event, only for admission to and taking part in "
        "“%(event)s”. They are destroyed with the event's personal data after the event, and I "
        "can withdraw this consent at any time in the ways described above."
    ) % {
        "operator": operator.name or "—",
        "bin": operator.bin or "—",
        "what": what,
        "question": answer_to,
        "recipient": recipient,
        "event": event,
    }
