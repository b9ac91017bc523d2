"""Building orders through the real services, for tests that start after checkout."""

from decimal import Decimal

from tests.factories import TicketTypeFactory
from tests.tickets.factories import new_token
from tickets.services.cart import cart_promo_apply, cart_set_quantities
from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create


def place_order(
    quantities: dict | None = None,
    *,
    promo: str = "",
    email: str = "buyer@example.kz",
    user=None,
    company=None,
):
    if quantities is None:
        quantities = {TicketTypeFactory(price=Decimal("5000"), quantity=10): 2}
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: q for tt, q in quantities.items()})
    if promo:
        cart_promo_apply(cart_token=token, code=promo)
    return order_create(
        cart_token=token,
        idempotency_key=new_token(),
        buyer=BuyerDetails(surname="Иванов", name="Иван", phone="+77011234567", email=email),
        consent=ConsentInput(processing_wording="Согласен", ip_address="10.0.0.1"),
        user=user,
        company=company,
    )
