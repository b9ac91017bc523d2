"""Idempotent demo sales set-up for the embedded default: a promo code and checkout questions.

Run after ``seed_demo``: the demo events must exist. Running it again changes nothing.
"""

from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from events.models import Event
from tickets.models import PromoCode, Question

DEMO_EVENT = "dombra-night-almaty"
DEMO_PROMO = "DOMBRA10"


class Command(BaseCommand):
    help = "Demo promo code DOMBRA10 and checkout questions for the demo concert."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        event = Event.objects.filter(slug=DEMO_EVENT).first()
        if event is None:
            self.stdout.write("seed_demo_sales: run seed_demo first; nothing to do.")
            return
        PromoCode.objects.get_or_create(
            organizer=event.organizer,
            code=DEMO_PROMO,
            defaults={"event": event, "kind": PromoCode.Kind.PERCENT, "value": Decimal("10")},
        )
        questions = [
            (Question.Kind.TEXT, "Как вы узнали о концерте?", False, ""),
            (Question.Kind.FILE, "Документ для льготного билета (PDF или фото)", False, ""),
        ]
        for position, (kind, label, required, choices) in enumerate(questions):
            Question.objects.get_or_create(
                event=event,
                label=label,
                defaults={
                    "kind": kind,
                    "required": required,
                    "choices": choices,
                    "position": position,
                },
            )
        self.stdout.write(f"seed_demo_sales: promo code {DEMO_PROMO} for “{event}”.")
        # A few hundred orders so the organizer's dashboard has figures and a chart.
        call_command("seed_demo_orders", stdout=self.stdout)
