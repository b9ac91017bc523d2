"""The tickets app's part of the organizer's cabinet: its navigation links and overview panels
(registered with ``organizers.cabinet`` from ``TicketsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from organizers.cabinet import (
    CabinetLink,
    OverviewPanel,
    attention_source_register,
    cabinet_link_register,
    overview_panel_register,
)
from organizers.roles import (
    ROLES_ANY,
    ROLES_BANK_TRANSFERS,
    ROLES_CHECKIN,
    ROLES_EVENTS,
    ROLES_ORDERS,
    ROLES_PROFILE,
    ROLES_REPORTS,
)
from tickets.companies.roles import ROLES_COMPANY_DOCUMENTS
from tickets.reports.overview import sales_attention, todays_sales_panel, upcoming_sessions_panel

LINKS = (
    CabinetLink(
        label=_("Orders"),
        url_name="tickets:cabinet_orders",
        roles=ROLES_ORDERS,
        order=20,
        also_current_on=("tickets:cabinet_order*", "tickets:cabinet_item_*"),
    ),
    CabinetLink(
        label=_("Refund requests"),
        url_name="tickets:cabinet_refund_requests",
        roles=ROLES_ORDERS,
        order=25,
        also_current_on=("tickets:cabinet_refund_request*",),
    ),
    CabinetLink(
        label=_("Sales"),
        url_name="tickets:cabinet_dashboard",
        roles=ROLES_REPORTS,
        order=30,
        also_current_on=(
            "tickets:cabinet_event_dashboard",
            "tickets:cabinet_payout",
            "tickets:cabinet_export*",
            "tickets:cabinet_attendee_export",
            "tickets:cabinet_message*",
        ),
    ),
    CabinetLink(
        label=_("Company documents"),
        url_name="tickets:cabinet_company_documents",
        roles=ROLES_COMPANY_DOCUMENTS,
        order=35,
        also_current_on=("tickets:cabinet_order_act", "tickets:cabinet_order_invoice"),
    ),
    CabinetLink(
        label=_("Bank transfers"),
        url_name="tickets:cabinet_bank_transfers",
        roles=ROLES_BANK_TRANSFERS,
        order=37,
        also_current_on=("tickets:cabinet_bank_*",),
    ),
    CabinetLink(
        label=_("Check-in"),
        url_name="tickets:checkin_events",
        roles=ROLES_CHECKIN,
        order=40,
        also_current_on=("tickets:checkin_*",),
    ),
    CabinetLink(
        label=_("Scanner devices"),
        url_name="tickets:scanner_devices",
        roles=ROLES_ORDERS,
        order=45,
        also_current_on=("tickets:scanner_device*",),
    ),
    CabinetLink(
        label=_("Promo codes"),
        url_name="tickets:cabinet_promo_codes",
        roles=ROLES_ORDERS,
        order=50,
        also_current_on=("tickets:cabinet_promo_code*",),
    ),
    CabinetLink(
        label=_("Payment methods"),
        url_name="tickets:cabinet_payment_methods",
        roles=ROLES_PROFILE,
        order=70,
    ),
    CabinetLink(
        label=_("Waiting room"),
        url_name="tickets:cabinet_waitrooms",
        roles=ROLES_EVENTS,
        order=55,
        also_current_on=("tickets:cabinet_waitroom",),
    ),
    CabinetLink(
        label=_("Embed on your site"),
        url_name="tickets:cabinet_embed",
        roles=ROLES_EVENTS,
        order=60,
    ),
)
SALES_FIGURES = tuple(sorted(set(ROLES_ORDERS) | set(ROLES_REPORTS)))


def cabinet_sections_register() -> None:
    for link in LINKS:
        cabinet_link_register(link)
    overview_panel_register(
        OverviewPanel(
            template="tickets/cabinet/_overview_today.html",
            context=todays_sales_panel,
            roles=SALES_FIGURES,
            order=10,
        )
    )
    overview_panel_register(
        OverviewPanel(
            template="tickets/cabinet/_overview_upcoming.html",
            context=upcoming_sessions_panel,
            roles=ROLES_ANY,
            order=20,
        )
    )
    attention_source_register("tickets.sales", ROLES_ORDERS, sales_attention)
