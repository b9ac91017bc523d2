"""Writes of acts of services rendered (акт оказанных услуг) for company orders.

An act is issued once per paid company order, when its organizer chose: on payment
(``closing_act_after_paid``, called from the paid path) or after the event (the nightly
``closing_acts_issue_due``). Numbers run 1, 2, 3… per organizer per calendar year with no gap:
the number is taken from the locked counter row in the transaction that stores the act.
"""

import logging
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, router, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Session
from eventum.outbox import outbox_enqueue, outbox_enqueue_many
from organizers.models import Organizer
from tickets.companies.documents import company_document
from tickets.companies.models import ClosingAct, ClosingActCounter, OrderCompany
from tickets.companies.pdf import render_company_document
from tickets.delivery.links import site_url
from tickets.models import Order

logger = logging.getLogger(__name__)

# Registered by ``tickets.companies.tasks``; services enqueue by name and never import tasks.
ACT_TASK = "tickets.companies.closing_act_issue"


def closing_act_number_take(*, organizer: Organizer, year: int) -> int:
    """The next act number of ``organizer`` in ``year``; call inside the act's transaction.

    The counter row is created if missing (a concurrent creation is ignored, not an error) and
    then locked: two acts issued at once get consecutive numbers, and a rolled-back act gives
    its number back, so numbers have no gaps.
    """
    ClosingActCounter.objects.bulk_create(
        [ClosingActCounter(organizer=organizer, year=year)], ignore_conflicts=True
    )
    counter = ClosingActCounter.objects.select_for_update().get(organizer=organizer, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def closing_act_issue(*, order_id: int) -> ClosingAct | None:
    """Issue the act of a paid company order (once: a second call returns the first act).

    ``None`` for a personal, free or unpaid order.
    """
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("event__organizer")
            .prefetch_related("items__ticket_type__session")
            .get(pk=order_id)
        )
        existing = ClosingAct.objects.filter(order=order).first()
        if existing is not None:
            return existing
        company = OrderCompany.objects.filter(order=order).first()
        if company is None or order.status != Order.Status.PAID or order.total <= 0:
            return None
        organizer = order.event.organizer
        issued_on = timezone.localdate()
        number = closing_act_number_take(organizer=organizer, year=issued_on.year)
        act = ClosingAct(
            order=order,
            organizer=organizer,
            year=issued_on.year,
            number=number,
            issued_on=issued_on,
        )
        document = company_document(
            order, company, kind="act", number=act.number_display, issued_on=issued_on
        )
        act.amount = document.total
        act.vat_amount = document.vat_amount
        act.language = document.language
        pdf = render_company_document(document)
        act.file.save(f"act-{act.number_display}-{order.code}.pdf", ContentFile(pdf), save=False)
        act.save()
    return act


def closing_act_email(*, act_id: int) -> bool:
    """E-mail the act to the order's contact person once; mail errors propagate (retried)."""
    act = ClosingAct.objects.select_related("order__event").get(pk=act_id)
    if act.emailed_at is not None:
        return False
    order = act.order
    with act.file.open("rb") as handle:
        pdf = handle.read()
    with translation.override(act.language):
        subject = _("Act of services rendered for order %(code)s: %(event)s") % {
            "code": order.code,
            "event": order.event,
        }
        context = {"order": order, "act": act, "order_url": site_url(order.get_absolute_url())}
        body = render_to_string("tickets/companies/email/act.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[order.email])
        message.attach(f"act-{act.number_display}.pdf", pdf, "application/pdf")
    with get_connection() as connection:
        connection.send_messages([message])
    ClosingAct.objects.filter(pk=act.pk).update(emailed_at=timezone.now())
    return True


def _bought_for_a_company(order_id: int) -> bool:
    """Whether the order is an organisation's; written out, as every paid order of an
    organizer who issues acts on payment asks."""
    table = OrderCompany._meta.db_table
    with connections[router.db_for_read(OrderCompany)].cursor() as cursor:
        cursor.execute(f'SELECT 1 FROM "{table}" WHERE "order_id" = %s LIMIT 1', [order_id])
        return cursor.fetchone() is not None


def closing_act_after_paid(order: Order) -> None:
    """On the paid path: issue the act in a worker when the organizer issues acts on payment.
    A free order has nothing to account for, nor an order of an organizer who issues acts
    after the event (neither costs a query here)."""
    if order.total <= 0:
        return
    organizer = order.event.organizer  # read with the locked order (``order_lock``)
    if organizer.closing_act_on != Organizer.ClosingActOn.ON_PAYMENT:
        return  # no act on payment, company order or not: nothing to ask
    if _bought_for_a_company(order.pk):
        outbox_enqueue(ACT_TASK, order.pk)


def closing_acts_issue_due(*, now: datetime | None = None) -> int:
    """Nightly: enqueue the acts of paid company orders whose event is over, for organizers
    who issue acts after the event. Returns how many were enqueued."""
    now = now or timezone.now()
    # An event is over when none of its sessions is still to start or still going on.
    not_over = Session.objects.filter(
        Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
    ).values("event_id")
    order_ids = list(
        Order.objects.filter(
            status=Order.Status.PAID,
            total__gt=0,
            company__isnull=False,
            closing_act__isnull=True,
            event__organizer__closing_act_on=Organizer.ClosingActOn.AFTER_EVENT,
        )
        .exclude(event_id__in=not_over)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        outbox_enqueue_many([(ACT_TASK, (pk,), {}) for pk in order_ids])
    return len(order_ids)
