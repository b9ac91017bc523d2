"""Corrections instead of edits, the breach notice's due time, the government's moved days.

* ``corrects`` on claims, blocking and access requests and incidents: a wrong date is put
  right by a new entry that names the old one (the old one keeps its dates).
* ``Incident.authority_notice_due_at``: one working day after detection, filled for the
  incidents entered so far.
* ``MovedDayOff``: the days the government moves by decree, kept by staff (the public holidays
  themselves come from the ``holidays`` package).
"""

import django.db.models.deletion
from django.db import migrations, models


def notice_due_times(apps, schema_editor):
    from privacy.models.incidents import incident_notice_due_at

    incident_model = apps.get_model("privacy", "Incident")
    for incident in incident_model.objects.filter(authority_notice_due_at__isnull=True):
        incident.authority_notice_due_at = incident_notice_due_at(incident.detected_at)
        incident.save(update_fields=["authority_notice_due_at"])


class Migration(migrations.Migration):

    dependencies = [("privacy", "0011_ledger_chain")]

    operations = [
        migrations.CreateModel(
            name='MovedDayOff',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='date')),
                ('is_working_day', models.BooleanField(default=False, help_text='Ticked: a working day (e.g. a Saturday worked); unticked: a day off', verbose_name='working day')),
                ('note', models.CharField(blank=True, help_text='The decree, or why the day moved', max_length=300, verbose_name='note')),
            ],
            options={
                'verbose_name': 'day moved by the government',
                'verbose_name_plural': 'days moved by the government',
                'ordering': ['-date'],
            },
        ),
        migrations.AddField(
            model_name='blockingrequest',
            name='corrects',
            field=models.OneToOneField(blank=True, help_text='A correction is a new entry: the old one stays as it was, marked corrected', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='privacy.blockingrequest', verbose_name='corrects the entry'),
        ),
        migrations.AddField(
            model_name='claim',
            name='corrects',
            field=models.OneToOneField(blank=True, help_text='A correction is a new entry: the old one stays as it was, marked corrected', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='privacy.claim', verbose_name='corrects the entry'),
        ),
        migrations.AddField(
            model_name='incident',
            name='authority_notice_due_at',
            field=models.DateTimeField(db_index=True, editable=False, null=True, verbose_name='notice to the authorised body due by'),
        ),
        migrations.AddField(
            model_name='incident',
            name='corrects',
            field=models.OneToOneField(blank=True, help_text='A correction is a new entry: the old one stays as it was, marked corrected', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='privacy.incident', verbose_name='corrects the entry'),
        ),
        migrations.AddField(
            model_name='subjectaccessrequest',
            name='corrects',
            field=models.OneToOneField(blank=True, help_text='A correction is a new entry: the old one stays as it was, marked corrected', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrected_by', to='privacy.subjectaccessrequest', verbose_name='corrects the entry'),
        ),
        migrations.AlterField(
            model_name='subjectaccessrequest',
            name='status',
            field=models.CharField(choices=[('unconfirmed', 'Awaiting e-mail confirmation'), ('received', 'Received'), ('answered', 'Answered'), ('rejected', 'Rejected'), ('corrected', 'Replaced by a correction')], db_index=True, default='received', max_length=20, verbose_name='status'),
        ),
        migrations.RunPython(notice_due_times, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="incident",
            name="authority_notice_due_at",
            field=models.DateTimeField(
                db_index=True,
                editable=False,
                verbose_name="notice to the authorised body due by",
            ),
        ),
    ]
