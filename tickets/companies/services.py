"""Writes of company orders: the organisation on the order, the buyer's saved organisations."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tickets.companies.errors import CompanyPurchaseNotAllowed, TooManyHolderNames
from tickets.companies.inputs import CompanyDetails
from tickets.companies.models import OrderCompany, SavedOrganisation
from tickets.models import Order, OrderItem


@transaction.atomic
def order_company_attach(*, order: Order, company: CompanyDetails) -> OrderCompany:
    """Record the organisation an order is bought for and name the holders of its tickets.

    Called by checkout inside the order's transaction. Raises ``CompanyPurchaseNotAllowed``
    when the event does not sell to organisations and ``TooManyHolderNames`` when there are
    more names than tickets (the whole order is then not written).
    """
    if not order.event.allow_company_purchases:
        raise CompanyPurchaseNotAllowed()
    items = list(OrderItem.objects.filter(order=order).order_by("id"))
    names = [name.strip() for name in company.holder_names if name.strip()]
    if len(names) > len(items):
        raise TooManyHolderNames()
    for item, name in zip(items, names, strict=False):
        item.holder_name = name[:201]
    OrderItem.objects.bulk_update(items[: len(names)], ["holder_name"])
    return OrderCompany.objects.create(
        order=order,
        legal_name=company.legal_name,
        bin_iin=company.bin_iin,
        legal_address=company.legal_address,
    )


@transaction.atomic
def organisation_remember(*, user: User, company: CompanyDetails) -> SavedOrganisation:
    """Keep the organisation for the buyer's next checkout (the same БИН/ИИН is updated)."""
    saved, _created = SavedOrganisation.objects.update_or_create(
        user=user,
        bin_iin=company.bin_iin,
        defaults={
            "legal_name": company.legal_name,
            "legal_address": company.legal_address,
            "last_used_at": timezone.now(),
        },
    )
    return saved


@transaction.atomic
def organisation_forget(*, user: User, organisation_id: int) -> bool:
    """Remove one of the buyer's saved organisations; ``False`` if it is not theirs."""
    deleted, _ = SavedOrganisation.objects.filter(user=user, pk=organisation_id).delete()
    return deleted > 0
