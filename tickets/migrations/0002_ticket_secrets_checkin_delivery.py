"""Ticket secrets for the door, check-ins, scanner devices, stored PDFs and e-mail deliveries."""

import secrets

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import tickets.delivery.models
import tickets.models.orders
import tickets.models.questions


def give_every_ticket_a_secret(apps, schema_editor):
    OrderItem = apps.get_model("tickets", "OrderItem")
    for item in OrderItem.objects.filter(secret__isnull=True).only("pk").iterator():
        OrderItem.objects.filter(pk=item.pk).update(secret=secrets.token_urlsafe(24))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_cover_thumbnails_cancelled_at"),
        ("organizers", "0001_initial"),
        ("tickets", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="orderitem",
            name="checked_in_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="checked in at"),
        ),
        # Added nullable, filled row by row with a fresh secret each, then made unique.
        migrations.AddField(
            model_name="orderitem",
            name="secret",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_every_ticket_a_secret, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="orderitem",
            name="secret",
            field=models.CharField(
                default=tickets.models.orders.ticket_secret_new,
                editable=False,
                max_length=64,
                unique=True,
            ),
        ),
        migrations.AddField(
            model_name="orderitem",
            name="secret_issued_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="QR code issued at"
            ),
        ),
        migrations.CreateModel(
            name="ScannerDevice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(max_length=100, verbose_name="device name")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "token_hint",
                    models.CharField(
                        editable=False, max_length=8, verbose_name="token starts with"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used at"),
                ),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organizer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scanners",
                        to="organizers.organizer",
                    ),
                ),
            ],
            options={
                "verbose_name": "scanner device",
                "verbose_name_plural": "scanner devices",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="CheckIn",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("checked_in_at", models.DateTimeField(verbose_name="checked in at")),
                ("scanner_label", models.CharField(max_length=150, verbose_name="scanner")),
                (
                    "by_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "item",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="check_in",
                        to="tickets.orderitem",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="check_ins",
                        to="events.session",
                    ),
                ),
                (
                    "device",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="check_ins",
                        to="tickets.scannerdevice",
                    ),
                ),
            ],
            options={
                "verbose_name": "check-in",
                "verbose_name_plural": "check-ins",
                "ordering": ["-checked_in_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="TicketPdf",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        storage=tickets.models.questions.private_storage,
                        upload_to=tickets.delivery.models.ticket_pdf_upload_to,
                    ),
                ),
                ("fingerprint", models.CharField(max_length=64)),
                ("size", models.PositiveIntegerField(default=0)),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "order",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pdf",
                        to="tickets.order",
                    ),
                ),
            ],
            options={
                "verbose_name": "PDF tickets",
                "verbose_name_plural": "PDF tickets",
            },
        ),
        migrations.CreateModel(
            name="EmailDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("confirmation", "Order confirmation"),
                            ("resend", "Tickets sent again"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("to", models.EmailField(max_length=254, verbose_name="to")),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                (
                    "status",
                    models.CharField(
                        choices=[("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed")],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "last_error",
                    models.CharField(blank=True, max_length=500, verbose_name="last error"),
                ),
                (
                    "requested_label",
                    models.CharField(default="system", max_length=30, verbose_name="requested by"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="email_deliveries",
                        to="tickets.order",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "e-mail with tickets",
                "verbose_name_plural": "e-mails with tickets",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["order", "-created_at"], name="tickets_ema_order_i_f5396b_idx"
                    )
                ],
            },
        ),
    ]
