"""The event rows of the sales summary count tickets too, and a row per organizer and day sums
them (``OrganizerSalesDay``): both filled from the summary as it stands, in SQL that PostgreSQL
and SQLite both run (a big history is a million rows, not to be read into Python)."""

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


FILL_EVENT_TICKETS = """
UPDATE tickets_eventsalesday SET sold = tickets.sold, refunded = tickets.refunded
FROM (
    SELECT event_id, day, SUM(sold) AS sold, SUM(refunded) AS refunded
    FROM tickets_ticketsalesday GROUP BY event_id, day
) AS tickets
WHERE tickets_eventsalesday.event_id = tickets.event_id AND tickets_eventsalesday.day = tickets.day
"""

FILL_ORGANIZER_DAYS = """
INSERT INTO tickets_organizersalesday
    (organizer_id, day, orders, gross, discounts, refunds, sold, refunded)
SELECT organizer_id, day, SUM(orders), SUM(gross), SUM(discounts), SUM(refunds), SUM(sold),
    SUM(refunded)
FROM tickets_eventsalesday GROUP BY organizer_id, day
"""


class Migration(migrations.Migration):

    dependencies = [
        ('organizers', '0008_webhooks'),
        ('tickets', '0030_order_name_trigram'),
    ]

    operations = [
        migrations.AddField(
            model_name='eventsalesday',
            name='refunded',
            field=models.IntegerField(default=0, verbose_name='refunded'),
        ),
        migrations.AddField(
            model_name='eventsalesday',
            name='sold',
            field=models.IntegerField(default=0, verbose_name='sold'),
        ),
        migrations.CreateModel(
            name='OrganizerSalesDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('orders', models.IntegerField(default=0, verbose_name='orders')),
                ('gross', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14, verbose_name='gross')),
                ('discounts', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14, verbose_name='discounts')),
                ('refunds', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14, verbose_name='refunds')),
                ('sold', models.IntegerField(default=0, verbose_name='sold')),
                ('refunded', models.IntegerField(default=0, verbose_name='refunded')),
                ('organizer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizers.organizer')),
            ],
            options={
                'verbose_name': 'organizer sales of a day',
                'verbose_name_plural': 'organizer sales per day',
                'constraints': [models.UniqueConstraint(fields=('organizer', 'day'), name='organizer_sales_one_per_day')],
            },
        ),
        migrations.RunSQL(FILL_EVENT_TICKETS, migrations.RunSQL.noop),
        migrations.RunSQL(FILL_ORGANIZER_DAYS, migrations.RunSQL.noop),
    ]
