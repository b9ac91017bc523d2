"""Fill the sales summary from the orders sold before it existed."""

from django.db import migrations

from tickets.reports.services.sales_summary import expected_event_rows, expected_ticket_rows


def fill(apps, schema_editor):
    Order = apps.get_model("tickets", "Order")
    OrderItem = apps.get_model("tickets", "OrderItem")
    EventSalesDay = apps.get_model("tickets", "EventSalesDay")
    TicketSalesDay = apps.get_model("tickets", "TicketSalesDay")
    EventSalesDay.objects.bulk_create(
        (
            EventSalesDay(event_id=event_id, day=day, **figures)
            for (event_id, day), figures in expected_event_rows(Order.objects.all()).items()
        ),
        batch_size=2000,
    )
    TicketSalesDay.objects.bulk_create(
        (
            TicketSalesDay(ticket_type_id=ticket_type_id, day=day, **figures)
            for (ticket_type_id, day), figures in expected_ticket_rows(
                OrderItem.objects.all()
            ).items()
        ),
        batch_size=2000,
    )


def empty(apps, schema_editor):
    apps.get_model("tickets", "EventSalesDay").objects.all().delete()
    apps.get_model("tickets", "TicketSalesDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0028_sales_summary")]

    operations = [migrations.RunPython(fill, empty)]
