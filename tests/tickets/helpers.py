"""Small helpers for driving the checkout through the test client."""

import re

from django.urls import reverse

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def choose(client, session, quantities: dict) -> object:
    data = {"session": session.pk}
    data.update({f"qty_{tt.pk}": q for tt, q in quantities.items()})
    return client.post(reverse("tickets:cart_update"), data)


def idempotency_key(client) -> str:
    page = client.get(reverse("tickets:checkout"))
    return re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)


def buyer_data(key: str, **extra) -> dict:
    data = {
        "surname": "Иванова",
        "name": "Айгерим",
        "phone": "8 (701) 123-45-67",
        "email": "Aigerim@Example.kz",
        "postal_address": "",
        "consent_processing": "on",
        "idempotency_key": key,
    }
    data.update(extra)
    return data
