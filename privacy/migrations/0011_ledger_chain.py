"""The hash chain of the privacy trails, and the log of blocking requests' steps.

Adds ``chain_previous``/``chain_hash`` to the consent ledger, withdrawals, their answers, the
disclosure log and its subjects; creates ``BlockingTransition`` (append-only, chained) and
fills it from the step fields of the requests entered so far; then seals every existing row
in id order (``privacy.chain``). On PostgreSQL the append-only triggers refuse UPDATE, so
they are switched off for the sealing only, inside this migration's transaction.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import translation
from django.utils.translation import gettext

from privacy.chain import GENESIS, row_seal

SEALED_TABLES = (
    "ConsentRecord",
    "ConsentWithdrawal",
    "WithdrawalAnswer",
    "Disclosure",
    "DisclosureSubject",
)


def _triggers(schema_editor, model, enable: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    verb = "ENABLE" if enable else "DISABLE"
    # ALTER TABLE is refused while deferred constraint checks of this transaction are pending.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE;")
    schema_editor.execute(f"ALTER TABLE {table} {verb} TRIGGER {table}_append_only;")


def seal_existing_rows(apps, schema_editor):
    for name in SEALED_TABLES:
        model = apps.get_model("privacy", name)
        _triggers(schema_editor, model, enable=False)
        previous = GENESIS
        for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
            row_seal(row, previous)
            model._base_manager.filter(pk=row.pk).update(
                chain_previous=row.chain_previous, chain_hash=row.chain_hash
            )
            previous = row.chain_hash
        _triggers(schema_editor, model, enable=True)


def _steps(request) -> list[tuple]:
    """(time, from, to, by id, reason) of one request, from its step fields."""
    candidates = [
        (request.review_started_at, "under_review", request.review_started_by_id, ""),
        (request.blocked_at, "blocked", request.blocked_by_id, ""),
        (request.rejected_at, "rejected", request.rejected_by_id, request.rejection_reason),
        (request.unblocked_at, "unblocked", request.unblocked_by_id, request.unblock_reason),
    ]
    steps = [(request.created_at, "", "received", request.created_by_id, "")]
    for at, to_status, by_id, reason in sorted(
        (c for c in candidates if c[0] is not None), key=lambda c: c[0]
    ):
        steps.append((at, steps[-1][2], to_status, by_id, reason))
    if steps[-1][2] != request.status:
        steps.append((steps[-1][0], steps[-1][2], request.status, None, ""))
    return steps


def transitions_from_requests(apps, schema_editor):
    request_model = apps.get_model("privacy", "BlockingRequest")
    transition_model = apps.get_model("privacy", "BlockingTransition")
    with translation.override(settings.LANGUAGE_CODE):
        note = gettext("Reconstructed from the request's fields when the step log began.")
    events = []
    for request in request_model.objects.order_by("pk").iterator(chunk_size=2000):
        for at, from_status, to_status, by_id, reason in _steps(request):
            events.append((at, request.pk, from_status, to_status, by_id, reason))
    events.sort(key=lambda event: (event[0], event[1]))
    previous = GENESIS
    for at, request_id, from_status, to_status, by_id, reason in events:
        row = transition_model(
            request_id=request_id,
            from_status=from_status,
            to_status=to_status,
            by_id=by_id,
            at=at,
            reason=f"{reason}\n\n{note}".strip(),
        )
        row_seal(row, previous)
        row.save()
        previous = row.chain_hash


def transitions_append_only(apps, schema_editor):
    # The function is created by 0004; the step log is a trail like the consent ledger.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE TRIGGER privacy_blockingtransition_append_only BEFORE UPDATE OR DELETE ON "
        "privacy_blockingtransition FOR EACH ROW EXECUTE FUNCTION privacy_refuse_change();"
    )


def transitions_changeable(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS privacy_blockingtransition_append_only "
        "ON privacy_blockingtransition;"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0010_operator_policy_languages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='consentrecord',
            name='chain_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='row hash'),
        ),
        migrations.AddField(
            model_name='consentrecord',
            name='chain_previous',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash of the previous row'),
        ),
        migrations.AddField(
            model_name='consentwithdrawal',
            name='chain_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='row hash'),
        ),
        migrations.AddField(
            model_name='consentwithdrawal',
            name='chain_previous',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash of the previous row'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='chain_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='row hash'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='chain_previous',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash of the previous row'),
        ),
        migrations.AddField(
            model_name='disclosuresubject',
            name='chain_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='row hash'),
        ),
        migrations.AddField(
            model_name='disclosuresubject',
            name='chain_previous',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash of the previous row'),
        ),
        migrations.AddField(
            model_name='withdrawalanswer',
            name='chain_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='row hash'),
        ),
        migrations.AddField(
            model_name='withdrawalanswer',
            name='chain_previous',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash of the previous row'),
        ),
        migrations.AlterField(
            model_name='consentrecord',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='recorded at'),
        ),
        migrations.AlterField(
            model_name='consentwithdrawal',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='recorded at'),
        ),
        migrations.AlterField(
            model_name='disclosure',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='time'),
        ),
        migrations.AlterField(
            model_name='withdrawalanswer',
            name='answered_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='answered at'),
        ),
        migrations.AlterField(
            model_name='blockingrequest',
            name='status',
            field=models.CharField(choices=[('received', 'Received'), ('under_review', 'Under review'), ('blocked', 'Blocked'), ('rejected', 'Rejected'), ('unblocked', 'Unblocked'), ('corrected', 'Replaced by a correction')], db_index=True, default='received', max_length=20, verbose_name='status'),
        ),
        migrations.CreateModel(
            name='BlockingTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain_previous', models.CharField(default='', editable=False, max_length=64, verbose_name='hash of the previous row')),
                ('chain_hash', models.CharField(default='', editable=False, max_length=64, verbose_name='row hash')),
                ('from_status', models.CharField(blank=True, choices=[('received', 'Received'), ('under_review', 'Under review'), ('blocked', 'Blocked'), ('rejected', 'Rejected'), ('unblocked', 'Unblocked'), ('corrected', 'Replaced by a correction')], max_length=20, verbose_name='from status')),
                ('to_status', models.CharField(choices=[('received', 'Received'), ('under_review', 'Under review'), ('blocked', 'Blocked'), ('rejected', 'Rejected'), ('unblocked', 'Unblocked'), ('corrected', 'Replaced by a correction')], max_length=20, verbose_name='to status')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='at')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transitions', to='privacy.blockingrequest', verbose_name='blocking request')),
            ],
            options={
                'verbose_name': 'blocking request step',
                'verbose_name_plural': 'blocking request steps',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.RunPython(transitions_append_only, transitions_changeable),
        migrations.RunPython(transitions_from_requests, migrations.RunPython.noop),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
    ]
