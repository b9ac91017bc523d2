"""Factories of the sales path (the catalogue ones live in ``tests/factories.py``)."""

import secrets
from decimal import Decimal

import factory

from tests.factories import EventFactory, OrganizerFactory
from tickets.models import PromoCode, Question


class PromoCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromoCode

    organizer = factory.SubFactory(OrganizerFactory)
    code = factory.Sequence(lambda n: f"PROMO{n}")
    kind = PromoCode.Kind.PERCENT
    value = Decimal("10")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    kind = Question.Kind.TEXT
    label = factory.Sequence(lambda n: f"Question {n}")


def new_token() -> str:
    return secrets.token_urlsafe(24)
