import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizers", "0005_api_keys"),
        ("tickets", "0023_bank_transfers"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="organizer",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizers.organizer",
            ),
        ),
        # Existing orders take their event's organizer (an event never changes hands).
        migrations.RunSQL(
            "UPDATE tickets_order SET organizer_id = (SELECT organizer_id FROM events_event"
            " WHERE events_event.id = tickets_order.event_id) WHERE organizer_id IS NULL",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["organizer", "-created_at", "-id"], name="order_organizer_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["organizer", "status", "-created_at", "-id"],
                name="order_organizer_status_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["organizer", "paid_at"], name="order_organizer_paid"),
        ),
    ]
