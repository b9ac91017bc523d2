import pytest
from django.core.management import call_command

from tickets.models import PromoCode, Question

pytestmark = pytest.mark.django_db


def test_demo_sales_setup_is_idempotent_and_usable():
    call_command("seed_demo")
    call_command("seed_demo_sales")
    call_command("seed_demo_sales")
    promo = PromoCode.objects.get(code="DOMBRA10")
    assert promo.event.slug == "dombra-night-almaty"
    kinds = sorted(Question.objects.filter(event=promo.event).values_list("kind", flat=True))
    assert kinds == ["file", "text"]
