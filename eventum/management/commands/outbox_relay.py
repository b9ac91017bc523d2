"""``manage.py outbox_relay``: send the tasks that waited in the outbox for the broker."""

from django.core.management.base import BaseCommand, CommandError

from eventum.outbox import outbox_relay, outbox_waiting


class Command(BaseCommand):
    help = "Publish undispatched outbox messages to the Celery broker (safe to run at any time)."

    def handle(self, *args, **options) -> None:
        sent = outbox_relay()
        waiting = outbox_waiting()
        self.stdout.write(f"outbox: {sent} sent, {waiting} waiting")
        if waiting:
            raise CommandError(f"{waiting} message(s) still wait for the broker")
