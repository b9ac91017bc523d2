"""Signals through which other apps contribute to privacy answers without privacy importing them.

``subject_data_requested`` — sent when a subject's data is gathered (account download, staff
answering an access request) with keyword arguments ``user`` (or ``None``), ``email`` and
``phone`` (normalised, may be empty). A receiver returns a ``privacy.signals.SubjectDataSection``
(or a list of them, or ``None``) describing what its app holds about that subject, e.g. the
tickets app returns the orders, tickets and form answers::

    @receiver(subject_data_requested)
    def orders_section(sender, *, user, email, phone, **kwargs):
        return SubjectDataSection(key="orders", title=_("Orders"), data=[{...}, ...])

``data`` must be JSON-serialisable (dicts, lists, strings, numbers, booleans, ``None``).

``order_subject_lookup`` — sent with ``code`` (an order code typed into a blocking or access
request). The tickets app answers with ``{"email": ..., "phone": ..., "name": ..., "user": ...}``
(any keys may be missing) or ``None``; privacy fills the request's subject from the first answer.

``subject_references_requested`` — sent with the same ``user``, ``email`` and ``phone`` as
``subject_data_requested``. A receiver returns ``privacy.signals.SubjectReferences`` (or
``None``): the subject's order codes and the IP addresses they were placed from, so privacy can
add what it holds itself about those orders and addresses (payment-flow events by IP, daily
counts per IP) without knowing how other apps store orders.
"""

from dataclasses import dataclass, field
from typing import Any

from django.dispatch import Signal

subject_data_requested = Signal()
order_subject_lookup = Signal()
subject_references_requested = Signal()


@dataclass
class SubjectDataSection:
    key: str
    title: str
    data: Any = field(default_factory=list)
    # Readable names of the keys in ``data`` (for the HTML page; the JSON keeps the keys).
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class SubjectReferences:
    order_codes: list[str] = field(default_factory=list)
    ip_addresses: list[str] = field(default_factory=list)
