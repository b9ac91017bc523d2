"""Checkout questions in Russian, Kazakh and English: the Russian text is required and is what
readers of a language without its own text see."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import MembershipFactory, TicketTypeFactory
from tickets.models import Question

pytestmark = pytest.mark.django_db


def test_a_question_saved_from_the_kazakh_cabinet_keeps_russian_as_its_base(client):
    event = TicketTypeFactory(price=Decimal("5000")).session.event
    client.force_login(MembershipFactory(organizer=event.organizer).user)
    with translation.override("kk"):
        url = reverse("tickets:cabinet_questions", args=[event.organizer.slug, event.slug])
    page = client.get(url).content.decode()
    assert 'name="label_kk"' in page and 'name="help_text_en"' in page
    data = {
        "label": "Компания",
        "label_kk": "Компания атауы",
        "help_text": "Для счёта",
        "help_text_en": "For the invoice",
        "kind": Question.Kind.TEXT,
    }
    assert client.post(url, data).status_code == 302
    question = Question.objects.get(event=event)
    assert (question.label_ru, question.label_kk, question.label_en) == (
        "Компания",
        "Компания атауы",
        None,
    )
    shown = {}
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            fresh = Question.objects.get(pk=question.pk)
            shown[language] = (fresh.label, fresh.help_text)
    assert shown == {
        "ru": ("Компания", "Для счёта"),
        "kk": ("Компания атауы", "Для счёта"),
        "en": ("Компания", "For the invoice"),
    }
