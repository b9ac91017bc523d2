"""Bank transfers' periodic duty: reminders a working day before the deadline, expiry after."""

from celery import shared_task

from tickets.banktransfer.services import bank_transfers_tick


@shared_task(acks_late=True)
def bank_transfers_tick_task() -> dict[str, int]:
    return bank_transfers_tick()
